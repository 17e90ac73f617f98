"""Changes a registered issuer applies for before they take effect, and their decision
(docs/domain.md section 5, changes approved in advance).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 04:30:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade():
    op.create_table(
        "change_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("details", JSON_DOCUMENT, nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("applied_by_id", sa.Integer(), nullable=False),
        sa.Column("accession_number", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_reasons", sa.Text(), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome_accession", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_change_approval_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["applied_by_id"], ["user.id"], name=op.f("fk_change_approval_applied_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["outcome_by_id"], ["user.id"], name=op.f("fk_change_approval_outcome_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_approval")),
    )
    with op.batch_alter_table("change_approval", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_approval_application_id"), ["application_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("change_approval", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_approval_application_id"))
    op.drop_table("change_approval")
