"""The transparency log's tables (docs/transparency.md): its leaves, the hashes of its
perfect subtrees, its size, and the checkpoints signed over it. Append-only; the
database's triggers refuse UPDATE and DELETE of leaves, nodes and checkpoints."""

from datetime import datetime

from sqlalchemy import String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import Timestamp


class LogLeaf(db.Model):
    """One record that changed hands: its leaf as canonical JSON, and that JSON's RFC 9162
    leaf hash (hex), by which anyone asks for its inclusion proof."""

    leaf_index: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(30))
    leaf_json: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[str] = mapped_column(String(64), index=True)
    # The audit event a leaf records, so the chain and the log are checked side by side.
    audit_seq: Mapped[int | None] = mapped_column(unique=True)


class LogNode(db.Model):
    """The hash (hex) of the perfect subtree of leaves [position * 2**level, (position + 1)
    * 2**level): level 0 are the leaves' hashes. Every root and proof is folded from these."""

    level: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))


class LogHead(db.Model):
    """The log's one head row: appends update it first, so they queue behind its lock.

    `frontier` is the hash (hex) of each of the tree's perfect pieces (`perfect_pieces(0,
    size)` of translog/merkle.py, left to right) as a JSON list: the only old nodes an
    append needs, returned by the UPDATE that takes the lock. Each is also a row of
    `log_node`, from which every proof is read: appends from an altered frontier write
    nodes that no longer give the leaves' root, which the log's check reports."""

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(default=0)
    frontier: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class LogCheckpoint(db.Model):
    """A signed tree head: the C2SP checkpoint note as issued, one per tree size."""

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(unique=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(Timestamp, index=True)


@event.listens_for(LogLeaf, "before_update")
@event.listens_for(LogLeaf, "before_delete")
@event.listens_for(LogNode, "before_update")
@event.listens_for(LogNode, "before_delete")
@event.listens_for(LogCheckpoint, "before_update")
@event.listens_for(LogCheckpoint, "before_delete")
def _log_is_append_only(mapper, connection, target):
    raise PermissionError("the transparency log is append-only")
