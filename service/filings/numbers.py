"""Accession and registration numbers: yearly sequences, gap-free under concurrency."""

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.models import NumberSequence

# docs/domain.md section 4: VAR-<year>-<6 digits> for filings, KVI-<year>-<4 digits> for
# registrations.
FORMATS = {"VAR": "VAR-{year}-{value:06d}", "KVI": "KVI-{year}-{value:04d}"}


def next_number(session: Session, name: str, year: int) -> str:
    """Take the next number; the row lock is held until the caller's transaction ends."""
    for _ in range(3):
        value = session.execute(
            update(NumberSequence)
            .where(NumberSequence.name == name, NumberSequence.year == year)
            .values(value=NumberSequence.value + 1)
            .returning(NumberSequence.value)
        ).scalar_one_or_none()
        if value is not None:
            return FORMATS[name].format(year=year, value=value)
        try:
            # The first number of a year: another transaction may create the row at once.
            with session.begin_nested():
                session.add(NumberSequence(name=name, year=year, value=0))
        except IntegrityError:
            continue
    raise RuntimeError(f"could not take a {name} number for {year}")
