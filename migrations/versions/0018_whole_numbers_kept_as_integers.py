"""Whole numbers in applications' answers are kept as integers: a won amount or a count
saved as typed (`"50,000,000,000"`) before the save wrote answers back in one form becomes
the integer it reads as (docs/design.md, "Numbers as typed"). Only the written form
changes, never a number; filings are left as they were filed.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 10:30:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from workflows.amounts import parse_whole

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# The whole-number answers of the sections as they stand at this revision: (section, field)
# or (section, repeating group, field of a row).
WHOLE_NUMBERS = (
    ("business_plan", "monthly_projections", "operating_expenses_krw"),
    ("business_plan", "monthly_projections", "outstanding_issuance_krw"),
    ("business_plan", "monthly_projections", "own_funds_krw"),
    ("business_plan", "monthly_projections", "revenue_krw"),
    ("capital", "paid_in_capital_krw"),
    ("redemption", "payout_business_days"),
    ("reserve", "target_composition", "max_maturity_days"),
    ("token_design", "planned_maximum_issuance"),
)

application = sa.table(
    "application", sa.column("id", sa.Integer), sa.column("sections", JSON_DOCUMENT)
)


def _as_integer(value):
    """The integer a typed whole number reads as; anything else as it was (a value the save
    refused was never stored, so a string here that reads as no number stays as typed)."""
    if isinstance(value, str):
        try:
            return parse_whole(value)
        except ValueError:
            return value
    return value


def converted(sections: dict) -> dict:
    """`sections` with every whole-number answer an integer (a new dict; the input kept)."""
    result = {name: dict(answers) for name, answers in sections.items() if isinstance(answers, dict)}
    result.update({k: v for k, v in sections.items() if not isinstance(v, dict)})
    for path in WHOLE_NUMBERS:
        answers = result.get(path[0])
        if not isinstance(answers, dict):
            continue
        if len(path) == 2:
            if path[1] in answers:
                answers[path[1]] = _as_integer(answers[path[1]])
            continue
        rows = answers.get(path[1])
        if isinstance(rows, list):
            answers[path[1]] = [
                {**row, path[2]: _as_integer(row[path[2]])}
                if isinstance(row, dict) and path[2] in row
                else row
                for row in rows
            ]
    return result


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(application.c.id, application.c.sections)).all()
    for row in rows:
        sections = row.sections or {}
        kept = converted(sections)
        if kept != sections:
            bind.execute(
                application.update().where(application.c.id == row.id).values(sections=kept)
            )


def downgrade():
    """Integers are what the earlier code kept from the API too: nothing to undo."""
