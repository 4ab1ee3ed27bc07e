"""HTML to A4 PDF with WeasyPrint, with only the portal's own fonts and files.

`render_pdf` is the one call into WeasyPrint. It
- loads nothing over the network: the URL fetcher serves `file://` URLs under the
  report fonts and MEDIA_ROOT (product photos) and refuses everything else;
- rewrites the ToUnicode map of every Sarabun font so that the PDF's text reads back
  exactly (see reports.fonts for why);
- reports which fonts were embedded and which characters had no glyph, so that a
  report that fell back to a host font or drew blank boxes is caught, not shipped;
- turns WeasyPrint's progress log into a callback for the progress bar.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from . import fonts

Progress = Callable[[int, str], None]

_PROGRESS_STEPS = {
    "Step 1": (22, "parsing"),
    "Step 2": (25, "parsing"),
    "Step 3": (28, "styling"),
    "Step 4": (32, "styling"),
    "Step 6": (88, "writing"),
    "Step 7": (92, "writing"),
}
_LAYOUT_PAGE = re.compile(r"Step 5 - Creating layout - Page (\d+)")
_MISSING_GLYPH = re.compile(r"\.notdef glyph rendered for Unicode string unsupported by fonts")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})> <([0-9a-fA-F]*)>")


class ReportRenderError(Exception):
    """The PDF could not be made; the message is safe to show to the user."""


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int
    fonts: list[str]
    missing_glyphs: list[str] = field(default_factory=list)
    refused_urls: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def problems(self) -> list[str]:
        """What is wrong with the PDF as a document, in the current language."""
        from django.utils.translation import gettext as _

        found = []
        foreign = [name for name in self.fonts if fonts.FAMILY not in name]
        if foreign:
            found.append(_("Fonts other than Sarabun embedded: %s") % ", ".join(foreign))
        if self.missing_glyphs:
            found.append(_("Characters without a glyph: %s") % " ".join(self.missing_glyphs))
        if self.refused_urls:
            found.append(_("Files refused: %s") % ", ".join(self.refused_urls))
        return found


class _LogCollector(logging.Handler):
    def __init__(self, progress: Progress | None):
        super().__init__(level=logging.DEBUG)
        self.progress = progress
        self.missing: list[str] = []
        self.refused: list[str] = []
        self.pages = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name == "weasyprint.progress":
            if self.progress is None:
                return
            match = _LAYOUT_PAGE.match(message)
            if match:
                self.pages = int(match.group(1))
                # Layout is most of the time; a report has 5 to 30 pages.
                self.progress(min(35 + 2 * self.pages, 85), "layout")
                return
            step = _PROGRESS_STEPS.get(message[:6])
            if step:
                self.progress(*step)
            return
        if _MISSING_GLYPH.search(message) and isinstance(record.args, tuple) and record.args:
            character = str(record.args[0])
            if character not in self.missing:
                self.missing.append(character)
        elif "refused by the report fetcher" in message or "Failed to load" in message:
            self.refused.append(message[:300])


def _allowed_roots() -> list[Path]:
    return [fonts.font_dir().resolve(), Path(settings.MEDIA_ROOT).resolve()]


def _url_fetcher_class():
    from weasyprint import URLFetcher

    class LocalFilesOnly(URLFetcher):
        """file:// under the report fonts and MEDIA_ROOT; nothing else, no network."""

        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.removeprefix("file://").split("?")[0])).resolve()
                if any(path.is_relative_to(root) for root in _allowed_roots()):
                    return super().fetch(url, headers)
            raise ValueError(f"{url} refused by the report fetcher")

    return LocalFilesOnly


def _rewrite_to_unicode(pdf) -> list[str]:
    """Give every glyph of the Sarabun fonts its own text; return the embedded font names."""
    texts = fonts.glyph_text()
    names = []
    objects = pdf.objects
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("Type") != "/Font" or "ToUnicode" not in obj:
            continue
        base = obj.get("BaseFont", b"")
        base = base.decode() if isinstance(base, bytes) else str(base)
        names.append(base.lstrip("/"))
        if fonts.FAMILY not in base:
            continue
        reference = obj["ToUnicode"]
        if isinstance(reference, bytes):
            reference = reference.decode()
        number = int(str(reference).split()[0])
        stream = objects[number]
        lines = []
        for line in stream.stream:
            if isinstance(line, bytes) and (match := _BFCHAR.fullmatch(line)):
                glyph_id = int(match.group(1), 16)
                if glyph_id in texts:
                    hex_text = texts[glyph_id].encode("utf-16-be").hex()
                    line = f"<{glyph_id:04x}> <{hex_text}>".encode()
            lines.append(line)
        stream.stream = lines
    return names


_local = threading.local()
_made: list = []


@atexit.register
def _drop_fonts() -> None:
    # Dropped while the interpreter still works: FontConfiguration cleans up in __del__.
    _made.clear()
    _local.__dict__.pop("fonts", None)


def _fonts():
    """The font configuration with Sarabun loaded, made once per thread: loading the
    faces into fontconfig costs about 0.1 s a report."""
    if not hasattr(_local, "fonts"):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        font_faces = CSS(
            string=fonts.font_face_css(),
            font_config=font_config,
            url_fetcher=_url_fetcher_class()(timeout=5),
        )
        _local.fonts = (font_config, font_faces)
        _made.append(_local.fonts)
    return _local.fonts


def render_pdf(
    html: str,
    *,
    stylesheet: str = "",
    base_url: str | None = None,
    progress: Progress | None = None,
    image_cache: dict | None = None,
) -> RenderedPdf:
    """Render HTML (and an extra stylesheet) to PDF bytes."""
    from weasyprint import CSS, HTML

    started = time.perf_counter()
    collector = _LogCollector(progress)
    # Warnings (missing glyphs, refused files) still reach the log; the progress steps
    # only reach the collector.
    main_logger = logging.getLogger("weasyprint")
    progress_logger = logging.getLogger("weasyprint.progress")
    saved = (main_logger.level, progress_logger.level, progress_logger.propagate)
    main_logger.addHandler(collector)
    main_logger.setLevel(logging.WARNING)
    progress_logger.addHandler(collector)
    progress_logger.setLevel(logging.INFO)
    progress_logger.propagate = False
    embedded: list[str] = []
    try:
        font_config, font_faces = _fonts()
        fetcher = _url_fetcher_class()(timeout=5)
        css = CSS(string=stylesheet, font_config=font_config, url_fetcher=fetcher)
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[font_faces, css], font_config=font_config, cache=image_cache
        )
        page_count = len(document.pages)

        def finisher(_document, pdf) -> None:
            embedded.extend(_rewrite_to_unicode(pdf))

        content = document.write_pdf(finisher=finisher)
    except ReportRenderError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; the reason goes to the user
        raise ReportRenderError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        main_logger.removeHandler(collector)
        progress_logger.removeHandler(collector)
        main_logger.setLevel(saved[0])
        progress_logger.setLevel(saved[1])
        progress_logger.propagate = saved[2]
    return RenderedPdf(
        content=content,
        page_count=page_count,
        fonts=sorted(set(embedded)),
        missing_glyphs=collector.missing,
        refused_urls=collector.refused,
        seconds=time.perf_counter() - started,
    )
