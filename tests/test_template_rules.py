"""No template decides anything from a status (issue #14 item 5): a state rule is a
policy function (outcomes/policy.py, meetings/policy.py) or a model property that asks
one, and a badge's colour comes from the one `badge` filter (core.badges).

Before this rule there were 40 comparisons of a `.status` or `.state` in the templates."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"\{%.*?%\}", re.S)
# `x.status == "held"`, `x.state != 'active'`, `x.status in ...`, `"held" == x.status`.
COMPARISON = re.compile(
    r"\.(?:status|state)\b\s*(?:==|!=|not\s+in\b|in\b)|(?:==|!=)\s*[\w.]+\.(?:status|state)\b"
)


def templates() -> list[Path]:
    return sorted(
        p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.relative_to(ROOT).parts
    )


def status_comparisons(text: str) -> list[str]:
    return [tag for tag in TAG.findall(text) if COMPARISON.search(tag)]


def test_the_check_sees_the_comparisons_it_forbids():
    assert status_comparisons('{% if session.status == "held" %}x{% endif %}')
    assert status_comparisons("{% elif job.status != 'done' and a %}")
    assert status_comparisons('{% if meeting.state in "active failed" %}')
    assert status_comparisons("{% if value == session.status %}")
    assert not status_comparisons("{% if session.is_closed %}{{ job.status|badge:'x' }}")
    assert not status_comparisons("{% if value == selected_status %}")


def test_no_template_compares_a_status():
    found = [
        f"{path.relative_to(ROOT)}: {tag}"
        for path in templates()
        for tag in status_comparisons(path.read_text())
    ]
    assert len(templates()) > 50
    assert found == []


def test_no_template_picks_a_badge_colour_by_hand():
    """`text-bg-…` chosen inside an {% if %} is a state rule in disguise."""
    chosen = re.compile(r"\{%\s*(?:if|elif)[^%]*%\}\s*text-bg-")
    found = [str(p.relative_to(ROOT)) for p in templates() if chosen.search(p.read_text())]
    assert found == []


# --- layout and screen readers (issue #16 item 11) --------------------------------------------


def web_templates() -> list[Path]:
    """The portal's pages, not the PDFs' or e-mails' markup."""
    return [p for p in templates() if not {"pdf", "email"} & set(p.relative_to(ROOT).parts)]


RESPONSIVE = re.compile(r'<div class="[^"]*\btable-responsive\b[^"]*">\s*$')


def test_every_table_scrolls_inside_its_own_box_on_a_phone():
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in web_templates()
        for text in [path.read_text()]
        for m in re.finditer(r"<table\b", text)
        if not RESPONSIVE.search(text[: m.start()])
    ]
    assert found == []


def test_every_table_header_says_what_it_heads():
    found = [
        f"{path.relative_to(ROOT)}: {tag}"
        for path in web_templates()
        for tag in re.findall(r"<th(?=[\s>])[^>]*>", path.read_text())
        if not re.search(r'\bscope="(col|row|colgroup|rowgroup)"', tag)
    ]
    assert found == []


def test_every_progress_bar_has_its_words_announced():
    found = [
        str(path.relative_to(ROOT))
        for path in web_templates()
        if 'role="progressbar"' in (text := path.read_text()) and 'aria-live="polite"' not in text
    ]
    assert found == []


def test_the_check_for_tables_sees_a_bare_one():
    assert not RESPONSIVE.search('<div class="card"><table')
    assert RESPONSIVE.search('<div class="table-responsive mb-4">\n')
