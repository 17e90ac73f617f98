"""Reading a long list in keyset batches, for pages and streamed downloads (docs/register.md).

Each batch is a query of its own that starts after the last key of the batch before
(`WHERE key > :after ORDER BY key LIMIT n`): its cost does not grow with how far in the
list it starts, and no cursor has to outlive a request or a batch.
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from service.extensions import db

Row = TypeVar("Row")
Result = TypeVar("Result")


def batches(
    fetch: Callable[[Any], Sequence[Row]], key: Callable[[Row], Any], batch: int
) -> Iterator[Sequence[Row]]:
    """Every batch `fetch(after)` returns, up to `batch` rows each, until one comes back short.

    `fetch(None)` reads the first batch; `fetch(after)` the rows whose key follows `after`.
    """
    after = None
    while True:
        rows = fetch(after)
        if rows:
            yield rows
        if len(rows) < batch:
            return
        after = key(rows[-1])


def on_its_own(read: Callable[[Session], Result]) -> Result:
    """`read` in a session of its own on the request's bind (the engine; a test's connection),
    closed when it returns.

    A streamed body is read after Flask has closed the request's session, and no transaction
    may stay open while a slow client reads (on SQLite every transaction holds the write
    lock: BEGIN IMMEDIATE), so a download reads each batch this way.
    """
    with Session(db.session.get_bind()) as reading:
        return read(reading)
