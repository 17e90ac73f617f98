"""A full verification is recorded when it starts, with its status: one that never ends
stays visibly unfinished, and at most one is unfinished at a time.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 10:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_verification") as table:
        # Passes recorded before this revision had finished when they were written.
        table.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="done")
        )
        table.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    # Every unfinished row has the same indexed value, so a second one cannot be inserted.
    op.execute(
        "CREATE UNIQUE INDEX uq_audit_verification_one_unfinished "
        "ON audit_verification ((status IN ('queued', 'running'))) "
        "WHERE status IN ('queued', 'running')"
    )


def downgrade():
    op.execute("DROP INDEX uq_audit_verification_one_unfinished")
    with op.batch_alter_table("audit_verification") as table:
        table.drop_column("started_at")
        table.drop_column("status")
