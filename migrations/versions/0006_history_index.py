"""A case's history in order: the (application_id, seq) index replaces the one on
application_id alone (one index fewer to write under the audit chain's lock).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 02:00:00

"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_event_application_seq", ["application_id", "seq"], unique=False
        )
        batch_op.drop_index("ix_audit_event_application_id")


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_application_id", ["application_id"], unique=False)
        batch_op.drop_index("ix_audit_event_application_seq")
