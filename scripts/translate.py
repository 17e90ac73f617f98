"""Keep the Korean catalog in step with the code.

`python scripts/translate.py` extracts every msgid (pages and service code),
merges them into service/translations/ko/LC_MESSAGES/messages.po keeping the
translations there, and lists the msgids still untranslated (exit 1 if any).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "service/translations/ko/LC_MESSAGES/messages.po"
BIN = Path(sys.executable).parent


def main() -> int:
    template = ROOT / "service/translations/messages.pot"
    subprocess.run(
        [
            BIN / "pybabel",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-location",
            "--sort-output",
            "-o",
            template,
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            BIN / "pybabel",
            "update",
            "-i",
            template,
            "-d",
            ROOT / "service/translations",
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    # A plural entry's string is a tuple of forms: each must be filled.
    missing = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))
    ]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
