"""The log's head keeps its frontier (the hashes of the tree's perfect pieces), so an append
reads it with the lock it takes instead of in a query of its own (docs/design.md, "Round
trips under the lock"). Filled here from the nodes already stored.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 16:00:00

"""

import json

import sqlalchemy as sa
from alembic import op

from translog import merkle

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("log_head", sa.Column("frontier", sa.Text(), nullable=False, server_default="[]"))
    bind = op.get_bind()
    size = bind.execute(sa.text("SELECT size FROM log_head WHERE id = 1")).scalar()
    if not size:
        return
    hashes = []
    for level, position in merkle.perfect_pieces(0, size):
        hashes.append(
            bind.execute(
                sa.text("SELECT hash FROM log_node WHERE level = :level AND position = :position"),
                {"level": level, "position": position},
            ).scalar_one()
        )
    bind.execute(
        sa.text("UPDATE log_head SET frontier = :frontier WHERE id = 1"),
        {"frontier": json.dumps(hashes)},
    )


def downgrade():
    op.drop_column("log_head", "frontier")
