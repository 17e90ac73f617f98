"""File storage behind one small interface; the instance folder is the embedded default."""

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from service.jobs import resolve


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


# Backends by name. Any other STORAGE_BACKEND value is the dotted path of a class
# ("package.module.Class" or "package.module:Class") built with `from_config(config)`.
BACKENDS: dict[str, type] = {"file": FileStorage}


def backend_class(name: str) -> type:
    if name in BACKENDS:
        return BACKENDS[name]
    return resolve(name)


def storage() -> Storage:
    config = current_app.config
    cls = backend_class(config.get("STORAGE_BACKEND") or "file")
    return cls.from_config(config)
