"""Walk every object of a PDF and say what it carries.

Started by `service.documents.pdf_inspection` as a server process, by path and with
nothing from the project imported. It reads one file after another on standard input
and checks each in a child forked for it, under a limit of CPU time and memory:
whatever a crafted file makes qpdf or this walk do, the child is stopped when its
budget is spent, and the server, which never parses a file itself, answers for it. The
fork is what a check costs, not starting Python and importing pikepdf (about 0.25 s).

qpdf (through pikepdf) parses the file; every object it can reach is walked, inline
dictionaries and arrays included, whatever its number or generation, whether it is
written plainly or packed in an object stream. A reader does not always see the file
as its cross-reference table says: one that finds the table wrong (a lying /Size, a
reference to an object the table leaves out) rebuilds it by scanning the file, and one
may open an earlier revision of an incrementally updated file. So the file is read as
its table says and as qpdf rebuilds it when the table cannot be used; each earlier
revision is read as its own table says, and rebuilt too when qpdf has to repair it or a
reference names an object its table lacks. Every object body any of these views finds
is inspected once.

Each request is the file's length (8 bytes, big-endian) and the file; each answer is the
length and one JSON object: {"outcome": "clean" | "carries" | "encrypted" | "damaged" |
"too_complex", "found": [what it carries]}.
"""

import io
import json
import os
import re
import resource
import select
import signal
import sys

import pikepdf
from pikepdf import Name, Object, ObjectType
from pikepdf.settings import set_qpdf_limits

# The budget of one check. CPU time rather than wall time, so a busy server does not
# refuse a file a quiet one accepts; the parent also gives up after a wall-clock delay.
CPU_SECONDS = 1.5
MEMORY_BYTES = 2 * 1024**3
# The child stops itself after its CPU budget; this only ends one that hangs without
# using CPU (it never should).
WALL_SECONDS = 20
REPORT_BYTES = 4096  # a report is far shorter; written at once, it arrives whole
MAX_REVISIONS = 32  # incremental updates, each ending in %%EOF

# An action's type (its /S) and what it is.
ACTION_TYPES = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "submit_form",
    "/ImportData": "import_data",
    "/RichMediaExecute": "rich_media",
}
# Keys whose presence says what the dictionary carries.
TELLING_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",  # the document's named scripts
    "/XFA": "xfa",
    "/EmbeddedFiles": "embedded_files",
    "/EF": "embedded_files",  # a file specification with the file inside
    "/RichMediaContent": "rich_media",
}
TELLING_TYPES = {
    ("/Type", "/EmbeddedFile"): "embedded_files",
    ("/Subtype", "/FileAttachment"): "embedded_files",
    ("/Subtype", "/RichMedia"): "rich_media",
}

EOF_MARK = re.compile(rb"%%EOF[ \t]*\r?\n?")
STARTXREF = re.compile(rb"startxref\s+\d+")


CONTAINERS = (ObjectType.dictionary, ObjectType.array, ObjectType.stream)
DICTIONARIES = (ObjectType.dictionary, ObjectType.stream)


def serve() -> None:
    """Answer each file read on standard input, until it closes."""
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    while header := requests.read(8):
        data = requests.read(int.from_bytes(header, "big"))
        report = json.dumps(check_in_child(data)).encode()
        answers.write(len(report).to_bytes(8, "big") + report)
        answers.flush()


def check_in_child(data: bytes) -> dict:
    """The report of a child forked to inspect `data` under the budget; a child that is
    stopped by its budget, or fails, leaves the file too complex to check."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child(data, reading, writing)
    os.close(writing)
    answered, _, _ = select.select([reading], [], [], WALL_SECONDS)
    if not answered:
        os.kill(pid, signal.SIGKILL)
    report = os.read(reading, REPORT_BYTES) if answered else b""
    os.close(reading)
    _, status = os.waitpid(pid, 0)
    if status != 0 or not report:
        return {"outcome": "too_complex", "found": []}
    return json.loads(report)


def _child(data: bytes, reading: int, writing: int) -> None:
    """Inspect `data`, write the report and end; never returns to the server's loop."""
    code = 1
    try:
        os.close(reading)
        # The requests and answers are the server's: nothing the child prints reaches them.
        quiet = os.open(os.devnull, os.O_RDWR)
        os.dup2(quiet, 0)
        os.dup2(quiet, 1)
        # Past the CPU budget SIGPROF, whose default action ends the process, even in qpdf.
        signal.setitimer(signal.ITIMER_PROF, CPU_SECONDS)
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
        outcome, found = inspect(data)
        os.write(writing, json.dumps({"outcome": outcome, "found": sorted(found)}).encode())
        code = 0
    finally:
        os._exit(code)


def inspect(data: bytes) -> tuple[str, set[str]]:
    # A compressed object or cross-reference stream may not inflate past 64 MB, nor an
    # array or dictionary hold more than 500,000 items.
    set_qpdf_limits(
        parser_max_container_size=500_000,
        flate_max_memory=64 * 1024 * 1024,
        png_max_memory=64 * 1024 * 1024,
        run_length_max_memory=64 * 1024 * 1024,
        tiff_max_memory=64 * 1024 * 1024,
    )
    ends = [match.end() for match in EOF_MARK.finditer(data)]
    if len(ends) > MAX_REVISIONS:
        return "too_complex", set()
    # The whole file first, then each earlier revision, which ends at an earlier %%EOF.
    revisions = [data] + [data[:end] for end in reversed(ends[:-1])]
    check = Check()
    try:
        for number, revision in enumerate(revisions):
            try:
                with _open(revision) as pdf:
                    if pdf.is_encrypted:
                        return "encrypted", set()
                    doubtful = check.view(pdf)
            except pikepdf.PdfError:
                if number == 0:
                    raise  # the file itself cannot be read
                doubtful = True  # an earlier revision only a repairing reader opens
            # The whole file is always rebuilt too: a reference to an object past the
            # table's /Size is silently null to qpdf but makes other readers rebuild.
            if number == 0 or doubtful:
                try:
                    with _open(_rebuilt(revision)) as pdf:
                        check.view(pdf)
                except pikepdf.PdfError:
                    pass  # a view no reader can open shows nothing
    except pikepdf.PasswordError:
        return "encrypted", set()
    except (pikepdf.PdfError, RecursionError, ValueError, TypeError, KeyError):
        return "damaged", set()
    return ("carries" if check.found else "clean"), check.found


def _rebuilt(data: bytes) -> bytes:
    """The same bytes with the last startxref pointing past the end: qpdf cannot use the
    cross-reference table and rebuilds it from the objects written in the file, as a
    repairing reader does."""
    last = STARTXREF.match(data, max(data.rfind(b"startxref"), 0))
    if last is None:
        return data  # no table at all: qpdf rebuilds it anyway
    return data[: last.start()] + b"startxref\n%d" % (len(data) + 1) + data[last.end() :]


def _open(data: bytes):
    return pikepdf.open(io.BytesIO(data), inherit_page_attributes=False)


class Check:
    """What the views read so far carry, and where the object bodies they read lie."""

    def __init__(self):
        self.found: set[str] = set()
        self.seen: set = set()

    def view(self, pdf) -> bool:
        """Inspect the trailer and every object the view's cross-reference table holds,
        skipping bodies an earlier view read. True when a repairing reader may see the
        file otherwise: qpdf had to warn, or a reference names an object the table lacks
        (qpdf then holds more objects than the table lists)."""
        table = pdf.get_xref_table()
        held = [entry for entry in table.values() if entry.type in (1, 2)]
        self.walk(pdf.trailer)
        for objgen, entry in table.items():
            if entry.type == 1:
                where = (objgen, entry.offset)
            elif entry.type == 2:  # packed in an object stream
                holder = table.get((entry.obj_stream_number, 0))
                if holder is None or holder.type != 1:
                    continue
                where = (objgen, holder.offset, entry.obj_stream_index)
            else:
                continue
            if where not in self.seen:
                self.seen.add(where)
                self.walk(pdf.get_object(objgen))
        return len(pdf.objects) != len(held) or bool(pdf.get_warnings())

    def walk(self, root) -> None:
        """Note what `root` and every dictionary and array written inside it carry.
        Indirect objects are not followed: each is inspected as an object of its own."""
        stack = [root]
        while stack:
            node = stack.pop()
            if not isinstance(node, Object):
                continue  # null, a number, a boolean
            kind = node._type_code
            if kind == ObjectType.array:
                children = node.as_list()
            elif kind in DICTIONARIES:
                dictionary = node.stream_dict if kind == ObjectType.stream else node
                entries = dict(dictionary.items())
                self.found |= _findings(entries)
                children = entries.values()
            else:
                continue  # null, a number, a name, a string: nothing inside
            stack.extend(
                child
                for child in children
                if isinstance(child, Object)
                and child._type_code in CONTAINERS
                and not child.is_indirect
            )


def _findings(entries: dict) -> set[str]:
    found = {TELLING_KEYS[key] for key in entries if key in TELLING_KEYS}
    for (key, value), finding in TELLING_TYPES.items():
        if _name(entries.get(key)) == value:
            found.add(finding)
    action = ACTION_TYPES.get(_name(entries.get("/S")))
    if action:
        found.add(action)
    # Actions that run by themselves: /OpenAction as an action (as a destination array it
    # only says where the reader opens), and any additional action (/AA) at all.
    if _is_dictionary(entries.get("/OpenAction")):
        found.add("automatic_action")
    events = entries.get("/AA")
    if _is_dictionary(events) and len(events.keys()):
        found.add("automatic_action")
    return found


def _name(value) -> str | None:
    return str(value) if isinstance(value, Name) else None


def _is_dictionary(value) -> bool:
    return isinstance(value, Object) and value._type_code in DICTIONARIES


if __name__ == "__main__":
    serve()
