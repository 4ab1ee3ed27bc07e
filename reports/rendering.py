"""Reports as HTML (Django templates) and then as PDF (reports.pdf).

`build_html` is everything but WeasyPrint: the data (reports.context), the templates,
the optional Thai digits. `render` adds the PDF. Both run in the language asked for,
whatever the language of the request or worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import thai
from meetings.models import ProgrammeYear, Session

from . import context as report_context
from .pdf import Progress, RenderedPdf, render_pdf

# Thai text reads small beside Latin at the same size, so the Thai report sets its body
# larger. Official documents use 16 pt TH Sarabun New; Sarabun draws its Thai larger
# per point (a consonant is 0.586 em high), so 12.5 pt Sarabun matches that size.
BODY_SIZE = {"th": "12.5pt", "en": "10.5pt"}

_TEXT_NODE = re.compile(r">([^<]+)<")
_DIGITS_OUTSIDE_ENTITIES = re.compile(r"(&#?[0-9a-zA-Z]+;)|([0-9]+)")


def thai_digits_in_html(html: str) -> str:
    """Thai digits in the text of the body; tags, attributes and entities untouched."""
    head, marker, body = html.partition("<body")
    if not marker:
        return html

    def digits(match: re.Match) -> str:
        return match.group(1) or thai.thai_digits(match.group(2))

    def text_node(match: re.Match) -> str:
        return ">" + _DIGITS_OUTSIDE_ENTITIES.sub(digits, match.group(1)) + "<"

    return head + marker + _TEXT_NODE.sub(text_node, body)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


@dataclass
class ReportHtml:
    html: str
    stylesheet: str
    warnings: list[str]


def _stylesheet(language: str, thai_digits: bool) -> str:
    return render_to_string(
        "reports/pdf/report.css",
        {
            "body_size": BODY_SIZE.get(language, BODY_SIZE["en"]),
            "counter_style": "thai" if thai_digits else "decimal",
            "page_label": _css_string(_("Page")),
            "of_label": _css_string(_("of")),
            "language": language,
        },
    )


def build_html(
    *,
    kind: str,
    language: str,
    thai_digits: bool = False,
    session: Session | None = None,
    year: ProgrammeYear | None = None,
    meta: dict | None = None,
) -> ReportHtml:
    """The finished HTML and stylesheet of a session report (session=) or annual (year=)."""
    thai_digits = thai_digits and language == "th"
    with translation.override(language), timezone.override(report_context.BANGKOK):
        meta = {"generated_at": timezone.now(), **(meta or {})}
        data: report_context.SessionReport | report_context.AnnualReport
        if kind == "session":
            assert session is not None  # a session report is always asked with its session
            data = report_context.session_report(session, language)
            template = "reports/pdf/session.html"
            warnings = [
                _("Photo missing or unreadable: %(name)s") % {"name": name}
                for name in data.missing_photos
            ]
        else:
            assert year is not None  # and an annual one with its year
            data = report_context.annual_report(year, language)
            template = "reports/pdf/annual.html"
            warnings = []
        html: str = render_to_string(
            template,
            {
                "report": data,
                "language": language,
                "thai_digits": thai_digits,
                "meta": meta,
                "generated_on": report_context.short_date(meta["generated_at"], language),
            },
        )
        stylesheet = _stylesheet(language, thai_digits)
    if thai_digits:
        html = thai_digits_in_html(html)
    return ReportHtml(html=html, stylesheet=stylesheet, warnings=warnings)


def render(
    *,
    kind: str,
    language: str,
    thai_digits: bool = False,
    session: Session | None = None,
    year: ProgrammeYear | None = None,
    meta: dict | None = None,
    progress: Progress | None = None,
) -> tuple[RenderedPdf, list[str]]:
    if progress:
        progress(10, "collecting")
    report = build_html(
        kind=kind,
        language=language,
        thai_digits=thai_digits,
        session=session,
        year=year,
        meta=meta,
    )
    if progress:
        progress(20, "parsing")
    pdf = render_pdf(report.html, stylesheet=report.stylesheet, progress=progress)
    with translation.override(language):
        problems = pdf.problems
    return pdf, report.warnings + problems
