"""The open-case indexes carry the state as their last key column, so the per-state
counts of a filtered queue view read the index alone on SQLite too (PostgreSQL had it
as INCLUDE).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OPEN = sa.text(
    "state IN ('submitted', 'returned_incomplete', 'assessment', 'information_requested', "
    "'recommended')"
)
INDEXES = {
    "ix_application_open_due": ["due_on", "id"],
    "ix_application_open_category": ["category", "due_on", "id"],
    "ix_application_open_assignee": ["assigned_reviewer_id", "due_on", "id"],
}


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.drop_index(name, postgresql_where=OPEN, sqlite_where=OPEN)
            batch_op.create_index(
                name, [*columns, "state"], postgresql_where=OPEN, sqlite_where=OPEN
            )


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.drop_index(name, postgresql_where=OPEN, sqlite_where=OPEN)
            batch_op.create_index(
                name,
                columns,
                postgresql_include=["state"],
                postgresql_where=OPEN,
                sqlite_where=OPEN,
            )
