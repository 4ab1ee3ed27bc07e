"""The printable product sheet of one vendor (A4 PDF, WeasyPrint), in the showcase's
language. Fonts come from the system's packages (fonts-noto-cjk, Sarabun/TLWG for Thai),
found by fontconfig; the fetcher loads only the sized photos under MEDIA_ROOT and never
the network."""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string


class RefusedUrl(ValueError):
    pass


def sarabun_dir() -> Path:
    """Thai: Sarabun from its PyPI package (fontpkg-sarabun), as the reports use."""
    return Path(str(importlib.resources.files("fontpkg_sarabun") / "files"))


def _fetcher():
    from weasyprint import URLFetcher

    class LocalFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url2pathname(url.removeprefix("file://").split("?")[0])).resolve()
                allowed = (Path(settings.MEDIA_ROOT).resolve(), sarabun_dir().resolve())
                if any(path.is_relative_to(root) for root in allowed):
                    return super().fetch(url, headers)
            raise RefusedUrl(url)

    return LocalFilesOnly(timeout=5)


def product_sheet_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "buyers/product_sheet_pdf.html", {**context, "sarabun": sarabun_dir().as_uri()}
    )
    return HTML(string=html, url_fetcher=_fetcher(), base_url=str(settings.MEDIA_ROOT)).write_pdf()
