"""Stored files kept in the database itself (STORAGE_BACKEND=database, service/storage.py):
each file a run of chunks under its storage key (docs/scaling.md, "Where files live")."""

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db


class StoredChunk(db.Model):
    """One chunk of a stored file: its bytes from seq x CHUNK on. A file has chunks 0..n-1
    (an empty file one empty chunk), written with the rows that name it."""

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
