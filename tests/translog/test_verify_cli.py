"""The standalone verifier, run as a person would: files on disk, `python -m translog.verify`."""

import hashlib
import json
import subprocess
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from translog import merkle, note, receipt

ORIGIN = "registry.test/log"


class MemoryLog:
    """A log kept in memory with the same node layout the database keeps."""

    def __init__(self, key):
        self.key, self.nodes, self.leaves = key, {}, []

    def append(self, leaf: dict) -> int:
        size = len(self.leaves)
        frontier = [self.nodes[n] for n in merkle.perfect_pieces(0, size)]
        for level, index, digest in merkle.appended(
            size, frontier, [receipt.leaf_hash_of(leaf)]
        ).nodes:
            self.nodes[(level, index)] = digest
        self.leaves.append(leaf)
        return size

    def fetch(self, wanted):
        return {n: self.nodes[n] for n in wanted}

    def checkpoint(self, size=None) -> str:
        size = len(self.leaves) if size is None else size
        return note.sign_checkpoint(ORIGIN, size, merkle.root_hash(size, self.fetch), self.key)

    def receipt(self, index: int, size: int | None = None) -> dict:
        size = len(self.leaves) if size is None else size
        proof = merkle.inclusion_proof(index, size, self.fetch)
        return receipt.make_receipt(self.leaves[index], index, self.checkpoint(size), size, proof)


def _filing_leaf(number: int, pdf: bytes) -> dict:
    return {
        "kind": "filing",
        "accession": f"VAR-2026-{number:06d}",
        "filed_at": "2026-11-24T01:00:00.000000+00:00",
        "content_sha256": hashlib.sha256(f"json {number}".encode()).hexdigest(),
        "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
    }


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "translog.verify", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def _log_with_files(tmp_path, count=9):
    key = Ed25519PrivateKey.generate()
    log = MemoryLog(key)
    pdfs = {}
    for number in range(1, count + 1):
        pdfs[number] = f"%PDF-1.7 filing {number} %%EOF".encode()
        log.append(_filing_leaf(number, pdfs[number]))
        log.append({"kind": "audit_event", "seq": number, "hash": "ab" * 32})
    key_file = tmp_path / "log.key"
    key_file.write_text(note.verifier_for(ORIGIN, key).encoded() + "\n")
    return log, pdfs, key_file


def test_a_filed_pdf_is_found_in_the_log_and_a_changed_one_is_not(tmp_path):
    log, pdfs, key_file = _log_with_files(tmp_path)
    pdf, receipt_file = tmp_path / "VAR-2026-000004.pdf", tmp_path / "receipt.json"
    pdf.write_bytes(pdfs[4])
    receipt_file.write_text(json.dumps(log.receipt(6)))
    run = _run("file", pdf, receipt_file, "--key", key_file)
    assert run.returncode == 0, run.stderr
    assert "VAR-2026-000004" in run.stdout and "size 18" in run.stdout

    pdf.write_bytes(pdfs[4].replace(b"filing 4", b"filing 5"))
    run = _run("file", pdf, receipt_file, "--key", key_file)
    assert run.returncode == 1
    assert "not the one the log holds for filing VAR-2026-000004" in run.stderr


def test_a_proof_for_another_size_or_a_checkpoint_of_another_key_is_refused(tmp_path):
    log, pdfs, key_file = _log_with_files(tmp_path)
    pdf, receipt_file = tmp_path / "f.pdf", tmp_path / "receipt.json"
    pdf.write_bytes(pdfs[2])
    # The proof of size 12 with the checkpoint of size 18.
    mixed = log.receipt(2, 12) | {"checkpoint": log.checkpoint(18), "tree_size": 18}
    receipt_file.write_text(json.dumps(mixed))
    run = _run("file", pdf, receipt_file, "--key", key_file)
    assert run.returncode == 1 and "is not proven in the log" in run.stderr
    stale = log.receipt(2, 12) | {"checkpoint": log.checkpoint(18)}
    receipt_file.write_text(json.dumps(stale))
    run = _run("file", pdf, receipt_file, "--key", key_file)
    assert run.returncode == 1 and "tree of 12 leaves but its checkpoint is of 18" in run.stderr
    forged = MemoryLog(Ed25519PrivateKey.generate())
    forged.leaves, forged.nodes = log.leaves, log.nodes
    receipt_file.write_text(json.dumps(forged.receipt(2)))
    run = _run("file", pdf, receipt_file, "--key", key_file)
    assert run.returncode == 1 and "checkpoint is refused: the note is not signed" in run.stderr


def test_two_checkpoints_are_consistent_or_refused(tmp_path):
    log, _, key_file = _log_with_files(tmp_path)
    older, newer, proof = tmp_path / "older", tmp_path / "newer", tmp_path / "proof.json"
    older.write_text(log.checkpoint(7))
    newer.write_text(log.checkpoint(18))
    hashes = merkle.consistency_proof(7, 18, log.fetch)
    proof.write_text(json.dumps({"from": 7, "to": 18, "proof": [receipt.b64(h) for h in hashes]}))
    run = _run("consistency", older, newer, proof, "--key", key_file)
    assert run.returncode == 0, run.stderr

    # The same log with leaf 3 rewritten: its checkpoint of size 18 is signed by the same
    # key, but no proof leads from the size 7 signed before to it.
    rewritten = MemoryLog(log.key)
    for index, leaf in enumerate(log.leaves):
        rewritten.append(leaf | {"hash": "cd" * 32} if index == 3 else leaf)
    newer.write_text(rewritten.checkpoint(18))
    hashes = merkle.consistency_proof(7, 18, rewritten.fetch)
    proof.write_text(json.dumps({"from": 7, "to": 18, "proof": [receipt.b64(h) for h in hashes]}))
    run = _run("consistency", older, newer, proof, "--key", key_file)
    assert run.returncode == 1
    assert "checkpoints of size 7 and 18 are not consistent" in run.stderr


def test_the_verifier_needs_neither_flask_nor_a_database():
    code = (
        "import sys, translog.verify, translog.receipt; "
        "print(sorted(m for m in ('flask', 'sqlalchemy', 'service') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
