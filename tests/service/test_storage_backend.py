"""STORAGE_BACKEND picks the file store by name or another backend by its dotted path."""

import io

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Filing
from service.storage import FileStorage, storage
from tests.service.factories import PASSWORD, Cast


class MemoryStorage:
    """A backend of another kind, as an object store would plug in: buckets outlive the
    backend objects, as a bucket outlives a client."""

    buckets: dict[str, dict[str, bytes]] = {}

    def __init__(self, bucket: str):
        self.bucket = bucket
        self.blobs = MemoryStorage.buckets.setdefault(bucket, {})

    @classmethod
    def from_config(cls, config):
        return cls(config.get("STORAGE_BUCKET", "default"))

    def put(self, key, data):
        self.blobs[key] = data

    def get(self, key):
        return self.blobs[key]

    def open(self, key):
        if key not in self.blobs:
            raise FileNotFoundError(key)
        return io.BytesIO(self.blobs[key])

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


def test_filings_and_documents_are_stored_and_served_through_another_backend(
    app, ctx, client, monkeypatch, tmp_path
):
    monkeypatch.setitem(
        app.config, "STORAGE_BACKEND", "tests.service.test_storage_backend.MemoryStorage"
    )
    monkeypatch.setitem(app.config, "STORAGE_BUCKET", "filings-test")
    MemoryStorage.buckets.pop("filings-test", None)
    cast = Cast()
    case = cast.case_in("submitted")
    filing = db.session.execute(select(Filing).where(Filing.application_id == case.id)).scalar_one()
    blobs = MemoryStorage.buckets["filings-test"]
    assert filing.pdf_storage_key in blobs and not (tmp_path / "storage").exists()
    client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD})
    pdf = client.get(f"/filings/{filing.accession_number}.pdf")
    assert pdf.status_code == 200 and pdf.data == blobs[filing.pdf_storage_key]
    document = case.documents[0]
    download = client.get(f"/applications/{case.id}/documents/{document.id}")
    assert download.status_code == 200 and download.data == blobs[document.storage_key]
