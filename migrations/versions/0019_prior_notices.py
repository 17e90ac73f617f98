"""Prior notices of intended refusal, suspension or revocation, and the issuer's comments
(docs/domain.md section 4, hearing).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 11:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "prior_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("comment_deadline", sa.Date(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=False),
        sa.Column("accession_number", sa.String(length=20), nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("comments_on", sa.Date(), nullable=True),
        sa.Column("comments_accession", sa.String(length=20), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_prior_notice_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["given_by_id"], ["user.id"], name=op.f("fk_prior_notice_given_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prior_notice")),
    )
    with op.batch_alter_table("prior_notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_prior_notice_application_id"), ["application_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("prior_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prior_notice_application_id"))
    op.drop_table("prior_notice")
