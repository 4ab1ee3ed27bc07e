"""Checks on an uploaded product photo, made on its content before anything is stored.

A photo is accepted only if Pillow reads it as a JPEG, PNG or WebP image: the file's name
and the content type the browser sent are the sender's word and are never looked at. The
size is checked before any reading, the pixel count from the header before any decoding
(a small PNG can claim 100 000 × 100 000 pixels and take the machine's memory when
decoded), and then the whole image is decoded once, so a truncated or corrupt file is
refused here rather than breaking the page or the PDF that shows it later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
HEAD_BYTES = 512


@dataclass(frozen=True)
class PhotoFormat:
    name: str  # shown to users
    extension: str  # the stored file's extension
    content_type: str  # sent by the view that serves the photo


JPEG = PhotoFormat("JPEG", "jpg", "image/jpeg")
PNG = PhotoFormat("PNG", "png", "image/png")
WEBP = PhotoFormat("WebP", "webp", "image/webp")
ALLOWED_FORMATS = (JPEG, PNG, WEBP)
# Pillow's format names. Phone cameras often write a JPEG with a second, small picture
# inside (the Multi-Picture format); Pillow calls it MPO, browsers show it as a JPEG.
PILLOW_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "WEBP": WEBP}
PILLOW_PLUGINS = ("JPEG", "PNG", "WEBP")

NOT_ALLOWED = {
    "image": _(
        "The photo must be a JPEG, PNG or WebP image; this file is an image in %(format)s format."
    ),
    "pdf": _("The photo must be a JPEG, PNG or WebP image; this file is a PDF document."),
    "text": _(
        "The photo must be a JPEG, PNG or WebP image; this file is text (such as HTML, SVG or "
        "a plain text file), not a picture."
    ),
    "other": _("The photo must be a JPEG, PNG or WebP image; this file is not an image."),
}
TOO_LARGE = _("The photo is %(size)s MB; a photo may be at most %(limit)s MB.")
TOO_MANY_PIXELS = _(
    "The photo is %(width)s × %(height)s pixels (%(megapixels)s megapixels); a photo may have "
    "at most %(limit)s megapixels."
)
FAR_TOO_MANY_PIXELS = _(
    "The photo has far too many pixels to be opened; a photo may have at most %(limit)s megapixels."
)
DAMAGED = _(
    "The photo is damaged or incomplete and cannot be read. Save it again as a JPEG, PNG or "
    "WebP image and upload it again."
)

# What a refused file is, found from its first bytes, only to say so in the message.
OTHER_IMAGES = [
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
]
# ISO base media files ("....ftyp<brand>"): HEIC is what iPhones save photos as.
FTYP_BRANDS = {
    b"heic": "HEIC",
    b"heix": "HEIC",
    b"hevc": "HEIC",
    b"hevx": "HEIC",
    b"heim": "HEIC",
    b"heis": "HEIC",
    b"mif1": "HEIF",
    b"msf1": "HEIF",
    b"avif": "AVIF",
    b"avis": "AVIF",
}


def _number(value: float) -> str:
    """10 -> "10", 1.46 -> "1.5": enough to compare a file with the limit."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _refuse_kind(head: bytes) -> ValidationError:
    for magic, name in OTHER_IMAGES:
        if head.startswith(magic):
            return ValidationError(NOT_ALLOWED["image"], code="photo_type", params={"format": name})
    if head[4:8] == b"ftyp" and head[8:12] in FTYP_BRANDS:
        return ValidationError(
            NOT_ALLOWED["image"], code="photo_type", params={"format": FTYP_BRANDS[head[8:12]]}
        )
    if head.lstrip().startswith(b"%PDF"):
        return ValidationError(NOT_ALLOWED["pdf"], code="photo_type")
    if _looks_like_text(head):
        return ValidationError(NOT_ALLOWED["text"], code="photo_type")
    return ValidationError(NOT_ALLOWED["other"], code="photo_type")


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    # The cut after HEAD_BYTES may split a multi-byte character: a second try without it.
    for data, encoding in ((head, "utf-8"), (head[:-4], "utf-8"), (head, "cp874")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return bool(text) and printable / len(text) > 0.95
    return False


class _ReadsPastTheEnd:
    """`file` as Pillow reads it, noting whether a read found nothing left.

    Decoding a whole image stops at its end marker; asking for more after the last byte
    means the data ran out first. Pillow raises then, unless `LOAD_TRUNCATED_IMAGES` is
    set, which WeasyPrint does for the whole process on import (so every process that
    renders reports has it): Pillow then fills the missing rows with grey. Noting it here
    refuses a cut-off file under either setting, without touching that global, which
    other threads rendering a PDF rely on.
    """

    def __init__(self, file: IO[bytes]):
        self._file = file
        self.ran_out = False

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        if not data and size != 0:
            self.ran_out = True
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()


def check_photo(file: File[bytes]) -> PhotoFormat:
    """The format of `file` if it is an acceptable photo; else ValidationError saying why.

    `file` is any Django File (an upload, a ContentFile); it is left at position 0.
    """
    from PIL import Image, UnidentifiedImageError

    max_bytes = settings.PHOTO_MAX_UPLOAD_BYTES
    max_pixels = settings.PHOTO_MAX_PIXELS
    limits = {"limit": _number(max_pixels / 1_000_000)}
    if file.size > max_bytes:
        raise ValidationError(
            TOO_LARGE,
            code="photo_too_large",
            params={"size": _number(file.size / MB), "limit": _number(max_bytes / MB)},
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    try:
        # Only the three plugins allowed: no other parser ever sees the bytes. Opening
        # reads the header only; nothing is decoded yet.
        with Image.open(file, formats=PILLOW_PLUGINS) as image:
            photo_format = PILLOW_FORMATS[image.format or ""]  # the plugins named above
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    TOO_MANY_PIXELS,
                    code="photo_too_many_pixels",
                    params={
                        "width": width,
                        "height": height,
                        "megapixels": _number(width * height / 1_000_000),
                        **limits,
                    },
                )
            image.verify()  # PNG: every chunk's checksum, without decoding
        file.seek(0)
        source = _ReadsPastTheEnd(file)
        # Pillow reads, seeks and tells: the wrapper is file enough.
        with Image.open(cast(IO[bytes], source), formats=PILLOW_PLUGINS) as image:
            # A JPEG decodes at 1/8 scale: every byte is still read, so a cut-off file
            # fails, in 1/64 of the memory.
            image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()
        if source.ran_out:
            raise ValidationError(DAMAGED, code="photo_damaged")
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow's own limit (far above ours) refused it before telling us its size.
        raise ValidationError(
            FAR_TOO_MANY_PIXELS, code="photo_too_many_pixels", params=limits
        ) from None
    except UnidentifiedImageError:
        raise _refuse_kind(head) from None
    except Exception:
        # A damaged file makes Pillow raise almost anything (OSError "image file is
        # truncated", SyntaxError, ValueError, struct.error, ...): all mean the same here.
        raise ValidationError(DAMAGED, code="photo_damaged") from None
    finally:
        file.seek(0)
    return photo_format


def validate_product_photo(value: File[bytes]) -> None:
    """The model field's validator: checks a newly chosen file, not one already stored
    (re-checking every stored photo on each save of a caption would only cost time)."""
    if isinstance(value, FieldFile) and value._committed:  # type: ignore[attr-defined]  # Django's flag, not in the stubs
        return
    check_photo(value)
