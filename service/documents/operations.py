"""Supporting documents: PDF only, checked by content, size-limited, never overwritten."""

import re
import uuid

from flask import current_app

from forms.documents import DOCUMENT_TYPES
from service import policy
from service.access import application_for
from service.canonical import sha256_hex
from service.documents.pdf_inspection import pdf_problem
from service.errors import Conflict, Invalid, NotFound
from service.extensions import db
from service.models import Application, Document, User
from service.unit_of_work import Work, unit_of_work
from workflows.bilingual import t

# A document may be added while the issuer is the one holding the case.
UPLOAD_STATES = ("draft", "returned_incomplete", "information_requested")


def check_pdf(data: bytes, limit: int) -> str | None:
    """Why these bytes are not an acceptable PDF, or None."""
    if not data:
        return t("The file is empty.", "빈 파일입니다.")
    if len(data) > limit:
        return too_large(limit)
    # The header at the very first byte: a file that starts as HTML and carries a PDF
    # further down is a polyglot, which a browser may render as a page.
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return t(
            "The file is not a PDF (checked by its content, not its name).",
            "PDF 파일이 아닙니다(파일 이름이 아니라 내용으로 확인합니다).",
        )
    return pdf_problem(data)


def too_large(limit: int) -> str:
    """The refusal of a file over `limit` bytes, whether the document check or Flask's
    MAX_CONTENT_LENGTH (a 413, before the body is read) finds it."""
    size = f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return t(
        "The file is larger than {size}: upload a smaller PDF.",
        "파일이 {size}을(를) 넘습니다. 더 작은 PDF를 올리십시오.",
        size=size,
    )


# "C:" names a Windows drive even without a separator: "C:x.pdf" is x.pdf on drive C.
DRIVE = re.compile(r"[A-Za-z]:")
SUFFIX = ".pdf"
NAME_LENGTH = 200


def filename_problem(filename: str) -> str | None:
    """Why a file's name is refused, or None.

    A name that is a path (folders, '..', a drive or an absolute path) or hides characters
    (NUL, control characters, the direction overrides that dress an .exe up as a .pdf) is
    refused rather than cleaned: what is on file is the name the uploader chose, or nothing.
    A name must end in .pdf (in any case): the name is what a download is saved under, and
    evil.html would open in a browser. No name at all is kept as the caller's default.
    """
    if (
        "/" in filename
        or "\\" in filename
        or filename.strip() in (".", "..")
        or DRIVE.match(filename)
        or not filename.isprintable()
    ):
        return t(
            "The file name may not contain folders, '..' or control characters: "
            "rename the file and upload it again.",
            "파일 이름에는 폴더 경로, '..', 제어 문자를 쓸 수 없습니다. "
            "파일 이름을 바꾸어 다시 올리십시오.",
        )
    if filename.strip() and not filename.strip().lower().endswith(SUFFIX):
        return t(
            "Only PDF files are accepted: the file name must end in .pdf.",
            "PDF 파일만 받습니다. 파일 이름은 .pdf로 끝나야 합니다.",
        )
    return None


def stored_name(filename: str, default: str) -> str:
    """The name kept on file for an accepted upload (filename_problem passed): at most
    NAME_LENGTH characters, shortened before its .pdf, which it keeps."""
    name = filename.strip() or default
    if len(name) > NAME_LENGTH:
        name = name[: NAME_LENGTH - len(SUFFIX)] + name[-len(SUFFIX) :]
    return name


def add_document(
    application: Application, user: User, document_type: str, filename: str, data: bytes
) -> Document:
    """Add a version of a document to `application`, under the case's lock: whether the
    applicant still holds the pen is decided on the row as it is now, not as it was read."""
    with unit_of_work(user, case=application.id) as work:
        document = _add(work, document_type, filename, data)
    return document


def _add(work: Work, document_type: str, filename: str, data: bytes) -> Document:
    application, user = work.case, work.user
    policy.require(user, "document.add", application)
    if application.state not in UPLOAD_STATES:
        # The applicant may add documents, just not in this state: a conflict, not a 403.
        raise Conflict(
            t(
                "Documents can no longer be added to this application.",
                "이 신청서에는 더 이상 서류를 추가할 수 없습니다.",
            ),
            code="state",
        )
    if (
        document_type not in DOCUMENT_TYPES
        or application.category not in (DOCUMENT_TYPES[document_type]["categories"])
    ):
        message = t(
            "This application does not take a document of this type.",
            "이 신청서에는 이 종류의 서류를 첨부할 수 없습니다.",
        )
        raise Invalid(message, code="document_type_refused", errors={"document_type": [message]})
    problem = filename_problem(filename) or check_pdf(data, current_app.config["MAX_UPLOAD_BYTES"])
    if problem:
        raise Invalid(problem, code="document_file_refused", errors={"file": [problem]})
    digest = sha256_hex(data)
    key = f"documents/{application.id}/{uuid.uuid4().hex}.pdf"
    document = Document(
        application=application,
        document_type=document_type,
        filename=stored_name(filename, "document.pdf"),
        size=len(data),
        sha256=digest,
        storage_key=key,
        uploaded_by_id=user.id,
    )
    db.session.add(document)
    work.store(key, data, Document.storage_key)
    work.audit(
        "add_document",
        application_id=application.id,
        detail={"document_type": document_type, "sha256": digest, "size": len(data)},
    )
    return document


def read_upload(stream, limit: int | None = None) -> bytes:
    """At most one byte more than the limit: enough to refuse an oversized file
    without reading all of it into memory."""
    limit = limit if limit is not None else current_app.config["MAX_UPLOAD_BYTES"]
    return stream.read(limit + 1) if stream is not None else b""


def document_for(user: User, application_id: int, document_id: int) -> Document:
    """A document of a case `user` may read (the applicant, or the regulator); 404 otherwise."""
    application = application_for(user, application_id)
    document = db.session.get(Document, document_id)
    if document is None or document.application_id != application.id:
        raise NotFound("No such document.", code="document_not_found")
    return document
