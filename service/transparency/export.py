"""The log in the auditor's export: the key, a checkpoint signed for the export, every
leaf hash up to it, and a receipt for each filing; checked offline by `verify-export`
with the same code as the standalone verifier, against checkpoints the auditor kept."""

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from service.extensions import db
from service.models import Filing, LogLeaf
from service.transparency import checkpoints, log, receipts
from translog.note import NoteError, open_checkpoint, parse_verifier
from translog.receipt import ReceiptError, check_held_checkpoints, verify_receipt
from translog.verify import read_held, read_leaves

KEY, CHECKPOINT, LEAVES = "log/key", "log/checkpoint", "log/leaves.bin"


def receipt_path(accession: str) -> str:
    return f"log/receipts/{accession}.json"


def add_log(add: Callable[[str, bytes], None], accessions: list[str]) -> None:
    checkpoint = checkpoints.issue(db.session)
    add(KEY, (checkpoints.verifier().encoded() + "\n").encode())
    add(CHECKPOINT, checkpoint.note.encode())
    hashes = db.session.execute(
        select(LogLeaf.leaf_hash)
        .where(LogLeaf.leaf_index < checkpoint.tree_size)
        .order_by(LogLeaf.leaf_index)
    ).scalars()
    add(LEAVES, b"".join(bytes.fromhex(h) for h in hashes))
    for accession in accessions:
        filing = db.session.execute(
            select(Filing).where(Filing.accession_number == accession)
        ).scalar_one()
        row = log.leaf_of(db.session, log.filing_leaf(filing)) if filing.pdf_sha256 else None
        if row is not None and row.leaf_index < checkpoint.tree_size:
            found = receipts.receipt_for(db.session, row, checkpoint)
            add(receipt_path(accession), json.dumps(found, indent=2).encode())


def check_log(archive: zipfile.ZipFile, held_folder: str | None) -> list[str]:
    names = set(archive.namelist())
    if CHECKPOINT not in names:
        return [f"{CHECKPOINT} is missing: the export carries no log"]
    problems = []
    try:
        verifier = parse_verifier(archive.read(KEY).decode())
        head = open_checkpoint(archive.read(CHECKPOINT).decode(), verifier)
        leaves = read_leaves(archive.read(LEAVES))
    except (KeyError, NoteError, ReceiptError) as error:
        return [f"the export's log cannot be read: {error}"]
    held = read_held(Path(held_folder)) if held_folder else {}
    problems += check_held_checkpoints(leaves, head, held, verifier)
    for name in sorted(n for n in names if n.startswith("log/receipts/")):
        accession = name.rsplit("/", 1)[1].removesuffix(".json")
        pdf = f"filings/{accession}.pdf"
        try:
            verify_receipt(
                json.loads(archive.read(name)),
                verifier,
                archive.read(pdf) if pdf in names else None,
            )
        except (ReceiptError, ValueError) as error:
            problems.append(f"{name}: {error}")
    return problems
