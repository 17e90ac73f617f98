"""Reading PDFs back in tests: text, fonts, PDF/A identification, tagging, attachments."""

import io
import re
from collections import Counter

from pypdf import PdfReader


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes) -> str:
    """All the text, whitespace removed (extraction may split or join words)."""
    pages = reader(data).pages
    return "".join("".join(page.extract_text() or "" for page in pages).split())


def has_text(data: bytes, *strings: str) -> bool:
    found = text_of(data)
    return all("".join(s.split()) in found for s in strings)


def embedded_fonts(data: bytes) -> set[str]:
    """The BaseFont names of every font used on any page (subset prefix removed)."""
    names: set[str] = set()
    for page in reader(data).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            for candidate in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                name = str(candidate.get("/BaseFont", ""))
                names.add(name.lstrip("/").split("+", 1)[-1])
    return names


def pdfa_part(data: bytes) -> tuple[str, str] | None:
    """(part, conformance) declared in the XMP metadata, e.g. ("3", "A")."""
    root = reader(data).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([A-Za-z])", xmp)
    if not part or not conformance:
        return None
    return part.group(1), conformance.group(1).upper()


def attachments(data: bytes) -> dict[str, bytes]:
    return {name: contents[0] for name, contents in reader(data).attachments.items()}


def attachment_relationships(data: bytes) -> dict[str, str]:
    root = reader(data).trailer["/Root"]
    found = {}
    for spec in root.get("/AF", []):
        spec = spec.get_object()
        found[str(spec["/UF"])] = str(spec.get("/AFRelationship", ""))
    return found


def structure_tags(data: bytes) -> Counter:
    """How many structure elements of each type (H1, Table, TD, ...) the tag tree holds."""
    root = reader(data).trailer["/Root"]
    found: Counter = Counter()
    pending = [root["/StructTreeRoot"]]
    while pending:
        node = pending.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            if "/S" in node:
                found[str(node["/S"]).lstrip("/")] += 1
            if "/K" in node:
                pending.append(node["/K"])
    return found
