"""Check the registry's transparency log offline, trusting nothing but its public key.

    python -m translog.verify file FILE RECEIPT --key KEY
        FILE (a filing's PDF or JSON, or a document) is the one recorded in the log at the
        receipt's checkpoint.
    python -m translog.verify consistency OLDER NEWER PROOF --key KEY
        The newer checkpoint's tree extends the older one's (PROOF: the JSON of
        /api/v1/log/proof/consistency?from=M&to=N).
    python -m translog.verify log LEAVES CHECKPOINT --held FOLDER --key KEY
        A log's leaf hashes (32 bytes each, in order) give its signed checkpoint and are
        consistent with every checkpoint kept in FOLDER.

KEY is the verifier key (name+keyid+base64key, /api/v1/log/key) or a file holding it.
Exit status 0 when everything holds, 1 naming what failed.
"""

import argparse
import json
import sys
from pathlib import Path

from translog.note import NoteError, Verifier, open_checkpoint, parse_verifier
from translog.receipt import (
    ReceiptError,
    check_held_checkpoints,
    unb64,
    verify_consistency,
    verify_receipt,
)


def load_verifier(key: str) -> Verifier:
    path = Path(key)
    text = path.read_text() if "+" not in key and path.is_file() else key
    return parse_verifier(text)


def read_leaves(data: bytes) -> list[bytes]:
    if len(data) % 32:
        raise ReceiptError("a leaves file holds 32-byte hashes: its length is not a multiple")
    return [data[i : i + 32] for i in range(0, len(data), 32)]


def read_held(folder: Path) -> dict[str, str]:
    """The checkpoints kept in a folder (every file in it is one signed note)."""
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.is_file()}


def _file(args, verifier: Verifier) -> str:
    receipt = json.loads(Path(args.receipt).read_text())
    leaf, checkpoint = verify_receipt(receipt, verifier, Path(args.file).read_bytes())
    name = leaf.get("accession") or leaf.get("document_id")
    return (
        f"{args.file} is {leaf['kind']} {name}, leaf {receipt['leaf_index']} of the log "
        f"{checkpoint.origin} at size {checkpoint.size}"
    )


def _consistency(args, verifier: Verifier) -> str:
    proof = json.loads(Path(args.proof).read_text())
    hashes = [unb64(p, "a consistency proof hash") for p in proof["proof"]]
    older, newer = verify_consistency(
        Path(args.older).read_text(), Path(args.newer).read_text(), hashes, verifier
    )
    return f"the log at size {newer.size} extends the log at size {older.size}"


def _log(args, verifier: Verifier) -> str:
    try:
        head = open_checkpoint(Path(args.checkpoint).read_text(), verifier)
    except NoteError as error:
        raise ReceiptError(f"the log's checkpoint is refused: {error}") from None
    held = read_held(Path(args.held)) if args.held else {}
    problems = check_held_checkpoints(
        read_leaves(Path(args.leaves).read_bytes()), head, held, verifier
    )
    if problems:
        raise ReceiptError("; ".join(problems))
    return f"the log at size {head.size} is consistent with {len(held)} checkpoint(s) held"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m translog.verify",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    file = commands.add_parser("file", help="a file against its receipt")
    file.add_argument("file")
    file.add_argument("receipt")
    consistency = commands.add_parser("consistency", help="two checkpoints")
    consistency.add_argument("older")
    consistency.add_argument("newer")
    consistency.add_argument("proof")
    log = commands.add_parser("log", help="a log's leaves against checkpoints held")
    log.add_argument("leaves")
    log.add_argument("checkpoint")
    log.add_argument("--held", help="a folder of checkpoints kept before")
    for command in (file, consistency, log):
        command.add_argument("--key", required=True, help="the log's verifier key, or its file")
    args = parser.parse_args(argv)
    run = {"file": _file, "consistency": _consistency, "log": _log}[args.command]
    try:
        print("OK:", run(args, load_verifier(args.key)))
    except (ReceiptError, NoteError) as error:
        print(f"REFUSED: {error}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as error:
        print(f"REFUSED: cannot read the input ({error})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
