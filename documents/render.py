"""A composed document as .docx (python-docx) and as PDF (WeasyPrint, through the
reports' font setup), A4 with the regulation's margins: 3 cm left, 2 cm right."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from django.template.loader import render_to_string

from .compose import Composed

# The regulation's typeface is TH Sarabun, 16 pt; officers' Word has TH SarabunPSK.
DOCX_FONT = "TH SarabunPSK"
BODY_PT = 16
TITLE_PT = 29
LABEL_PT = 20
PDF_STYLES = {"body_pt": BODY_PT, "title_pt": TITLE_PT, "label_pt": LABEL_PT}


@dataclass
class Rendered:
    docx: bytes
    pdf: bytes
    docx_seconds: float
    pdf_seconds: float
    problems: list[str]


def _set_font(run_or_style, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = DOCX_FONT
    font.size = Pt(size)
    font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    # Word draws Thai with the complex-script font and size, not the Latin ones.
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), DOCX_FONT)
    for tag in ("w:szCs", "w:bCs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    size_cs = rpr.makeelement(qn("w:szCs"), {qn("w:val"): str(int(size * 2))})
    rpr.append(size_cs)
    if bold:
        rpr.append(rpr.makeelement(qn("w:bCs"), {}))


def _paragraph(
    doc,
    text: str = "",
    *,
    size=BODY_PT,
    bold=False,
    align=None,
    indent_cm=None,
    left_cm=None,
    space_after=0,
):
    from docx.shared import Cm, Pt

    paragraph = doc.add_paragraph()
    if text:
        _set_font(paragraph.add_run(text), size, bold)
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if indent_cm is not None:
        fmt.first_line_indent = Cm(indent_cm)
    if left_cm is not None:
        fmt.left_indent = Cm(left_cm)
    return paragraph


def _labelled(doc, pairs: list[tuple[str, str]], *, tab_cm: float | None = None):
    """One header line of a memo: bold labels, plain values, tabs between pairs."""
    from docx.shared import Cm

    paragraph = _paragraph(doc)
    if tab_cm:
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(tab_cm))
    for index, (label, value) in enumerate(pairs):
        if index:
            _set_font(paragraph.add_run("\t"), BODY_PT)
        _set_font(paragraph.add_run(label), LABEL_PT, bold=True)
        _set_font(paragraph.add_run("  " + value), BODY_PT)
    return paragraph


def _signature(doc, c: Composed, *, closing: str = "") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if closing:
        _paragraph(doc)
        _paragraph(doc, closing, align=WD_ALIGN_PARAGRAPH.CENTER, left_cm=6)
    for _ in range(3):
        _paragraph(doc)
    for line in (c.parts.get("signer_name", ""), c.parts.get("signer_title", "")):
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.CENTER, left_cm=6)


def _body(doc, c: Composed) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    # Word's Thai Distributed is how Thai official documents are justified.
    align = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY if c.language == "th" else WD_ALIGN_PARAGRAPH.JUSTIFY
    for style, text in c.blocks:
        if style == "item":
            _paragraph(doc, text, left_cm=2.5, space_after=2)
        else:
            _paragraph(doc, text, indent_cm=2.5, align=align, space_after=6)


def build_docx(c: Composed) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    _set_font(doc.styles["Normal"], BODY_PT)
    doc.core_properties.title = c.parts.get("subject", "")
    doc.core_properties.language = "th-TH" if c.language == "th" else "en-GB"
    labels = c.labels
    if c.layout == "memo":
        _paragraph(
            doc, labels["memo_title"], size=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        _labelled(doc, [(labels["office"], c.parts.get("office", ""))])
        _labelled(doc, [(labels["number"], c.number), (labels["date"], c.date)], tab_cm=8)
        _labelled(doc, [(labels["subject"], c.parts.get("subject", ""))])
        _paragraph(doc)
        _paragraph(doc, f"{labels['to']}  {c.parts.get('to', '')}", space_after=6)
        _body(doc, c)
        _signature(doc, c)
    elif c.layout == "order":
        _paragraph(
            doc,
            c.parts.get("heading", ""),
            size=LABEL_PT,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
        _paragraph(doc, f"{labels['order_number']} {c.number}", align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(
            doc,
            f"{labels['subject']}  {c.parts.get('subject', '')}",
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
        _paragraph(doc, "-" * 30, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
        _body(doc, c)
        _paragraph(doc)
        _paragraph(doc, c.parts.get("given", ""), left_cm=5)
        _signature(doc, c)
    else:
        _external_docx(doc, c)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _external_docx(doc, c: Composed) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    labels = c.labels
    if c.language == "th":
        table = doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.paragraphs[0].text = ""
        _set_font(left.paragraphs[0].add_run(f"{labels['number']} {c.number}"), BODY_PT)
        for index, line in enumerate(c.lines("sender")):
            paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
            _set_font(paragraph.add_run(line), BODY_PT)
        _paragraph(doc)
        _paragraph(doc, c.date, left_cm=7.5, space_after=6)
        _paragraph(doc, f"{labels['subject']}  {c.parts.get('subject', '')}", space_after=6)
        _paragraph(doc, f"{labels['to']}  {c.parts.get('to', '')}", space_after=6)
    else:
        for line in c.lines("sender"):
            _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(doc)
        table = doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        _set_font(left.paragraphs[0].add_run(f"{labels['number']} {c.number}"), BODY_PT)
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_font(right.paragraphs[0].add_run(c.date), BODY_PT)
        _paragraph(doc)
        for line in c.lines("to"):
            _paragraph(doc, line)
        _paragraph(doc)
        _paragraph(
            doc, f"{labels['subject']}: {c.parts.get('subject', '')}", bold=True, space_after=6
        )
        if c.parts.get("salutation"):
            _paragraph(doc, c.parts["salutation"], space_after=6)
    _body(doc, c)
    _signature(doc, c, closing=c.parts.get("closing", ""))
    _paragraph(doc)
    for line in c.lines("contact"):
        _paragraph(doc, line)


def build_html(c: Composed) -> str:
    return render_to_string("documents/pdf/document.html", {"c": c, **PDF_STYLES})


def render(c: Composed) -> Rendered:
    from reports.pdf import render_pdf

    started = time.perf_counter()
    docx = build_docx(c)
    docx_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_pdf(build_html(c))
    pdf_seconds = time.perf_counter() - started
    return Rendered(
        docx=docx,
        pdf=pdf.content,
        docx_seconds=docx_seconds,
        pdf_seconds=pdf_seconds,
        problems=pdf.problems,
    )
