"""The coordination pack as an A4 PDF (WeasyPrint), with the fonts of the machine's
Noto Sans CJK for Korean, Japanese and Chinese and the portal's Sarabun for Thai. Nothing
is fetched over the network: the page's only files are those fonts."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from django.template.loader import render_to_string

from .packs import PackPage


def _sarabun_dir() -> Path:
    return Path(str(importlib.resources.files("fontpkg_sarabun") / "files"))


def _fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    allowed = _sarabun_dir().as_uri()
    if url.startswith(allowed + "/") and ".." not in url:
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"refused: {url[:80]}")


def pack_pdf(page: PackPage, *, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "meetings/pack_pdf.html",
        {"page": page, "sarabun": _sarabun_dir().as_uri()},
        request=request,
    )
    return HTML(string=html, url_fetcher=_fetcher, base_url=_sarabun_dir().as_uri()).write_pdf()
