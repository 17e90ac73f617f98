"""Sessions recorded on the server; API tokens that can be revoked; sign-in throttle rows
that name their account and address, so the admin can list the locks in force.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_user_session_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_user_session_token_sha256")),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=100), nullable=True))
        # A key's count starts again after a quiet window since its last failure.
        batch_op.alter_column("first_failure_at", new_column_name="last_failure_at")
        # Room for "account:<254>|address:<100>".
        batch_op.alter_column(
            "key", existing_type=sa.String(length=300), type_=sa.String(length=400)
        )
        batch_op.create_index(
            batch_op.f("ix_login_throttle_locked_until"), ["locked_until"], unique=False
        )


def downgrade():
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttle_locked_until"))
        batch_op.alter_column("last_failure_at", new_column_name="first_failure_at")
        batch_op.alter_column(
            "key", existing_type=sa.String(length=400), type_=sa.String(length=300)
        )
        batch_op.drop_column("address")
        batch_op.drop_column("email")

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")

    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
