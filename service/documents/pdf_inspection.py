"""Whether an uploaded PDF may be kept: readable, not encrypted, carrying no active content.

The file is walked by `pdf_walker.py` in a child process with a budget of CPU time and
memory (see that file for what is read and how), so the cost of a check is bounded
whatever the file claims: a crafted file that needs more is refused as too complex to
check, in the time the budget allows. See docs/security.md.
"""

import json

# Only ever runs this interpreter on this project's own script, with a fixed argument list.
import subprocess  # nosec B404
import sys
from pathlib import Path

from forms.i18n import BiText, t

WALKER = Path(__file__).with_name("pdf_walker.py")
# The walker stops itself after its CPU budget; this only ends a child that hangs
# without using CPU (it never should).
WALL_SECONDS = 20

# What a refusal names, in this order.
FINDINGS = {
    "javascript": ("JavaScript", "자바스크립트(JavaScript)"),
    "launch": ("a launch action (starts a program)", "프로그램 실행 동작(Launch)"),
    "submit_form": ("a form submission action", "양식 전송 동작(SubmitForm)"),
    "import_data": ("a data import action", "데이터 가져오기 동작(ImportData)"),
    "rich_media": ("rich media (Flash, video or 3D)", "리치 미디어(RichMedia)"),
    "embedded_files": ("embedded files", "내장 첨부 파일(EmbeddedFiles)"),
    "xfa": ("an XFA form", "XFA 양식"),
    "automatic_action": (
        "an action run on opening or on an event (/OpenAction, /AA)",
        "파일을 열 때나 특정 사건에 실행되는 동작(/OpenAction, /AA)",
    ),
}


def pdf_problem(data: bytes) -> BiText | None:
    """Why this PDF cannot be kept on file, or None."""
    try:
        answer = subprocess.run(  # nosec B603
            [sys.executable, "-I", str(WALKER)],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return too_complex()
    if answer.returncode != 0:
        # Killed by its CPU budget (SIGPROF) or its memory limit: the file costs too much.
        return too_complex()
    report = json.loads(answer.stdout)
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
    english = ", ".join(en for en, _ in names)
    korean = ", ".join(ko for _, ko in names)
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
