"""Product photos sized for the PDF, made once and kept beside the uploads.

A phone photo (4000 × 3000, several MB) is printed 62 mm wide: embedding it as uploaded
makes the report slow to write and tens of MB to download. The copy for the PDF is a
JPEG at most `MAX_PIXELS` on its long side, turned upright from its EXIF orientation,
kept under MEDIA_ROOT (never served publicly) and named by the source file's path, size
and modification time, so a replaced photo gets a new copy.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

MAX_PIXELS = 1000
QUALITY = 85
CACHE_DIR = ("reports", "photo-cache")


class PhotoUnreadable(Exception):
    pass


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT).joinpath(*CACHE_DIR)


def for_pdf(source: Path) -> Path:
    """The path of the PDF-sized copy of `source`, made if missing."""
    stat = source.stat()
    key = f"{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{MAX_PIXELS}:{QUALITY}"
    target = cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.jpg"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    _shrink(source, target)
    return target


def _shrink(source: Path, target: Path) -> None:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as opened:
            # JPEG decodes at a fraction of its size directly: much faster than full size.
            opened.draft("RGB", (MAX_PIXELS, MAX_PIXELS))
            image = ImageOps.exif_transpose(opened)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, "white")
                background.paste(image, mask=image.getchannel("A"))
                image = background
            elif image.mode != "RGB":
                image = image.convert("RGB")
            image.thumbnail((MAX_PIXELS, MAX_PIXELS))
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            os.close(fd)
            try:
                image.save(tmp, "JPEG", quality=QUALITY, optimize=True)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise PhotoUnreadable(str(exc)) from exc
