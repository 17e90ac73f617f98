"""Leaves and receipts: what the log holds of a record, and the proof that it holds it."""

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from translog import merkle
from translog.note import Checkpoint, NoteError, Verifier, open_checkpoint

# A leaf's fields that hold the SHA-256 of a file a person may have in hand, by kind.
FILE_HASH_FIELDS = {
    "filing": ("pdf_sha256", "content_sha256"),
    "document": ("sha256",),
    "opinion_letter": ("sha256",),
}


class ReceiptError(ValueError):
    """A receipt, file or checkpoint refused; the message says what failed."""


def leaf_bytes(leaf: dict[str, Any]) -> bytes:
    """A leaf is a JSON object, hashed as its canonical UTF-8 bytes (keys sorted, no spaces)."""
    return json.dumps(leaf, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def leaf_hash_of(leaf: dict[str, Any]) -> bytes:
    return merkle.leaf_hash(leaf_bytes(leaf))


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def unb64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise ReceiptError(f"{what} is not base64") from None


def make_receipt(
    leaf: dict[str, Any], index: int, checkpoint_note: str, size: int, proof: Iterable[bytes]
) -> dict[str, Any]:
    return {
        "leaf": leaf,
        "leaf_b64": b64(leaf_bytes(leaf)),
        "leaf_index": index,
        "tree_size": size,
        "inclusion_proof": [b64(p) for p in proof],
        "checkpoint": checkpoint_note,
    }


def verify_receipt(
    receipt: dict[str, Any], verifier: Verifier, file_bytes: bytes | None = None
) -> tuple[dict[str, Any], Checkpoint]:
    """The leaf and the checkpoint a receipt proves it is in; with `file_bytes`, that file
    must be the one the leaf names. Raises ReceiptError naming what failed."""
    try:
        raw = unb64(receipt["leaf_b64"], "the receipt's leaf")
        leaf = json.loads(raw)
        index, size = int(receipt["leaf_index"]), int(receipt["tree_size"])
        proof = [unb64(p, "an inclusion proof hash") for p in receipt["inclusion_proof"]]
        note = receipt["checkpoint"]
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ReceiptError):
            raise
        raise ReceiptError(f"the receipt is incomplete or malformed ({error})") from None
    if not isinstance(leaf, dict) or leaf_bytes(leaf) != raw:
        raise ReceiptError("the receipt's leaf is not a leaf in canonical form")
    if "leaf" in receipt and receipt["leaf"] != leaf:
        raise ReceiptError("the receipt's leaf object and leaf_b64 differ")
    if file_bytes is not None:
        digest = hashlib.sha256(file_bytes).hexdigest()
        fields = FILE_HASH_FIELDS.get(leaf.get("kind"), ())
        if digest not in [leaf.get(field) for field in fields]:
            raise ReceiptError(
                f"the file's SHA-256 {digest} is not the one the log holds for "
                f"{_describe(leaf)}: the file is not the one that was recorded"
            )
    try:
        checkpoint = open_checkpoint(note, verifier)
    except NoteError as error:
        raise ReceiptError(f"the receipt's checkpoint is refused: {error}") from None
    if checkpoint.size != size:
        raise ReceiptError(
            f"the receipt's proof is for a tree of {size} leaves but its checkpoint is of "
            f"{checkpoint.size}"
        )
    try:
        merkle.verify_inclusion(index, size, merkle.leaf_hash(raw), proof, checkpoint.root)
    except merkle.ProofError as error:
        raise ReceiptError(f"{_describe(leaf)} is not proven in the log: {error}") from None
    return leaf, checkpoint


def _describe(leaf: dict[str, Any]) -> str:
    if leaf.get("kind") == "filing":
        return f"filing {leaf.get('accession')}"
    if leaf.get("kind") == "document":
        return f"document {leaf.get('document_id')} of case {leaf.get('case')}"
    return f"the {leaf.get('kind')} leaf"


def verify_consistency(
    older_note: str, newer_note: str, proof: Iterable[bytes], verifier: Verifier
) -> tuple[Checkpoint, Checkpoint]:
    """Two signed checkpoints and the proof that the newer tree extends the older one."""
    checkpoints = []
    for which, note in (("older", older_note), ("newer", newer_note)):
        try:
            checkpoints.append(open_checkpoint(note, verifier))
        except NoteError as error:
            raise ReceiptError(f"the {which} checkpoint is refused: {error}") from None
    older, newer = checkpoints
    try:
        merkle.verify_consistency(older.size, newer.size, older.root, newer.root, list(proof))
    except merkle.ProofError as error:
        raise ReceiptError(
            f"the checkpoints of size {older.size} and {newer.size} are not consistent: {error}"
        ) from None
    return older, newer


def check_held_checkpoints(
    leaf_hashes: list[bytes], head: Checkpoint, held: dict[str, str], verifier: Verifier
) -> list[str]:
    """Problems found when a log's leaves (ending at the signed `head`) are set against
    checkpoints kept elsewhere before (name -> signed note): each must be a prefix of it."""
    problems = []
    if len(leaf_hashes) != head.size:
        return [f"the log holds {len(leaf_hashes)} leaves but its checkpoint says {head.size}"]
    opened: dict[str, Checkpoint] = {}
    for name, note in sorted(held.items()):
        try:
            opened[name] = open_checkpoint(note, verifier)
        except NoteError as error:
            problems.append(f"checkpoint {name} is refused: {error}")
    sizes = [c.size for c in opened.values() if c.size <= head.size] + [head.size]
    roots = merkle.roots_at(leaf_hashes, sizes)
    if roots[head.size] != head.root:
        problems.append(f"the log's leaves do not give the root of its checkpoint {head.size}")
    for name, checkpoint in sorted(opened.items()):
        if checkpoint.size > head.size:
            problems.append(
                f"checkpoint {name} (size {checkpoint.size}) is newer than this log (size "
                f"{head.size}): a log only grows, so this log cannot be shown to extend it"
            )
        elif roots[checkpoint.size] != checkpoint.root:
            problems.append(
                f"the log is not consistent with checkpoint {name}: its first "
                f"{checkpoint.size} leaves no longer give the root signed then (history "
                "was rewritten)"
            )
    return problems
