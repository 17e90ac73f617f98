"""A registration's issuance cap (the most it may have outstanding, set at registration or
later by a supervisor) and a supervisor's restriction of new issuance, short of suspension:
the day it began and why (docs/domain.md section 5).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration") as table:
        table.add_column(sa.Column("issuance_cap_krw", sa.BigInteger(), nullable=True))
        table.add_column(sa.Column("issuance_restricted_since", sa.Date(), nullable=True))
        table.add_column(sa.Column("issuance_restriction_reason", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("registration") as table:
        table.drop_column("issuance_restriction_reason")
        table.drop_column("issuance_restricted_since")
        table.drop_column("issuance_cap_krw")
