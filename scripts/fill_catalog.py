"""Fill the Korean catalog from a Python file defining KO = {msgid: translation}.

Used when new page strings arrive: `python scripts/fill_catalog.py NEW_TERMS.py`.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parents[1] / "service/translations/ko/LC_MESSAGES/messages.po"


def main(terms_file: str) -> int:
    terms = runpy.run_path(terms_file)["KO"]
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        if message.id in terms and not message.string:
            message.string = terms[message.id]
            filled += 1
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    print(f"filled {filled} translations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
