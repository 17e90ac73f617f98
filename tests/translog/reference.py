"""Independent references for the log's tests: pymerkle 7.0.0 for RFC 9162 trees (its
default hashing prefixes leaves with 0x00 and nodes with 0x01 and splits at the largest
power of two below the width, as RFC 9162 section 2.1.1 does), and a signed-note reader
written here from the C2SP signed-note text, sharing no code with translog."""

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pymerkle import InmemoryTree


def pymerkle_tree(leaves: list[bytes]) -> InmemoryTree:
    tree = InmemoryTree(algorithm="sha256")
    for leaf in leaves:
        tree.append_entry(leaf)
    return tree


def pymerkle_inclusion(tree: InmemoryTree, index: int, size: int) -> list[bytes]:
    """RFC 9162 PATH(index, D[size]): pymerkle's path less its first entry (the leaf)."""
    return tree.prove_inclusion(index + 1, size).path[1:]


def rfc_mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]), RFC 9162 section 2.1.1, recursively over the raw leaves."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + rfc_mth(leaves[:k]) + rfc_mth(leaves[k:])).digest()


def rfc_consistency(first: int, leaves: list[bytes], whole: bool = True) -> list[bytes]:
    """SUBPROOF(m, D[n], b), RFC 9162 section 2.1.4.1, as written there. (pymerkle's
    consistency paths follow another layout, so only its roots and inclusion paths serve
    as the reference.)"""
    if first == len(leaves):
        return [] if whole else [rfc_mth(leaves)]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    if first <= k:
        return rfc_consistency(first, leaves[:k], whole) + [rfc_mth(leaves[k:])]
    return rfc_consistency(first - k, leaves[k:], False) + [rfc_mth(leaves[:k])]


def c2sp_open(note: str, verifier_key: str) -> str:
    """The text of a signed note if the key (name+hex key ID+base64(0x01 || key)) signed
    it; AssertionError otherwise. From c2sp.org/signed-note: text ending in a newline, a
    blank line, lines of em dash, space, key name, space, base64(4-byte key ID ||
    signature); key ID = SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    name, key_id_hex, encoded = verifier_key.split("+", 2)
    raw = base64.b64decode(encoded)
    assert raw[0] == 1 and len(raw) == 33
    key_id = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    assert key_id.hex() == key_id_hex
    text, separator, signatures = note.rpartition("\n\n")
    assert separator and signatures.endswith("\n")
    text += "\n"
    for line in signatures[:-1].split("\n"):
        assert line.startswith("\u2014 ")
        signer, blob = line[2:].split(" ")
        blob = base64.b64decode(blob)
        if signer == name and blob[:4] == key_id:
            Ed25519PublicKey.from_public_bytes(raw[1:]).verify(blob[4:], text.encode())
            return text
    raise AssertionError("no signature by this key")
