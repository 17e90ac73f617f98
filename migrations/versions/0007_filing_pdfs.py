"""Filings' archival PDFs (storage key, SHA-256, size); filings and audit events
refuse UPDATE and DELETE in the database itself.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 01:29:50.753837

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

APPEND_ONLY = ('filing', 'audit_event')

# PostgreSQL: one function, a row trigger per table for UPDATE and DELETE, and a
# statement trigger for TRUNCATE (which row triggers do not see).
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION refuse_change_of_record() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""


def upgrade():
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdf_storage_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('pdf_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('pdf_size', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_filing_kind'), ['kind'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        for table in APPEND_ONLY:
            op.execute(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} '
                'FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()'
            )
            op.execute(
                f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} '
                'FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record()'
            )
    else:
        # SQLite: the same rule, so the embedded default refuses it too.
        for table in APPEND_ONLY:
            for operation in ('UPDATE', 'DELETE'):
                op.execute(
                    f'CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} '
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
                )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in APPEND_ONLY:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON {table}')
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}')
        op.execute('DROP FUNCTION IF EXISTS refuse_change_of_record()')
    else:
        for table in APPEND_ONLY:
            for operation in ('update', 'delete'):
                op.execute(f'DROP TRIGGER IF EXISTS {table}_no_{operation}')

    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filing_kind'))
        batch_op.drop_column('pdf_size')
        batch_op.drop_column('pdf_sha256')
        batch_op.drop_column('pdf_storage_key')
