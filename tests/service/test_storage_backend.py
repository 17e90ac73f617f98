"""STORAGE_BACKEND picks the file store by name or another backend by its dotted path."""

import pytest

from service.storage import FileStorage, storage


class MemoryStorage:
    """A backend of another kind, as an object store would plug in."""

    created: list["MemoryStorage"] = []

    def __init__(self, bucket: str):
        self.bucket = bucket
        self.blobs: dict[str, bytes] = {}
        MemoryStorage.created.append(self)

    @classmethod
    def from_config(cls, config):
        return cls(config.get("STORAGE_BUCKET", "default"))

    def put(self, key, data):
        self.blobs[key] = data

    def get(self, key):
        return self.blobs[key]

    def exists(self, key):
        return key in self.blobs

    def delete(self, key):
        self.blobs.pop(key, None)


def test_the_instance_folder_is_the_default_backend(app, ctx, tmp_path):
    store = storage()
    assert isinstance(store, FileStorage)
    store.put("a/b.txt", b"x")
    assert (tmp_path / "storage" / "a" / "b.txt").read_bytes() == b"x"


def test_a_dotted_path_selects_another_backend(app, ctx, monkeypatch):
    monkeypatch.setitem(
        app.config, "STORAGE_BACKEND", "tests.service.test_storage_backend.MemoryStorage"
    )
    monkeypatch.setitem(app.config, "STORAGE_BUCKET", "registry-files")
    store = storage()
    assert isinstance(store, MemoryStorage) and store.bucket == "registry-files"
    store.put("k", b"v")
    assert store.exists("k") and store.get("k") == b"v"


def test_an_unknown_backend_fails_loudly(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "nowhere.Backend")
    with pytest.raises(ModuleNotFoundError):
        storage()
