"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and the checkpoints
(c2sp.org/tlog-checkpoint) they carry: origin, tree size, base64 root hash."""

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"  # the signature type byte of Ed25519 signed notes
DASH = "\u2014 "  # a signature line starts with an em dash and a space


class NoteError(ValueError):
    """A note, key or checkpoint refused; the message says what failed."""


def _check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"a key name must be non-empty, without spaces or '+': {name!r}")
    return name


def _public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, public_key: bytes) -> bytes:
    """SHA-256(key name || 0x0A || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public_key: Ed25519PublicKey

    def encoded(self) -> str:
        """The verifier key string: name+hex key ID+base64(0x01 || public key)."""
        raw = ED25519 + _public_bytes(self.public_key)
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(raw).decode()}"


def verifier_for(name: str, private_key: Ed25519PrivateKey) -> Verifier:
    public = private_key.public_key()
    return Verifier(_check_name(name), key_id(name, _public_bytes(public)), public)


def parse_verifier(text: str) -> Verifier:
    parts = text.strip().split("+", 2)  # base64 may hold '+' too
    if len(parts) != 3:
        raise NoteError("a verifier key reads name+keyid+base64key")
    name, hex_id, encoded = parts
    _check_name(name)
    try:
        raw = base64.b64decode(encoded, validate=True)
        wanted = bytes.fromhex(hex_id)
    except (binascii.Error, ValueError):
        raise NoteError("the verifier key's ID or key is not well encoded") from None
    if len(raw) != 33 or raw[:1] != ED25519:
        raise NoteError("the verifier key is not an Ed25519 key")
    if len(wanted) != 4 or key_id(name, raw[1:]) != wanted:
        raise NoteError("the verifier key's ID does not match its name and key")
    return Verifier(name, wanted, Ed25519PublicKey.from_public_bytes(raw[1:]))


def signer_key(name: str, private_key: Ed25519PrivateKey) -> str:
    """The private key in the same style: PRIVATE+KEY+name+keyid+base64(0x01 || seed)."""
    verifier = verifier_for(name, private_key)
    seed = private_key.private_bytes_raw()
    encoded = base64.b64encode(ED25519 + seed).decode()
    return f"PRIVATE+KEY+{name}+{verifier.key_id.hex()}+{encoded}"


def parse_signer_key(text: str) -> tuple[str, Ed25519PrivateKey]:
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise NoteError("a signer key reads PRIVATE+KEY+name+keyid+base64key")
    name = _check_name(parts[2])
    try:
        raw = base64.b64decode(parts[4], validate=True)
    except binascii.Error:
        raise NoteError("the signer key is not well encoded") from None
    if len(raw) != 33 or raw[:1] != ED25519:
        raise NoteError("the signer key is not an Ed25519 key")
    private_key = Ed25519PrivateKey.from_private_bytes(raw[1:])
    if verifier_for(name, private_key).key_id.hex() != parts[3]:
        raise NoteError("the signer key's ID does not match its name and key")
    return name, private_key


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("a note's text must end with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("a note may hold no control characters but newlines")


def sign(text: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """The signed note: the text, a blank line, one signature line."""
    _check_text(text)
    verifier = verifier_for(name, private_key)
    signature = private_key.sign(text.encode())
    encoded = base64.b64encode(verifier.key_id + signature).decode()
    return f"{text}\n{DASH}{name} {encoded}\n"


def open_note(note: str, verifier: Verifier) -> str:
    """The note's text, once a signature by `verifier` is found valid. Signatures by other
    keys are ignored (the spec's rule); a bad one by this key refuses the note."""
    _check_text(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("the note has no signature block")
    text, block = note[: split + 1], note[split + 2 :]
    lines = block.split("\n")
    if lines[-1] != "" or len(lines) < 2:
        raise NoteError("the note's signature block is malformed")
    verified = False
    for line in lines[:-1]:
        if not line.startswith(DASH):
            raise NoteError(f"not a signature line: {line[:40]!r}")
        name, _, encoded = line[len(DASH) :].rpartition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError(f"the signature by {name} is not base64") from None
        if len(raw) < 5:
            raise NoteError(f"the signature by {name} is too short")
        if name != verifier.name or raw[:4] != verifier.key_id:
            continue
        try:
            verifier.public_key.verify(raw[4:], text.encode())
        except InvalidSignature:
            raise NoteError(
                f"the signature by {name} does not verify: the note was changed after it was signed"
            ) from None
        verified = True
    if not verified:
        raise NoteError(
            f"the note is not signed by the key {verifier.name}+{verifier.key_id.hex()}"
        )
    return text


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    note: str = ""

    def text(self) -> str:
        return checkpoint_text(self.origin, self.size, self.root)


def checkpoint_text(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def parse_checkpoint_text(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise NoteError("a checkpoint has at least three non-empty lines")
    origin, size, root = lines[0], lines[1], lines[2]
    if not size.isdigit() or (size != "0" and size.startswith("0")):
        raise NoteError(f"the checkpoint's tree size is not a number: {size!r}")
    try:
        digest = base64.b64decode(root, validate=True)
    except binascii.Error:
        raise NoteError("the checkpoint's root hash is not base64") from None
    if len(digest) != 32:
        raise NoteError("the checkpoint's root hash is not a SHA-256 hash")
    return Checkpoint(origin, int(size), digest)


def open_checkpoint(note: str, verifier: Verifier, origin: str | None = None) -> Checkpoint:
    """The checkpoint in a signed note, verified; its origin must be the key's name (or
    `origin` when given)."""
    checkpoint = parse_checkpoint_text(open_note(note, verifier))
    if checkpoint.origin != (origin or verifier.name):
        raise NoteError(
            f"the checkpoint is of the log {checkpoint.origin!r}, not {origin or verifier.name!r}"
        )
    return Checkpoint(checkpoint.origin, checkpoint.size, checkpoint.root, note)


def sign_checkpoint(origin: str, size: int, root: bytes, private_key: Ed25519PrivateKey) -> str:
    return sign(checkpoint_text(origin, size, root), origin, private_key)
