"""A registration ended by an accepted surrender, a revocation or a lapse stays supervised
until its holders are redeemed: the day they are to be by and the day a redemption report
showed nothing outstanding (docs/domain.md section 4, wind-down).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 04:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration") as table:
        table.add_column(sa.Column("wind_down_by", sa.Date(), nullable=True))
        table.add_column(sa.Column("wound_down_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("registration") as table:
        table.drop_column("wound_down_on")
        table.drop_column("wind_down_by")
