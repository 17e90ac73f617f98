"""Signed notes and checkpoints against the Go sumdb vector and a reader written from the
C2SP text (tests/translog/reference.py)."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.translog.reference import c2sp_open
from translog import note

# golang.org/x/mod/sumdb/note's documented example: its signer key, verifier key, text and
# the signed note it prints (Ed25519 is deterministic, so ours must print the same bytes).
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2"
    "pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_signing_reproduces_the_go_note_byte_for_byte():
    name, key = note.parse_signer_key(GO_SIGNER)
    assert note.sign(GO_TEXT, name, key) == GO_NOTE
    assert note.verifier_for(name, key).encoded() == GO_VERIFIER
    assert note.signer_key(name, key) == GO_SIGNER
    assert note.open_note(GO_NOTE, note.parse_verifier(GO_VERIFIER)) == GO_TEXT


def test_a_checkpoint_reads_as_c2sp_says():
    key = Ed25519PrivateKey.generate()
    origin = "registry.fsc.example/log"
    root = bytes(range(32))
    signed = note.sign_checkpoint(origin, 1234, root, key)
    verifier = note.verifier_for(origin, key).encoded()
    text = c2sp_open(signed, verifier)
    assert text == f"{origin}\n1234\n{base64.b64encode(root).decode()}\n"
    opened = note.open_checkpoint(signed, note.parse_verifier(verifier))
    assert (opened.origin, opened.size, opened.root) == (origin, 1234, root)


def test_another_key_a_changed_text_or_a_bad_checkpoint_is_refused():
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    origin = "registry.fsc.example/log"
    verifier = note.verifier_for(origin, key)
    signed = note.sign_checkpoint(origin, 5, b"\x01" * 32, key)
    with pytest.raises(note.NoteError, match="not signed by the key"):
        note.open_checkpoint(note.sign_checkpoint(origin, 5, b"\x01" * 32, other), verifier)
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_checkpoint(signed.replace("\n5\n", "\n6\n"), verifier)
    # Signed by our key, but as another log: the origin is checked.
    with pytest.raises(note.NoteError, match="of the log"):
        note.open_checkpoint(
            note.sign("elsewhere.example/log\n5\n" + "AQ" * 21 + "A=\n", origin, key), verifier
        )
    with pytest.raises(note.NoteError, match="tree size"):
        note.parse_checkpoint_text(f"{origin}\n05\n{base64.b64encode(bytes(32)).decode()}\n")
    with pytest.raises(note.NoteError, match="SHA-256"):
        note.parse_checkpoint_text(f"{origin}\n5\n{base64.b64encode(bytes(31)).decode()}\n")
    with pytest.raises(note.NoteError, match="ID does not match"):
        note.parse_verifier(GO_VERIFIER.replace("c74f20a3", "c74f20a4"))
