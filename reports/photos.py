"""Product photos sized for the PDF.

A phone photo (4000 × 3000, several MB) is printed 62 mm wide: embedding it as uploaded
makes the report slow to write and tens of MB to download. The copy for the PDF is a
JPEG at most `MAX_PIXELS` on its long side, turned upright from its EXIF orientation.
It is made when the photo is uploaded and kept beside it (vendors.photos.report_copy);
a photo stored before that, or replaced on disk since, gets one made here once, kept
under MEDIA_ROOT (never served publicly) and named by the source file's path, size and
modification time, so a replaced photo gets a new copy.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings

from vendors.photos import REPORT_PIXELS as MAX_PIXELS
from vendors.photos import REPORT_QUALITY as QUALITY
from vendors.photos import PhotoUnreadable, report_copy, shrink

CACHE_DIR = ("reports", "photo-cache")

__all__ = ["MAX_PIXELS", "QUALITY", "PhotoUnreadable", "cache_dir", "for_pdf"]


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT).joinpath(*CACHE_DIR)


def for_pdf(source: Path) -> Path:
    """The path of the PDF-sized copy of `source`: the one made at upload when it is
    not older than the photo, otherwise one made now (once)."""
    stat = source.stat()
    made = report_copy(source)
    try:
        if made.stat().st_mtime_ns >= stat.st_mtime_ns:
            return made
    except FileNotFoundError:
        pass
    key = f"{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{MAX_PIXELS}:{QUALITY}"
    target = cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.jpg"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    shrink(source, target)
    return target
