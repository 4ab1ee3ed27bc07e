"""The Thai catalogues follow docs/GLOSSARY.md (issue #16 item 11)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "GLOSSARY.md"


def catalogues() -> list[Path]:
    """The project's own Thai catalogues (Django's and the libraries' are not ours)."""
    return sorted(
        p
        for p in ROOT.glob("**/locale/th/LC_MESSAGES/django.po")
        if not {".venv", "locale_thirdparty"} & set(p.relative_to(ROOT).parts)
    )


def rejected_words() -> dict[str, str]:
    """The **Not** column of the glossary's table: rejected Thai word → the English term."""
    rejected = {}
    for line in GLOSSARY.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2] and cells[2] not in ("Not", "---"):
            for word in cells[2].split(","):
                rejected[word.strip()] = cells[0]
    return rejected


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_the_glossary_rejects_the_words_the_issue_names():
    rejected = rejected_words()
    assert "เซสชัน" in rejected
    assert rejected["เซสชัน"].startswith("session")
    assert len(catalogues()) >= 8


def test_no_thai_translation_uses_a_rejected_word():
    rejected = rejected_words()
    found = [
        f"{path.relative_to(ROOT)}: {entry.msgid!r} → {text!r} uses {word!r} "
        f"(the glossary says {rejected[word]!r})"
        for path in catalogues()
        for entry in polib.pofile(str(path))
        if not entry.obsolete
        for text in translations(entry)
        for word in rejected
        if word in text
    ]
    assert found == []


def test_one_english_text_has_one_thai_translation():
    """Django merges the catalogues: of two translations of one text, one shows everywhere,
    and the other app's pages say what that app did not mean."""
    seen: dict[tuple[str | None, str], dict[str, str]] = defaultdict(dict)
    for path in catalogues():
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr:
                continue
            seen[(entry.msgctxt, entry.msgid)][str(path.relative_to(ROOT))] = entry.msgstr
    found = {key: where for key, where in seen.items() if len(set(where.values())) > 1}
    assert found == {}


def test_every_thai_translation_is_thai():
    """A Thai msgstr left in English (or empty) shows English on a Thai page. Names, units
    and codes are the exception: they read the same in both languages."""
    same_in_both = re.compile(r"^(BB Portal|SHA-256|LINE( ID)?|Teams|iCalUId|Django .*)$")
    found = [
        f"{path.relative_to(ROOT)}: {entry.msgid!r}"
        for path in catalogues()
        for entry in polib.pofile(str(path))
        if not entry.obsolete and not same_in_both.match(entry.msgid)
        for text in translations(entry)
        if not re.search(r"[\u0E00-\u0E7F]", text)
    ]
    assert found == []
