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


def _fetcher():
    from urllib.request import url2pathname

    from weasyprint import URLFetcher

    class SarabunOnly(URLFetcher):
        """file:// under Sarabun's directory; nothing else, no network."""

        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url2pathname(url.removeprefix("file://").split("?")[0])).resolve()
                if path.is_relative_to(_sarabun_dir().resolve()):
                    return super().fetch(url, headers)
            raise ValueError(f"{url[:80]} refused by the pack's fetcher")

    return SarabunOnly(timeout=5)


def pack_pdf(page: PackPage, *, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "meetings/pack_pdf.html",
        {"page": page, "sarabun": _sarabun_dir().as_uri()},
        request=request,
    )
    return HTML(string=html, url_fetcher=_fetcher(), base_url=_sarabun_dir().as_uri()).write_pdf()
