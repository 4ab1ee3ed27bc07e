"""Sarabun for the PDF reports, shipped with the portal (the `fontpkg-sarabun` package).

The PDF must never depend on the host's fonts, so every @font-face points at a file
this module provides. The files are Sarabun with one addition, made once per machine
and cached: a copy of SARA AA (`uni0E32.am`) that the font substitutes when the vowel is
the second half of SARA AM (ำ).

Why: HarfBuzz always draws ำ as NIKHAHIT + SARA AA, and WeasyPrint 70 gives each glyph
one Unicode text for the whole file, the first it meets (upstream issue
Kozea/WeasyPrint#2841). A PDF mentioning "สำนักงาน" and "การ" then copies (and tests
extract) one of them wrongly, and a tone mark first met inside "น้ำ" loses its text
everywhere. With a glyph of its own, the tail of ำ can carry "ำ" while the ordinary
SARA AA keeps "า"; `GLYPH_TEXT` then gives every glyph its own text, and the PDF's
ToUnicode maps are rewritten with it (reports.pdf).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# The weights and styles the report templates use.
FACES = (
    ("Regular", 400, "normal"),
    ("Italic", 400, "italic"),
    ("SemiBold", 600, "normal"),
    ("Bold", 700, "normal"),
)
FAMILY = "Sarabun"
AM_TAIL = "uni0E32.am"
# Bump when the derivation changes, so caches from an older release are not reused.
DERIVATION_VERSION = "1"


def package_dir() -> Path:
    return Path(str(importlib.resources.files("fontpkg_sarabun") / "files"))


def licence_path() -> Path:
    return Path(str(importlib.resources.files("fontpkg_sarabun") / "LICENSE"))


@functools.cache
def font_dir() -> Path:
    """The directory of the derived fonts, made on first use."""
    sources = [package_dir() / f"Sarabun-{name}.ttf" for name, _, _ in FACES]
    digest = hashlib.sha256(DERIVATION_VERSION.encode())
    for source in sources:
        digest.update(source.read_bytes())
    target = Path(tempfile.gettempdir()) / f"bbportal-report-fonts-{digest.hexdigest()[:16]}"
    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        out = target / source.name
        if not out.exists():
            _derive(source, out)
    return target


def _derive(source: Path, out: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables import otTables
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    font = TTFont(str(source))
    order = list(font.getGlyphOrder())
    if AM_TAIL not in order:
        # A composite of SARA AA: same outline and advance, a glyph id of its own.
        component = GlyphComponent()
        component.glyphName, component.x, component.y = "uni0E32", 0, 0
        component.flags = 0x0001 | 0x0002 | 0x0200  # word args, xy values, use my metrics
        glyph = Glyph()
        glyph.numberOfContours = -1
        glyph.components = [component]
        order.append(AM_TAIL)
        font["glyf"].glyphs[AM_TAIL] = glyph
        font["glyf"].glyphOrder = order
        font.setGlyphOrder(order)
        font["hmtx"].metrics[AM_TAIL] = font["hmtx"].metrics["uni0E32"]

        gsub = font["GSUB"].table
        lookups = gsub.LookupList.Lookup
        single = otTables.Lookup()
        single.LookupType, single.LookupFlag = 1, 0
        subst = otTables.SingleSubst()
        subst.mapping = {"uni0E32": AM_TAIL}
        single.SubTable, single.SubTableCount = [subst], 1
        single_index = len(lookups)
        lookups.append(single)

        def coverage(names: list[str]) -> otTables.Coverage:
            table = otTables.Coverage()
            table.glyphs = sorted(names, key=font.getGlyphID)
            return table

        # After the font's own lookups, NIKHAHIT stands alone or in a ligature with a
        # tone mark (uni0E4D0E49 ...), always right before the SARA AA of the ำ.
        chain = otTables.ChainContextSubst()
        chain.Format = 3
        chain.BacktrackGlyphCount = 1
        chain.BacktrackCoverage = [coverage([n for n in order if n.startswith("uni0E4D")])]
        chain.InputGlyphCount = 1
        chain.InputCoverage = [coverage(["uni0E32"])]
        chain.LookAheadGlyphCount = 0
        chain.LookAheadCoverage = []
        record = otTables.SubstLookupRecord()
        record.SequenceIndex, record.LookupListIndex = 0, single_index
        chain.SubstCount, chain.SubstLookupRecord = 1, [record]
        contextual = otTables.Lookup()
        contextual.LookupType, contextual.LookupFlag = 6, 0
        contextual.SubTable, contextual.SubTableCount = [chain], 1
        contextual_index = len(lookups)
        lookups.append(contextual)
        gsub.LookupList.LookupCount = len(lookups)
        for feature in gsub.FeatureList.FeatureRecord:
            if feature.FeatureTag == "ccmp":
                feature.Feature.LookupListIndex.append(contextual_index)
                feature.Feature.LookupCount = len(feature.Feature.LookupListIndex)
    # Written beside and renamed: a concurrent worker never reads half a file.
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    os.close(fd)
    font.save(tmp)
    os.replace(tmp, out)


@dataclass(frozen=True)
class FontFace:
    path: Path
    weight: int
    style: str


def faces() -> list[FontFace]:
    directory = font_dir()
    return [
        FontFace(directory / f"Sarabun-{name}.ttf", weight, style) for name, weight, style in FACES
    ]


def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{face.path.as_uri()}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in faces()
    )


@functools.cache
def glyph_text() -> dict[int, str]:
    """The text each glyph of the derived Sarabun stands for, by glyph id.

    Every face shares one glyph order (checked), so one map serves them all.
    """
    from fontTools.ttLib import TTFont

    orders = []
    result: dict[int, str] = {}
    for face in faces():
        font = TTFont(str(face.path), lazy=True)
        orders.append(font.getGlyphOrder())
        if result:
            continue
        names = _names_to_text(font)
        result = {font.getGlyphID(name): text for name, text in names.items()}
    if any(order != orders[0] for order in orders):
        raise RuntimeError("The Sarabun faces no longer share one glyph order.")
    return result


def _names_to_text(font) -> dict[str, str]:
    texts: dict[str, str] = {}
    for codepoint, name in font.getBestCmap().items():
        # Presentation forms (ﬁ, ﬂ) read back as their letters, as a reader expects.
        texts.setdefault(name, unicodedata.normalize("NFKC", chr(codepoint)))
    # Variants made by single substitutions (.narrow, .small, .short ...) stand for the
    # character of the glyph they replace; ligatures for their components together.
    changed = True
    while changed:
        changed = False
        for lookup in font["GSUB"].table.LookupList.Lookup:
            for subtable in lookup.SubTable:
                if lookup.LookupType == 7:
                    subtable = subtable.ExtSubTable
                mapping = getattr(subtable, "mapping", None)
                if isinstance(mapping, dict):
                    for source, target in mapping.items():
                        if isinstance(target, str) and target not in texts and source in texts:
                            texts[target] = texts[source]
                            changed = True
                ligatures = getattr(subtable, "ligatures", None)
                if isinstance(ligatures, dict):
                    for first, entries in ligatures.items():
                        for entry in entries:
                            parts = [first, *entry.Component]
                            if entry.LigGlyph in texts or not all(p in texts for p in parts):
                                continue
                            texts[entry.LigGlyph] = "".join(texts[p] for p in parts)
                            changed = True
    # ำ: NIKHAHIT (alone, or joined with a tone mark) carries nothing of its own, the
    # tail carries the whole vowel, so "น้ำ" reads back as น + ้ + ำ.
    for name in list(texts):
        if name.startswith("uni0E4D"):
            texts[name] = texts[name].replace("\u0e4d", "")
    texts[AM_TAIL] = "\u0e33"
    return texts
