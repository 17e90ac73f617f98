"""File storage behind one small interface; the instance folder is the embedded default, the
database itself the other choice (docs/scaling.md, "Where files live")."""

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from sqlalchemy import delete, func, insert, select

from service.extensions import db
from service.jobs import resolve
from service.models import StoredChunk
from service.transactions import READS_ONLY


class FileStorage:
    """Content under a root folder; writes land whole (temp file, fsync, rename) or not at all."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    @classmethod
    def from_config(cls, config) -> "FileStorage":
        return cls(config["STORAGE_PATH"])

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the store: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = None
        try:
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                temporary = Path(handle.name)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            # A full disk or a failed rename leaves no part of the file behind: the
            # caller's rollback deletes only the keys it knows of.
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def delete(self, key: str) -> None:
        """Only to undo a write whose transaction failed."""
        self._path(key).unlink(missing_ok=True)


class Storage(Protocol):
    """What a storage backend offers; keys are relative paths like 'documents/12/ab.pdf'."""

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def open(self, key: str) -> BinaryIO:
        """For reading from the start; FileNotFoundError when the key holds nothing."""
        ...

    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...


class StoredFileMismatch(Exception):
    """A stored file is missing or its bytes no longer have the SHA-256 recorded for them."""

    def __init__(self, key: str, expected: str, found: str | None):
        self.key, self.expected, self.found = key, expected, found
        what = "is missing" if found is None else f"has SHA-256 {found}"
        super().__init__(f"{key} {what}, recorded {expected}")


CHUNK = 1024 * 1024


def open_verified(store: Storage, key: str, sha256: str) -> tuple[BinaryIO, int]:
    """The stored file and its size, read once through SHA-256 and rewound, so it is served
    or copied only when it still has the recorded hash; StoredFileMismatch otherwise. The
    bytes stream through the hash a chunk at a time, never whole in memory."""
    try:
        handle = store.open(key)
    except FileNotFoundError:
        raise StoredFileMismatch(key, sha256, None) from None
    try:
        digest, size = hashlib.sha256(), 0
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
        if digest.hexdigest() != sha256:
            raise StoredFileMismatch(key, sha256, digest.hexdigest())
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle, size


class DatabaseStorage:
    """Files in the database, beside the rows that name them (STORAGE_BACKEND=database).

    Written through the session, in CHUNK-sized rows: a file commits or rolls back with the
    filing or document that names it, so neither can exist without the other, whatever
    fails when. Read a chunk at a time on a connection of its own, so a download never holds
    the whole file in memory and can outlive the request's session (a streamed response is
    sent after it ends); that connection sees committed files only, and is held until the
    download is closed."""

    @classmethod
    def from_config(cls, config) -> "DatabaseStorage":
        return cls()

    def put(self, key: str, data: bytes) -> None:
        view = memoryview(data)
        db.session.execute(delete(StoredChunk).where(StoredChunk.key == key))
        for seq, start in enumerate(range(0, max(len(view), 1), CHUNK)):
            chunk = bytes(view[start : start + CHUNK])
            db.session.execute(insert(StoredChunk).values(key=key, seq=seq, data=chunk))

    def get(self, key: str) -> bytes:
        with self.open(key) as handle:
            return handle.read()

    def open(self, key: str) -> BinaryIO:
        return ChunkReader(key)

    def exists(self, key: str) -> bool:
        found = select(StoredChunk.seq).where(StoredChunk.key == key, StoredChunk.seq == 0)
        return db.session.execute(found).first() is not None

    def delete(self, key: str) -> None:
        """Nothing to undo: a file's chunks were written in its transaction, so a transaction
        that failed took them with it, and one that committed keeps them with the rows that
        name them (the file store has to delete what a failed transaction wrote)."""


class ChunkReader(io.RawIOBase):
    """A stored file read from its chunks on demand, seekable (werkzeug answers range
    requests by seeking), on a connection it closes when it is closed."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key
        self.connection = db.engine.connect().execution_options(**READS_ONLY)
        try:
            chunks, size = self.connection.execute(
                select(
                    func.count(), func.coalesce(func.sum(func.length(StoredChunk.data)), 0)
                ).where(StoredChunk.key == key)
            ).one()
        except BaseException:
            self.connection.close()
            raise
        if not chunks:
            self.connection.close()
            raise FileNotFoundError(key)
        self.size = int(size)
        self.position = 0
        self.loaded_index: int | None = None
        self.loaded = memoryview(b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self.position = base + offset
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.size:
            return 0
        index, within = divmod(self.position, CHUNK)
        if index != self.loaded_index:
            chunk = StoredChunk.key == self.key, StoredChunk.seq == index
            data = self.connection.execute(select(StoredChunk.data).where(*chunk)).scalar_one()
            self.loaded, self.loaded_index = memoryview(data), index
        count = min(len(buffer), len(self.loaded) - within)
        buffer[:count] = self.loaded[within : within + count]
        self.position += count
        return count

    def close(self) -> None:
        if not self.closed:
            self.loaded = memoryview(b"")
            self.connection.close()
        super().close()


# Backends by name. Any other STORAGE_BACKEND value is the dotted path of a class
# ("package.module.Class" or "package.module:Class") built with `from_config(config)`.
BACKENDS: dict[str, type] = {"file": FileStorage, "database": DatabaseStorage}


def backend_class(name: str) -> type:
    if name in BACKENDS:
        return BACKENDS[name]
    return resolve(name)


def storage() -> Storage:
    config = current_app.config
    cls = backend_class(config.get("STORAGE_BACKEND") or "file")
    return cls.from_config(config)
