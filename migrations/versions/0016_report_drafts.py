"""Report drafts: what an issuer typed into a report form, kept until it is checked and filed
(docs/design.md, "Reports are drafted, checked, then filed").

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 07:00:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade():
    op.create_table(
        "report_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("body", JSON_DOCUMENT, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_report_draft_registration_id_registration"),
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["user.id"], name=op.f("fk_report_draft_saved_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_draft")),
        sa.UniqueConstraint(
            "registration_id", "kind", name=op.f("uq_report_draft_registration_id")
        ),
    )


def downgrade():
    op.drop_table("report_draft")
