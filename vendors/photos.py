"""How product photos are stored and served.

Every photo is stored as a fresh copy re-encoded by Pillow, never as the bytes uploaded:

- Metadata goes (PDPA). A phone photo carries EXIF: the GPS position where it was taken
  (often the vendor's home), the phone's make and serial, the date and time. None of it is
  needed to show a product, and the photos go into PDFs sent outside the BMA. Re-encoding
  keeps the pixels and the colour profile only. The EXIF orientation is applied to the
  pixels first, so the photo stays upright without it.
- Nothing but the picture survives: bytes appended after the image data, or a file made
  to be both a valid JPEG and something else, are not copied.
- The stored name is random, with the extension of the format found in the content, so
  neither the name nor the extension the user gave reaches the disk or the browser.

The checks (size, format, pixel count, damage) are in `validators.check_photo`; they run
again here, so a photo saved from code (imports, the demo data) gets them too.

The copy the reports print (`report_copy`) is made here too, when the photo is stored,
beside it, and deleted with it: a report written later never decodes a phone photo.
"""

from __future__ import annotations

import io
import os
import tempfile
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

from django import forms
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import ImageFieldFile

from .validators import (
    ALLOWED_FORMATS,
    JPEG,
    PILLOW_PLUGINS,
    PNG,
    WEBP,
    PhotoFormat,
    check_photo,
    validate_product_photo,
)

QUALITY = 90  # the re-encoded copy of a JPEG or WebP: no visible loss
# The copy for the PDF reports: printed 62 mm wide, so 1000 px on its long side is plenty.
REPORT_PIXELS = 1000
REPORT_QUALITY = 85
REPORT_SUFFIX = ".report.jpg"
EXTENSIONS = {f".{f.extension}" for f in ALLOWED_FORMATS}
# The first bytes of each allowed format, to name a stored file's type when serving it.
SIGNATURES = [
    (JPEG, ((0, b"\xff\xd8\xff"),)),
    (PNG, ((0, b"\x89PNG\r\n\x1a\n"),)),
    (WEBP, ((0, b"RIFF"), (8, b"WEBP"))),  # the file's length in between
]


def clean_copy(content: File) -> ContentFile:
    """A checked, metadata-free copy of the uploaded `content`, named by its format.

    Raises ValidationError (from check_photo) if it is not an acceptable photo.
    """
    from PIL import Image, ImageOps

    photo_format = check_photo(content)
    content.seek(0)
    with Image.open(content, formats=PILLOW_PLUGINS) as original:
        # Turn the pixels as the EXIF orientation says before the EXIF is dropped.
        image = ImageOps.exif_transpose(original)
    icc_profile = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    # Only what is passed below is written: EXIF, XMP, comments and text chunks stay out.
    image.info = {}
    options: dict = {}
    if photo_format is JPEG:
        if image.mode == "CMYK":
            icc_profile = None  # a CMYK profile would be wrong for the RGB copy
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": QUALITY}
    elif photo_format is WEBP:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        options = {"quality": QUALITY}
    elif transparency is not None:
        options = {"transparency": transparency}
    if icc_profile:
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    image.save(buffer, format=photo_format.name.upper(), **options)
    content.seek(0)
    return ContentFile(buffer.getvalue(), name=f"photo.{photo_format.extension}")


def stored_name(directory: str, filename: str) -> str:
    """A random name in `directory`, keeping only an allowed extension of `filename`
    (clean_copy named it after the format it found)."""
    extension = PurePosixPath(filename).suffix.lower()
    if extension == ".jpeg":
        extension = ".jpg"
    if extension not in EXTENSIONS:
        extension = ".bin"
    return f"{directory}/{uuid.uuid4().hex}{extension}"


def served_format(head: bytes) -> PhotoFormat | None:
    """The format of a stored photo from its first 16 bytes, None if not an allowed one.

    The view sends this content type, never one guessed from a name: photos stored before
    the checks kept the name the user gave.
    """
    for photo_format, parts in SIGNATURES:
        if all(head[offset : offset + len(magic)] == magic for offset, magic in parts):
            return photo_format
    return None


class PhotoUnreadable(Exception):
    pass


def report_copy(source: Path) -> Path:
    """Where the report-sized copy of the photo stored at `source` is kept."""
    return source.with_name(source.stem + REPORT_SUFFIX)


def shrink(source: Path, target: Path) -> None:
    """Write `target`: a JPEG of `source` at most REPORT_PIXELS on its long side,
    upright, on white where it was transparent. Raises PhotoUnreadable."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as opened:
            # JPEG decodes at a fraction of its size directly: much faster than full size.
            opened.draft("RGB", (REPORT_PIXELS, REPORT_PIXELS))
            image = ImageOps.exif_transpose(opened)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, "white")
                background.paste(image, mask=image.getchannel("A"))
                image = background
            elif image.mode != "RGB":
                image = image.convert("RGB")
            image.thumbnail((REPORT_PIXELS, REPORT_PIXELS))
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            os.close(fd)
            try:
                image.save(tmp, "JPEG", quality=REPORT_QUALITY, optimize=True)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise PhotoUnreadable(str(exc)) from exc


def _local_path(field_file: ImageFieldFile) -> Path | None:
    try:
        return Path(field_file.path)
    except (ValueError, NotImplementedError):  # no file, or a storage without paths
        return None


class PhotoFieldFile(ImageFieldFile):
    def save(self, name: str, content: File[bytes], save: bool = True) -> None:
        # Every way a photo gets stored (a form, the admin, code) comes through here.
        clean = clean_copy(content)
        super().save(clean.name or name, clean, save)  # clean_copy names its copy
        # The upload is no longer what is stored: read the stored copy from now on.
        self._file = None
        if hasattr(self, "_dimensions_cache"):
            del self._dimensions_cache
        source = _local_path(self)
        if source is not None:
            # At upload, not at render: the report reads this copy (reports.photos).
            shrink(source, report_copy(source))

    def delete(self, save: bool = True) -> None:
        source = _local_path(self) if self.name else None
        if source is not None:
            report_copy(source).unlink(missing_ok=True)
        super().delete(save)


class PhotoFormField(forms.FileField):
    """A file field that leaves the checks to the model field's validators.

    Django's forms.ImageField refuses what Pillow cannot open with its own generic message
    and accepts a GIF; the model's validators say what is wrong and what is allowed.
    """

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(f.content_type for f in ALLOWED_FORMATS)
        return attrs


class PhotoField(models.ImageField):
    """An ImageField whose files are checked by validate_product_photo and stored as clean
    copies (see the module's docstring).

    The validator is a default one of the field class, not an argument: simple-history's
    copy of the field (a TextField holding the name) must not run it.
    """

    attr_class = PhotoFieldFile
    default_validators = [validate_product_photo]

    def formfield(self, **kwargs: Any) -> forms.Field | None:  # type: ignore[override]
        # Django's own signature takes form_class as a keyword too; the stubs name it.
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})
