"""Whether an uploaded PDF may be kept: readable, not encrypted, carrying no active content.

The file is walked by `pdf_walker.py` in a child process with a budget of CPU time and
memory (see that file for what is read and how), so the cost of a check is bounded
whatever the file claims: a crafted file that needs more is refused as too complex to
check, in the time the budget allows. See docs/security.md.

The walker runs as a server process, started once and kept (one per check under way at
a time in this process), which forks a child for each file: a check costs a fork, not
starting Python and importing pikepdf.
"""

import json
import os
import select

# Only ever runs this interpreter on this project's own script, with a fixed argument list.
import subprocess  # nosec B404
import sys
import threading
from pathlib import Path

from workflows.bilingual import BiText, t

WALKER = Path(__file__).with_name("pdf_walker.py")
# The walker's server answers within its child's wall-clock limit (20 s); this covers
# that and the server's start, and only ends a server that stopped answering.
WALL_SECONDS = 30
REPORT_BYTES = 4096


class Walker:
    """One walker server: a file in, its report out, one at a time."""

    def __init__(self):
        self.process = subprocess.Popen(  # nosec B603
            [sys.executable, "-I", str(WALKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def report(self, data: bytes) -> dict | None:
        """The walker's report on `data`, or None when the server fails to give one."""
        try:
            self.process.stdin.write(len(data).to_bytes(8, "big") + data)
            self.process.stdin.flush()
            length = int.from_bytes(self._read(8), "big")
            if length > REPORT_BYTES:
                return None
            return json.loads(self._read(length))
        except (OSError, ValueError):
            return None

    def _read(self, size: int) -> bytes:
        answer = self.process.stdout
        chunks = b""
        while len(chunks) < size:
            ready, _, _ = select.select([answer], [], [], WALL_SECONDS)
            chunk = os.read(answer.fileno(), size - len(chunks)) if ready else b""
            if not chunk:
                raise OSError("the PDF walker did not answer")
            chunks += chunk
        return chunks

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


_idle: list[Walker] = []
_idle_lock = threading.Lock()
# A forked process (a server's worker) starts its own walkers: these pipes are its parent's.
os.register_at_fork(after_in_child=_idle.clear)


def walk(data: bytes) -> dict | None:
    """The report of an idle walker, or of a new one when every walker is busy."""
    with _idle_lock:
        walker = _idle.pop() if _idle else None
    if walker is None or not walker.alive():
        walker = Walker()
    report = walker.report(data)
    if report is None:
        walker.stop()  # its state is unknown: the next check starts a fresh one
        return None
    with _idle_lock:
        _idle.append(walker)
    return report


# What a refusal names, in this order.
FINDINGS = {
    "javascript": t("JavaScript", "자바스크립트(JavaScript)"),
    "launch": t("a launch action (starts a program)", "프로그램 실행 동작(Launch)"),
    "submit_form": t("a form submission action", "양식 전송 동작(SubmitForm)"),
    "import_data": t("a data import action", "데이터 가져오기 동작(ImportData)"),
    "rich_media": t("rich media (Flash, video or 3D)", "리치 미디어(RichMedia)"),
    "embedded_files": t("embedded files", "내장 첨부 파일(EmbeddedFiles)"),
    "xfa": t("an XFA form", "XFA 양식"),
    "automatic_action": t(
        "an action run on opening or on an event (/OpenAction, /AA)",
        "파일을 열 때나 특정 사건에 실행되는 동작(/OpenAction, /AA)",
    ),
}


def pdf_problem(data: bytes) -> BiText | None:
    """Why this PDF cannot be kept on file, or None."""
    report = walk(data)
    if report is None:
        return too_complex()
    outcome = report["outcome"]
    if outcome == "carries":
        return carries(report["found"])
    return {
        "clean": None,
        "encrypted": encrypted(),
        "damaged": damaged(),
        "too_complex": too_complex(),
    }[outcome]


def carries(found: list[str]) -> BiText:
    names = [FINDINGS[key] for key in FINDINGS if key in found]
    english = ", ".join(name.en for name in names)
    korean = ", ".join(name.ko for name in names)
    return t(
        f"The PDF carries {english}, which the register does not accept: "
        "remove it and upload the file again.",
        f"PDF에 {korean}이(가) 들어 있어 받을 수 없습니다. 제거한 뒤 다시 올리십시오.",
    )


def encrypted() -> BiText:
    return t(
        "The PDF is encrypted or password-protected: upload it without protection.",
        "암호화되었거나 비밀번호가 걸린 PDF입니다. 보호를 해제하고 올리십시오.",
    )


def damaged() -> BiText:
    return t(
        "The PDF cannot be read: it is damaged or not a valid PDF.",
        "PDF를 읽을 수 없습니다. 손상되었거나 올바른 PDF가 아닙니다.",
    )


def too_complex() -> BiText:
    return t(
        "The PDF is too complex to check in the time an upload is given (too many objects "
        "or revisions): save it again with your PDF software, for example by printing it "
        "to a new PDF, and upload that file.",
        "PDF가 너무 복잡하여 업로드에 주어진 시간 안에 검사할 수 없습니다(개체나 개정 "
        "이력이 너무 많음). PDF 프로그램에서 새 PDF로 인쇄하는 등 다시 저장한 파일을 "
        "올리십시오.",
    )
