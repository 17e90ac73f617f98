"""Stored files in the database (STORAGE_BACKEND=database): each file a run of chunks under
its storage key, written in the transaction of the rows that name it (docs/scaling.md,
"Where files live").

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 07:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_chunk",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", "seq", name=op.f("pk_stored_chunk")),
    )


def downgrade():
    op.drop_table("stored_chunk")
