"""Product photos sized for the showcase: one JPEG per photo and width, made on first
request and kept under MEDIA_ROOT (never served from a media URL), named by the source's
path, size and modification time so that a replaced photo gets new copies."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

QUALITY = 78  # a phone screen: small files matter more than the last detail


class PhotoUnreadable(Exception):
    pass


def sized(source: Path, width: int) -> Path:
    stat = source.stat()
    key = f"{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{width}:{QUALITY}"
    target = (
        Path(settings.MEDIA_ROOT)
        / "buyers"
        / "photo-cache"
        / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.jpg"
    )
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            image.draft("RGB", (width, width))
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, "white")
                background.paste(image, mask=image.getchannel("A"))
                image = background
            elif image.mode != "RGB":
                image = image.convert("RGB")
            image.thumbnail((width, width * 2))
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            os.close(fd)
            try:
                image.save(tmp, "JPEG", quality=QUALITY, optimize=True, progressive=True)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise PhotoUnreadable(str(exc)) from exc
    return target
