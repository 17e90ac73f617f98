"""An issuer has several users: each prepares or acts as an officer, and an organization
administrator invites them (an e-mailed link and a code given another way) and removes them
(docs/domain.md section 1, "An issuer's people"). Every issuer user so far could sign and
submit: they become officers and their organization's administrators.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 07:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE (no batch copy on SQLite: a copy of `user` would drop the table every
    # other table refers to, which its foreign keys refuse).
    op.add_column("user", sa.Column("duty", sa.String(length=20), nullable=True))
    op.add_column(
        "user",
        sa.Column("organization_admin", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(
        sa.text(
            "UPDATE \"user\" SET duty = 'officer', organization_admin = :yes WHERE role = 'issuer'"
        ).bindparams(yes=True)
    )
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "organization_id", sa.Integer(), sa.ForeignKey("organization.id"), nullable=False
        ),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("duty", sa.String(length=20), nullable=False),
        sa.Column("organization_admin", sa.Boolean(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False, unique=True),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_codes", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("invited_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
    )
    op.create_index("ix_invitation_organization_id", "invitation", ["organization_id"])


def downgrade():
    op.drop_index("ix_invitation_organization_id", table_name="invitation")
    op.drop_table("invitation")
    # ALTER TABLE ... DROP COLUMN, as SQLite 3.35+ has it, for the reason above.
    op.drop_column("user", "organization_admin")
    op.drop_column("user", "duty")
