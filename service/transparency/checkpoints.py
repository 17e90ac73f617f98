"""The log's signing key and its checkpoints.

The key is LOG_SIGNING_KEY (a C2SP signer key string, PRIVATE+KEY+name+id+key) when
configured, otherwise the one kept in `instance/log_signing_key`, generated on first use
under the name LOG_ORIGIN. A checkpoint is issued at least every minute while the log
grows: inline by the change that finds the last one a minute old (with REDIS_URL, only
the job worker's changes), and by `flask --app service log checkpoint` from cron.
"""

import os
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.models import LogCheckpoint
from service.models.types import as_utc, utcnow
from service.transactions import begin_writing
from service.transparency import log
from translog import merkle, note

KEY_FILE = "log_signing_key"
CHECKPOINT_INTERVAL = timedelta(minutes=1)
_CACHE = "transparency_signing_key"
_RECENT = "transparency_recent_checkpoint"


def signing_key() -> tuple[str, Ed25519PrivateKey]:
    """(origin, private key): the configured key, or the instance's, made on first use."""
    cached = current_app.extensions.get(_CACHE)
    if cached is None:
        cached = note.parse_signer_key(signing_key_text())
        current_app.extensions[_CACHE] = cached
    return cached


def signing_key_text() -> str:
    """The key as configured (LOG_SIGNING_KEY), or the instance's, made on first use: what a
    second process serving the same log is given, so that both sign with one key."""
    configured = current_app.config.get("LOG_SIGNING_KEY")
    return configured or _instance_key(Path(current_app.instance_path) / KEY_FILE)


def _instance_key(path: Path) -> str:
    if not path.exists():
        origin = current_app.config["LOG_ORIGIN"]
        text = note.signer_key(origin, Ed25519PrivateKey.generate()) + "\n"
        try:  # O_EXCL: two processes starting together keep one key
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(text)
    return path.read_text().strip()


def verifier() -> note.Verifier:
    origin, key = signing_key()
    return note.verifier_for(origin, key)


def latest(session: Session, *, covering: int = 0) -> LogCheckpoint | None:
    """The newest checkpoint (with `covering`, the oldest whose tree holds that many leaves)."""
    query = select(LogCheckpoint)
    if covering:
        query = query.where(LogCheckpoint.tree_size >= covering).order_by(LogCheckpoint.tree_size)
    else:
        query = query.order_by(LogCheckpoint.tree_size.desc())
    return session.execute(query.limit(1)).scalar_one_or_none()


def sign_size(session: Session, size: int) -> LogCheckpoint:
    """A checkpoint of the tree at `size`, added to the session (not committed)."""
    origin, key = signing_key()
    root = merkle.root_hash(size, log.fetcher(session))
    checkpoint = LogCheckpoint(
        tree_size=size,
        root_hash=root.hex(),
        note=note.sign_checkpoint(origin, size, root, key),
        issued_at=utcnow(),
    )
    session.add(checkpoint)
    current_app.extensions[_RECENT] = checkpoint.issued_at
    return checkpoint


def due(session: Session, size: int) -> bool:
    """Whether the log at `size` has grown past a checkpoint at least a minute old. A
    checkpoint this process saw signed less than a minute ago answers without a query (the
    check runs inside the audit chain's lock on every change)."""
    recent = current_app.extensions.get(_RECENT)
    if recent is not None and utcnow() - recent < CHECKPOINT_INTERVAL:
        return False
    last = latest(session)
    if last is None:
        return True
    issued = as_utc(last.issued_at)
    if utcnow() - issued < CHECKPOINT_INTERVAL:
        current_app.extensions[_RECENT] = issued
    return last.tree_size < size and utcnow() - issued >= CHECKPOINT_INTERVAL


def issue(session: Session, *, covering: int = 0) -> LogCheckpoint:
    """A checkpoint of the log as committed now, in a transaction of its own; the existing
    one when the log has not grown since (or another process signed the same size)."""
    # Read under the write lock: a GET's read snapshot may be stale by now (SQLite).
    begin_writing(session)
    size = log.size(session)
    existing = latest(session, covering=max(covering, size))
    if existing is not None:
        return existing
    checkpoint = sign_size(session, size)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return latest(session, covering=size)
    return checkpoint


def current(session: Session) -> LogCheckpoint:
    """The latest checkpoint, signed anew when the log has grown past one a minute old
    (what the public reads is never staler than cron would leave it)."""
    latest_one = latest(session)
    if latest_one is None or due(session, log.size(session)):
        return issue(session)
    return latest_one
