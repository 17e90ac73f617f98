"""Filings as archival PDFs: WeasyPrint, templates in `templates/pdf/`, PDF/A-3a.

One renderer serves every kind. A filing of kind K is laid out by
`templates/pdf/kinds/K.html` when that template exists, by a family's
template when K belongs to one (periodic reports), and by
`kinds/generic.html` otherwise, which prints any filed JSON as labelled
tables: a new kind needs only a template, or not even that.

Every PDF is PDF/A-3a (docs/design.md section 5: it meets PDF/A-3b, maps each
glyph to Unicode so the text extracts, and is tagged so a screen reader reads
it), carries the filed canonical JSON as an embedded file whose relationship
is "Data", and is set in the full PretendardGOV OTF fonts the project ships
(`scripts/vendor_assets.sh`): a font that fails to load would fall back to a system font silently.

The renderer fetches only the project's own files: `ProjectFilesOnly`
refuses every other URL and stops the render, so a `file:///etc/passwd` or an
internal address in a filing cannot leak into its PDF.
"""

import gc
import io
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from forms.documents import DOCUMENT_TYPES
from forms.reports import REPORT_SCHEMAS
from forms.sections import SECTIONS, sections_for
from forms.sections.base import SectionContext
from service.audit.actions import action_label
from service.canonical import sha256_hex
from service.filings import contents, present, seal
from service.filings.kinds import is_periodic_report, kind_title, report_code
from service.models.types import as_utc
from service.regime import regime
from service.timezone import in_korea
from workflows.bilingual import BiText, t
from workflows.korean import with_particles
from workflows.lifecycle import REFUSAL_GROUNDS, REVOCATION_GROUNDS, STATE_LABELS
from workflows.regime import CATEGORY_LABELS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = PROJECT_ROOT / "templates" / "pdf"
FONTS = PROJECT_ROOT / "service" / "static" / "vendor" / "fonts"
FONT_FILES = ("PretendardGOV-Regular.otf", "PretendardGOV-Bold.otf")
# The only folders a render may read: its own templates and stylesheet, and the fonts.
ALLOWED_ROOTS = (TEMPLATES, FONTS)

# Level A: tagged, so a screen reader follows headings and table cells (docs/design.md section 5).
PDF_VARIANT = "pdf/a-3a"
AUTHOR = "금융위원회 가상자산 발행인 등록부 (Financial Services Commission, Issuer Registry)"


class RenderingFailed(RuntimeError):
    """The PDF could not be made; the filing that needed it must not be made either."""


class RefusedResource(FatalURLFetchingError):
    """A render asked for something outside the project's templates and fonts."""


class ProjectFilesOnly(URLFetcher):
    """A URL fetcher that reads local files under `roots` and refuses everything else.

    WeasyPrint swallows ordinary fetch errors and renders on without the
    resource; a FatalURLFetchingError stops the render, so a filing never
    comes out with something missing or something foreign in it.
    """

    def __init__(self, roots: Iterable[Path] = ALLOWED_ROOTS):
        super().__init__(allowed_protocols=["file"], allow_redirects=False, fail_on_errors=True)
        self.roots = tuple(Path(root).resolve() for root in roots)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedResource(f"a filing's PDF may not fetch {url!r}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path == root or root in path.parents for root in self.roots):
            raise RefusedResource(f"a filing's PDF may not read {path}")
        return super().fetch(url, headers)


_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_local = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread: the fonts are loaded once, not per render."""
    if getattr(_local, "fonts", None) is None:
        missing = [name for name in FONT_FILES if not (FONTS / name).is_file()]
        if missing:
            raise RenderingFailed(f"the PDF fonts {missing} are not in {FONTS}; run `make assets`")
        _local.fonts = FontConfiguration()
        _local.stylesheet = CSS(
            filename=str(TEMPLATES / "print.css"),
            url_fetcher=ProjectFilesOnly(),
            font_config=_local.fonts,
        )
    return _local.fonts


def template_for(kind: str) -> list[str]:
    """The templates to try for a kind, most specific first; generic.html always fits."""
    names = [f"kinds/{kind}.html"]
    if is_periodic_report(kind):
        names.append("kinds/periodic_report.html")
    names.append("kinds/generic.html")
    return names


def filing_context(document: Mapping[str, Any], canonical: str) -> dict[str, Any]:
    return {
        "filing": document,
        "content": document.get("content") or {},
        "kind_title": kind_title(document["kind"]),
        "filed_at": _moment(document["filed_at"]),
        "content_sha256": sha256_hex(canonical),
        # The regulator's own documents read as letters (templates/pdf/base.html).
        "letter": seal.is_sealed(document["kind"]),
    }


def render_filing(document: Mapping[str, Any], canonical: str) -> bytes:
    """The PDF of a filing: `document` is what was filed, `canonical` its canonical JSON.
    A decision of the regulator comes out sealed (service/filings/seal.py)."""
    kind = document["kind"]
    accession = document["accession_number"]
    context = filing_context(document, canonical)
    pdf = render(
        template_for(kind),
        context,
        title=f"{context['kind_title'].ko} {accession}",
        subject=accession,
        attachment=(f"{accession}.json", canonical.encode(), "Filed data (canonical JSON)"),
        created=context["filed_at"],
    )
    if not seal.is_sealed(kind):
        return pdf
    try:
        return seal.seal(pdf)
    except seal.SealingFailed as error:
        raise RenderingFailed(str(error)) from error


def filing_html(document: Mapping[str, Any], canonical: str) -> str:
    """The HTML a filing's PDF is made from (the benchmark prints it with Chromium too)."""
    context = filing_context(document, canonical)
    return html_for(
        template_for(document["kind"]),
        context,
        title=document["accession_number"],
        subject=document["accession_number"],
    )


def html_for(
    templates: list[str] | str,
    context: dict[str, Any],
    *,
    title: str,
    subject: str,
    created: datetime | None = None,
) -> str:
    if isinstance(templates, str):
        templates = [templates]
    return _templates.select_template(templates).render(
        **_helpers(),
        **context,
        pdf_title=title,
        pdf_subject=subject,
        pdf_author=AUTHOR,
        pdf_created=created,
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic collector paused for one render, its garbage collected once at the end.

    A render makes some 75,000 container objects; with the collector on, each of its passes
    walks the app's long-lived objects as well, which cost a quarter of a render's time
    (docs/performance.md, "Filing PDFs"). The switch is process-wide: a thread that ends its
    render turns the collector on again under another still rendering, which only makes that
    render as slow as it would otherwise be."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def render(
    templates: list[str] | str,
    context: dict[str, Any],
    *,
    title: str,
    subject: str,
    attachment: tuple[str, bytes, str] | None = None,
    created: datetime | None = None,
) -> bytes:
    """Render a PDF template to PDF/A-3a bytes, with `attachment` (name, data, description)."""
    try:
        with collector_paused():
            return _render(templates, context, title, subject, attachment, created)
    except RenderingFailed:
        raise
    except FatalURLFetchingError as error:
        # A BaseException: turned into an ordinary error so the transaction rolls back.
        raise RenderingFailed(str(error)) from None
    except Exception as error:
        raise RenderingFailed(f"the PDF could not be rendered: {error}") from error


def _render(templates, context, title, subject, attachment, created) -> bytes:
    fonts = _font_config()
    html_text = html_for(templates, context, title=title, subject=subject, created=created)
    fetcher = ProjectFilesOnly()
    attachments = []
    if attachment:
        name, data, description = attachment
        attachments.append(
            Attachment(
                file_obj=io.BytesIO(data),
                url_fetcher=fetcher,
                name=name,
                description=description,
                created=created,
                modified=created,
                relationship="Data",
            )
        )
    document = HTML(string=html_text, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[_local.stylesheet],
        font_config=fonts,
        pdf_variant=PDF_VARIANT,
        attachments=attachments,
    )


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, str):
        return as_utc(datetime.fromisoformat(value))
    return None


def issue_date(moment: Any) -> BiText:
    """A letter's date of issue as Korean official documents write it, "2026. 11. 24.",
    and in English."""
    moment = _moment(moment)
    if not moment:
        return t("", "")
    day = in_korea(moment).date()
    return t(day.strftime("%-d %B %Y"), f"{day.year}. {day.month}. {day.day}.")


def kst(moment: Any) -> str:
    moment = _moment(moment)
    return in_korea(moment).strftime("%Y-%m-%d %H:%M:%S KST") if moment else ""


def application_sections(category: str, sections: Mapping, on: Any) -> list[dict[str, Any]]:
    """Every section as filed, in the form's order, labelled by the section's own schema."""
    filed_on = on if isinstance(on, date) else (_moment(on) or datetime.now()).date()
    ctx = SectionContext(category=category, profile=regime(), today=filed_on)
    known = [spec.name for spec in sections_for(category, ctx.profile)]
    names = known + [name for name in sections if name not in known]
    out = []
    for name in names:
        spec = SECTIONS.get(name)
        schema = None
        if spec is not None and name in known:
            schema = spec.schema(ctx=ctx)
        out.append(
            {
                "name": name,
                "title": spec.title if spec else present.key_label(name),
                "tree": present.rows(sections.get(name) or {}, schema),
            }
        )
    return out


def content_schema(kind: str):
    """The schema a kind's content is checked by, whose fields label coded values."""
    schema = contents.OTHER_CONTENTS.get(kind)
    return schema() if schema else None


def report_schema(kind: str):
    """The schema a periodic report was filed with, for its labels."""
    schema = REPORT_SCHEMAS.get(report_code(kind) or "")
    return schema() if schema else None


# Whitespace that `white-space: normal` would collapse: only such text needs the
# pre-wrap span (each extra element costs layout time).
_SIGNIFICANT_SPACE = re.compile(r"\s\s|[^ \S]|^\s|\s$")


def needs_prewrap(text: str) -> bool:
    return bool(_SIGNIFICANT_SPACE.search(text))


# Imported macros see the environment's globals, not the render's context.
_templates.globals["needs_prewrap"] = needs_prewrap


def _helpers() -> dict[str, Any]:
    return {
        "present": present.value,
        "present_rows": present.rows,
        "content_schema": content_schema,
        "key_label": present.key_label,
        "application_sections": application_sections,
        "report_schema": report_schema,
        "kst": kst,
        "issue_date": issue_date,
        "action_label": action_label,
        "category_labels": CATEGORY_LABELS,
        "state_labels": STATE_LABELS,
        "document_types": DOCUMENT_TYPES,
        "refusal_grounds": REFUSAL_GROUNDS,
        "revocation_grounds": REVOCATION_GROUNDS,
        "with_particles": with_particles,
    }
