"""A document as structured text: the fixed wording (TemplateText) filled with the
portal's data, laid out as the correspondence regulation wants. The .docx and the PDF are
both drawn from this one structure, so they always say the same thing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import translation

from core import thai
from meetings.months import session_month

from .models import Document, Kind, TemplateText, WorkingGroup
from .texts import DEFAULT_TEXTS, fill

# The regulation's headings; fixed by the regulation, hence not editable texts.
LABELS = {
    "th": {
        "memo_title": "บันทึกข้อความ",
        "office": "ส่วนราชการ",
        "number": "ที่",
        "date": "วันที่",
        "subject": "เรื่อง",
        "to": "เรียน",
        "order_number": "ที่",
    },
    "en": {
        "memo_title": "Memorandum",
        "office": "Division",
        "number": "Ref. No.",
        "date": "Date",
        "subject": "Subject",
        "to": "To",
        "order_number": "No.",
    },
}
LAYOUTS = {
    Kind.APPROVAL_MEMO: "memo",
    Kind.ORDER_TRANSMITTAL: "memo",
    Kind.REPORT_COVER: "memo",
    Kind.WORKING_GROUP_ORDER: "order",
    Kind.INQUIRY_LETTER: "external",
}
BLANK = "........................"
ITEM = re.compile(r"^\([0-9๐-๙]+\) ")


@dataclass
class Composed:
    """Everything a renderer needs; every string already in the document's digits."""

    kind: str
    language: str
    layout: str  # memo | order | external
    labels: dict[str, str]
    number: str
    date: str
    parts: dict[str, str] = field(default_factory=dict)
    paragraphs: list[str] = field(default_factory=list)

    def lines(self, part: str) -> list[str]:
        return [line for line in self.parts.get(part, "").splitlines() if line.strip()]

    @property
    def line_map(self) -> dict[str, list[str]]:
        return {part: self.lines(part) for part in self.parts}

    @property
    def blocks(self) -> list[tuple[str, str]]:
        """The body as (style, text): "item" for a numbered line of a list, set flush at
        the paragraph indent rather than justified, else "para"."""
        return [("item" if ITEM.match(p) else "para", p) for p in self.paragraphs]

    def all_text(self) -> str:
        """Every string of the document, for the tests that read the files back."""
        return "\n".join([self.number, self.date, *self.parts.values(), *self.paragraphs])


def _date(value: dt.date | None, language: str, fmt: str = "j F Y") -> str:
    return thai.format_date(value, fmt, language=language) if value else BLANK


def country_name(city) -> str:
    # Neither Django nor django-countries has Thai country names (its th_TH catalogue is
    # untranslated): the Thai texts name the city alone, which its Thai name makes clear.
    with translation.override("en"):
        return str(city.country.name)


def _cities(session, language: str) -> str:
    names = [
        c.name_th if language == "th" else f"{c.name_en}, {country_name(c)}"
        for c in session.cities.all()
    ]
    if not names:
        return BLANK
    joiner = " และ" if language == "th" else "; "
    return joiner.join(names) if len(names) < 3 else ", ".join(names)


def _session_month(session, language: str) -> str:
    return _date(session_month(session), language, "F Y")


def _values(document: Document, language: str) -> dict[str, str]:
    year = document.year
    th = language == "th"
    values = {"fiscal_year": str(year.fiscal_year if th else year.fiscal_year - 543)}
    values["date"] = _date(document.dated, language)
    group = WorkingGroup.objects.filter(year=year).first()
    if document.kind == Kind.APPROVAL_MEMO:
        sessions = list(year.sessions.exclude(status="cancelled").prefetch_related("cities"))
        values["session_count"] = str(len(sessions) or year.target_sessions)
        values["vendors_per_session"] = str(year.vendors_per_session)
        values["kpi_target"] = str(year.kpi_target_percent)
        values["sessions"] = "\n".join(
            (
                f"({s.number}) ครั้งที่ {s.number} เดือน{_session_month(s, language)} "
                f"กับ{_cities(s, language)}"
                if th
                else f"({s.number}) Session {s.number}, {_session_month(s, language)}, "
                f"with {_cities(s, language)}"
            )
            for s in sessions
        )
    if document.kind == Kind.WORKING_GROUP_ORDER:
        members = list(group.members.all()) if group else []
        values["members"] = "\n".join(
            f"({i}) {m.name} {m.job_title} "
            + (str(m.get_role_display()) if not th else _ROLE_TH[m.role])
            for i, m in enumerate(members, 1)
        )
        values["approval_reference"] = (group.approval_reference if group else "") or BLANK
        values["approved_on"] = _date(group.approved_on if group else None, language)
        values["order_number"] = (group.order_number if group else "") or BLANK
    if document.kind == Kind.ORDER_TRANSMITTAL:
        values["order_number"] = (group.order_number if group else "") or BLANK
        values["order_date"] = _date(group.order_signed_on if group else None, language)
    if document.session_id:
        session = document.session
        assert session is not None  # session_id is set
        values["session_number"] = str(session.number)
        values["session_month"] = _session_month(session, language)
        values["session_date"] = _date(
            session.starts_at.date() if session.starts_at else None, language
        )
        values["cities"] = _cities(session, language)
        if document.kind == Kind.REPORT_COVER:
            entries = list(session.shortlist.select_related("vendor"))
            attended = [e for e in entries if e.attended is not False]
            values["vendors_count"] = str(len(attended))
            values["vendors"] = (
                "\n".join(
                    f"({i}) " + (e.vendor.business_name_th if th else e.vendor.business_name_en)
                    for i, e in enumerate(attended, 1)
                )
                or BLANK
            )
    if document.city_id:
        city = document.city
        assert city is not None  # city_id is set
        with translation.override(language):
            values["city"] = city.name_th if th else city.name_en
            values["country"] = country_name(city)
            agreement = city.agreements.order_by("-signed_year").first()
            if agreement:
                values["agreement"] = (agreement.get_form_display() or agreement.form_detail) + (
                    f" ({agreement.signed_year + 543})" if th else f" ({agreement.signed_year})"
                )
            else:
                values["agreement"] = "ความสัมพันธ์ฉันเมืองพี่เมืองน้อง" if th else "sister-city tie"
            categories = [c.name for c in city.interested_categories.all()]
        values["categories"] = (
            (" ได้แก่ " + " ".join(categories) if th else ", ".join(categories))
            if categories
            else ("" if th else "their products")
        )
        values["vendors_per_session"] = str(document.year.vendors_per_session)
    return values


_ROLE_TH = {"chair": "ประธานคณะทำงาน", "member": "คณะทำงาน", "secretary": "คณะทำงานและเลขานุการ"}


def template_texts(kind: str, language: str) -> dict[str, str]:
    """The fixed texts FAO keeps, falling back to the seeded ones for a part not in the
    database (a part added by a later release before its data migration ran)."""
    texts = {
        key: (th if language == "th" else en) for key, (th, en, _h) in DEFAULT_TEXTS[kind].items()
    }
    for row in TemplateText.objects.filter(kind=kind):
        texts[row.key] = row.text_th if language == "th" else row.text_en
    return texts


def compose(document: Document, language: str) -> Composed:
    values = _values(document, language)
    texts = {
        key: fill(text, values) for key, text in template_texts(document.kind, language).items()
    }
    body = texts.pop("body", "")
    with translation.override(language):
        composed = Composed(
            kind=document.kind,
            language=language,
            layout=LAYOUTS[Kind(document.kind)],
            labels=dict(LABELS[language]),
            # An order carries the number of the BMA order register, recorded on the
            # working group once the Permanent Secretary signs; not FAO's register number.
            number=values["order_number"]
            if document.kind == Kind.WORKING_GROUP_ORDER
            else document.number_text(language),
            date=values["date"],
            parts=texts,
            paragraphs=[line.strip() for line in body.splitlines() if line.strip()],
        )
    if language == "th":
        # Official Thai documents write every number in Thai digits.
        composed.number = thai.thai_digits(composed.number)
        composed.date = thai.thai_digits(composed.date)
        composed.parts = {k: thai.thai_digits(v) for k, v in composed.parts.items()}
        composed.paragraphs = [thai.thai_digits(p) for p in composed.paragraphs]
    return composed
