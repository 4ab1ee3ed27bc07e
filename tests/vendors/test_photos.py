"""Product photos: checked by their content, stored as clean copies, served safely."""

import io
import random
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from tests.factories import ProductFactory, ProductPhotoFactory, VendorFactory
from vendors.models import Product, ProductPhoto
from vendors.photos import report_copy

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
STORED_NAME = re.compile(r"products/\d+/[0-9a-f]{32}\.(jpg|png|webp)")

NOT_AN_ALLOWED_IMAGE = {
    "en": "The photo must be a JPEG, PNG or WebP image; this file is an image in {} format.",
    "th": "รูปภาพต้องเป็นไฟล์ภาพ JPEG, PNG หรือ WebP แต่ไฟล์นี้เป็นภาพรูปแบบ {}",
}
TEXT = {
    "en": "The photo must be a JPEG, PNG or WebP image; this file is text (such as HTML, SVG "
    "or a plain text file), not a picture.",
    "th": "รูปภาพต้องเป็นไฟล์ภาพ JPEG, PNG หรือ WebP แต่ไฟล์นี้เป็นข้อความ "
    "(เช่น HTML, SVG หรือไฟล์ข้อความธรรมดา) ไม่ใช่ภาพ",
}
DAMAGED = {
    "en": "The photo is damaged or incomplete and cannot be read. Save it again as a JPEG, PNG "
    "or WebP image and upload it again.",
    "th": "ไฟล์รูปภาพเสียหายหรือไม่สมบูรณ์ จึงอ่านไม่ได้ "
    "กรุณาบันทึกรูปภาพใหม่เป็น JPEG, PNG หรือ WebP แล้วอัปโหลดอีกครั้ง",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def picture(fmt: str = "JPEG", size=(32, 24), mode: str = "RGB", colour=(200, 60, 30), **save):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def noise_png(size: int) -> bytes:
    """A PNG that does not compress: about 3 bytes a pixel."""
    pixels = random.Random(7).randbytes(size * size * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (size, size), pixels).save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says width × height; decoding it would take the memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "photo.jpg", product=None) -> ProductPhoto:
    """Validate and save as a model form would: full_clean, then save."""
    photo = ProductPhoto(product=product or ProductFactory(), image=SimpleUploadedFile(name, data))
    photo.full_clean()
    photo.save()
    return photo


def refusal(data: bytes, name: str = "photo.jpg", language: str = "en") -> list[str]:
    photo = ProductPhoto(product=ProductFactory(), image=SimpleUploadedFile(name, data))
    with pytest.raises(ValidationError) as caught:
        photo.full_clean()
    with translation.override(language):
        errors = caught.value.message_dict
    assert list(errors) == ["image"]
    return errors["image"]


# -- accepted --------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_a_good_photo_is_stored_under_a_random_name_with_its_formats_extension(
    fmt, extension, media_root
):
    # The name the browser sent says GIF; the content decides.
    photo = upload(picture(fmt), name="Grandma's chilli paste.gif")
    photo.refresh_from_db()
    assert STORED_NAME.fullmatch(photo.image.name)
    assert photo.image.name.startswith(f"products/{photo.product_id}/")
    assert photo.image.name.endswith(f".{extension}")
    path = Path(photo.image.path)
    assert path.is_relative_to(media_root)
    with Image.open(path) as image:
        assert (image.format, image.size) == (fmt, (32, 24))
    # The photo and the copy the reports print, made at upload beside it.
    assert sorted(stored_files(media_root)) == sorted([path, report_copy(path)])


def test_the_reports_copy_is_made_at_upload_and_the_report_reads_it(media_root):
    from reports import photos

    exif = Image.Exif()
    exif[0x0112] = 6  # EXIF orientation: shown rotated 90°
    photo = upload(picture("JPEG", size=(3000, 2000), exif=exif), name="phone.jpg")
    source = Path(photo.image.path)
    copy = report_copy(source)
    assert copy.parent == source.parent
    with Image.open(copy) as image:
        assert (image.format, image.size) == ("JPEG", (667, 1000))
    # The report decodes nothing: it takes the copy, and makes no other.
    assert photos.for_pdf(source) == copy
    assert not photos.cache_dir().exists()


def test_a_photo_replaced_on_disk_gets_a_new_copy_at_render(media_root):
    import os

    from reports import photos

    photo = upload(picture("JPEG", size=(1200, 900)))
    source = Path(photo.image.path)
    source.write_bytes(picture("PNG", size=(1200, 900)))
    later = report_copy(source).stat().st_mtime_ns + 10**9
    os.utime(source, ns=(later, later))
    fresh = photos.for_pdf(source)
    assert fresh != report_copy(source) and fresh.is_relative_to(photos.cache_dir())


def test_deleting_the_photo_file_deletes_its_reports_copy(media_root):
    photo = upload(picture("JPEG", size=(1200, 900)))
    copy = report_copy(Path(photo.image.path))
    assert copy.is_file()
    photo.image.delete(save=False)
    assert stored_files(media_root) == []


def test_a_phone_jpeg_with_a_second_picture_inside_is_a_jpeg():
    # Many phones write the Multi-Picture format; Pillow reads it as "MPO".
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "red").save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (32, 24), "blue")]
    )
    photo = upload(buffer.getvalue(), name="IMG_0001.JPG")
    assert photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as image:
        assert image.format == "JPEG"


def test_a_png_keeps_its_transparency(media_root):
    photo = upload(picture("PNG", mode="RGBA", colour=(0, 0, 0, 0)), name="logo.png")
    with Image.open(photo.image.path) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0)) == (0, 0, 0, 0)


def test_the_factory_and_code_go_through_the_same_checks(media_root):
    assert STORED_NAME.fullmatch(ProductPhotoFactory().image.name)
    photo = ProductPhoto(product=ProductFactory())
    photo.image.save("evil.html", ContentFile(picture("JPEG")))
    assert photo.image.name.endswith(".jpg")
    with pytest.raises(ValidationError) as caught:
        ProductPhoto(product=ProductFactory()).image.save(
            "x.jpg", ContentFile(b"<html><script>alert(1)</script></html>")
        )
    assert caught.value.messages == [TEXT["en"]]
    assert ProductPhoto.objects.count() == 2


# -- refused by type -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_gif_is_refused(language):
    assert refusal(picture("GIF"), name="photo.jpg", language=language) == [
        NOT_AN_ALLOWED_IMAGE[language].format("GIF")
    ]


def test_a_bmp_tiff_and_iphone_heic_are_named():
    assert refusal(picture("BMP")) == [NOT_AN_ALLOWED_IMAGE["en"].format("BMP")]
    assert refusal(picture("TIFF")) == [NOT_AN_ALLOWED_IMAGE["en"].format("TIFF")]
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert refusal(heic, name="IMG_0001.HEIC") == [NOT_AN_ALLOWED_IMAGE["en"].format("HEIC")]


HTML = b"<!DOCTYPE html><html><body><script>fetch('/admin/')</script></body></html>\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>\n"
)


@pytest.mark.parametrize("language", ["en", "th"])
@pytest.mark.parametrize("content", [HTML, SVG], ids=["html", "svg"])
def test_html_or_svg_named_photo_jpg_is_refused(content, language):
    assert refusal(content, name="photo.jpg", language=language) == [TEXT[language]]


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_text_file_renamed_png_is_refused(language):
    text = "ราคาส่ง 120 บาท ต่อกระปุก\nminimum order 50\n".encode()
    assert refusal(text, name="price-list.png", language=language) == [TEXT[language]]


def test_a_pdf_and_other_files_are_refused():
    assert refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", name="catalogue.jpg") == [
        "The photo must be a JPEG, PNG or WebP image; this file is a PDF document."
    ]
    with translation.override("th"):
        assert refusal(b"%PDF-1.4\n", language="th") == [
            "รูปภาพต้องเป็นไฟล์ภาพ JPEG, PNG หรือ WebP แต่ไฟล์นี้เป็นเอกสาร PDF"
        ]
    assert refusal(b"PK\x03\x04" + bytes(range(256)) * 4, name="photos.zip.jpg") == [
        "The photo must be a JPEG, PNG or WebP image; this file is not an image."
    ]


# -- refused by size -------------------------------------------------------------------


@override_settings(PHOTO_MAX_UPLOAD_BYTES=MB)
def test_an_oversize_photo_is_refused():
    data = noise_png(700)
    size = f"{len(data) / MB:.1f}"
    assert size == "1.4"
    assert refusal(data, name="big.png") == [
        f"The photo is {size} MB; a photo may be at most 1 MB."
    ]
    assert refusal(data, name="big.png", language="th") == [
        f"รูปภาพนี้มีขนาด {size} MB แต่รูปภาพต้องมีขนาดไม่เกิน 1 MB"
    ]


def test_the_default_size_limit_is_10_mb(settings):
    assert settings.PHOTO_MAX_UPLOAD_BYTES == 10 * MB
    assert settings.PHOTO_MAX_PIXELS == 40_000_000


# -- decompression bombs ---------------------------------------------------------------


@override_settings(PHOTO_MAX_PIXELS=1_500_000)
def test_a_photo_with_too_many_pixels_is_refused():
    # One colour: 2000 × 1000 pixels in a few kB.
    data = picture("PNG", size=(2000, 1000), colour=(255, 255, 255))
    assert len(data) < 20_000
    assert refusal(data, name="flat.png") == [
        "The photo is 2000 × 1000 pixels (2 megapixels); a photo may have at most 1.5 megapixels."
    ]
    assert refusal(data, name="flat.png", language="th") == [
        "รูปภาพนี้มีขนาด 2000 × 1000 พิกเซล (2 ล้านพิกเซล) แต่รูปภาพต้องมีไม่เกิน 1.5 ล้านพิกเซล"
    ]


def test_a_bomb_is_refused_from_its_header_without_decoding():
    # The header claims 8000 × 7000; the data could not fill it. Had it been decoded, the
    # message would say it is damaged.
    assert refusal(png_claiming(8000, 7000), name="bomb.png") == [
        "The photo is 8000 × 7000 pixels (56 megapixels); a photo may have at most 40 megapixels."
    ]


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_bomb_beyond_pillows_own_limit_is_refused(language):
    expected = {
        "en": "The photo has far too many pixels to be opened; a photo may have at most 40 "
        "megapixels.",
        "th": "รูปภาพนี้มีจำนวนพิกเซลมากเกินกว่าจะเปิดได้ รูปภาพต้องมีไม่เกิน 40 ล้านพิกเซล",
    }
    assert refusal(png_claiming(100_000, 100_000), language=language) == [expected[language]]


# -- damaged files ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_truncated_jpeg_is_refused(language, monkeypatch):
    from PIL import ImageFile

    # What importing weasyprint does to every process that renders reports.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    noise = random.Random(3).randbytes(200 * 150 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (200, 150), noise).save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    assert refusal(data[: len(data) // 2], language=language) == [DAMAGED[language]]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is given back


def test_a_png_with_a_corrupt_chunk_is_refused():
    data = bytearray(noise_png(40))
    data[200] ^= 0xFF  # inside the image data: its checksum no longer matches
    assert refusal(bytes(data), name="photo.png") == [DAMAGED["en"]]


def test_a_refused_file_writes_nothing(media_root):
    for data in (picture("GIF"), HTML, png_claiming(100_000, 100_000)):
        photo = ProductPhoto(product=ProductFactory(), image=SimpleUploadedFile("p.jpg", data))
        with pytest.raises(ValidationError):
            photo.full_clean()
    assert ProductPhoto.objects.count() == 0
    assert stored_files(media_root) == []


# -- metadata --------------------------------------------------------------------------

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_jpeg() -> bytes:
    """A JPEG as a phone writes it: GPS position, make and model, turned by EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMakerCo"
    exif[0x0110] = "Model X 12"
    exif[ORIENTATION] = 6  # shown turned 90° clockwise
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (13.0, 45.0, 22.5)
    gps[3] = "E"
    gps[4] = (100.0, 30.0, 5.25)
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(
        buffer, "JPEG", exif=exif, comment=b"home of the vendor"
    )
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(GPS_IFD)[2] == (13.0, 45.0, 22.5)
    return data


def test_gps_and_other_exif_are_gone_after_upload_and_the_photo_stays_upright():
    photo = upload(phone_jpeg(), name="IMG_2041.jpg")
    stored = Path(photo.image.path).read_bytes()
    for secret in (b"Exif", b"PhoneMakerCo", b"Model X 12", b"home of the vendor"):
        assert secret not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(GPS_IFD) == {}
        assert "exif" not in image.info and "comment" not in image.info
        assert image.size == (40, 60)  # the orientation was applied to the pixels


def test_png_and_webp_text_and_exif_are_gone():
    from PIL.PngImagePlugin import PngInfo

    exif = Image.Exif()
    exif[0x010F] = "PhoneMakerCo"
    info = PngInfo()
    info.add_text("Location", "13.7563 N 100.5018 E")
    png = upload(picture("PNG", exif=exif, pnginfo=info), name="a.png")
    webp = upload(picture("WEBP", exif=exif, xmp=b"<x:xmpmeta>PhoneMakerCo</x:xmpmeta>"))
    for photo in (png, webp):
        stored = Path(photo.image.path).read_bytes()
        assert b"PhoneMakerCo" not in stored
        assert b"13.7563" not in stored


# -- the admin -------------------------------------------------------------------------


def product_form(product=None, **photo) -> dict:
    """The admin's product form with one new photo in the photo inline."""
    product = product or ProductFactory.build(vendor=VendorFactory())
    data = {
        "vendor": product.vendor_id,
        "category": product.category_id,
        "name_th": product.name_th,
        "name_en": product.name_en,
        "description_th": "",
        "description_en": "",
        "price_thb": "",
        "unit": "",
        "min_order_quantity": "",
        "shelf_life_days": "",
        "other_certifications": "",
        "is_export_ready": "on",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "3",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-caption": "ภาพสินค้า",
        "photos-0-position": "0",
        "_save": "Save",
    }
    data.update({f"photos-0-{key}": value for key, value in photo.items()})
    return data


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", TEXT["en"]), ("th", TEXT["th"])],
)
def test_the_admin_shows_the_message_and_writes_nothing(
    language, expected, fao_user, client_for, media_root
):
    product = ProductFactory()
    client = client_for(fao_user, language=language)
    response = client.post(
        reverse("admin:vendors_product_change", args=[product.pk]),
        product_form(product, image=SimpleUploadedFile("photo.jpg", SVG, "image/jpeg")),
    )
    assert response.status_code == 200  # the form again, with the error
    assert expected in response.content.decode()
    assert ProductPhoto.objects.count() == 0
    assert stored_files(media_root) == []


def test_the_admin_add_page_refuses_a_gif_and_adds_no_product(fao_user, client_for, media_root):
    data = product_form(image=SimpleUploadedFile("photo.jpg", picture("GIF"), "image/jpeg"))
    before = Product.objects.count()
    response = client_for(fao_user).post(reverse("admin:vendors_product_add"), data)
    assert response.status_code == 200
    assert NOT_AN_ALLOWED_IMAGE["en"].format("GIF") in response.content.decode()
    assert Product.objects.count() == before
    assert ProductPhoto.objects.count() == 0
    assert stored_files(media_root) == []


def test_the_admin_stores_a_good_photo_clean_and_the_view_serves_it(fao_user, client_for, seo_user):
    product = ProductFactory()
    page = client_for(fao_user).get(reverse("admin:vendors_product_change", args=[product.pk]))
    assert 'accept="image/jpeg,image/png,image/webp"' in page.content.decode()
    response = client_for(fao_user).post(
        reverse("admin:vendors_product_change", args=[product.pk]),
        product_form(product, image=SimpleUploadedFile("IMG_2041.JPG", phone_jpeg())),
    )
    assert response.status_code == 302
    photo = ProductPhoto.objects.get()
    assert STORED_NAME.fullmatch(photo.image.name) and photo.image.name.endswith(".jpg")
    assert b"PhoneMakerCo" not in Path(photo.image.path).read_bytes()

    # Changing the caption later does not re-check or re-store the photo.
    data = product_form(product, caption="ใหม่")
    data.update(
        {"photos-INITIAL_FORMS": "1", "photos-0-id": photo.pk, "photos-0-product": product.pk}
    )
    response = client_for(fao_user).post(
        reverse("admin:vendors_product_change", args=[product.pk]), data
    )
    assert response.status_code == 302
    assert ProductPhoto.objects.get().caption == "ใหม่"
    assert ProductPhoto.objects.get().image.name == photo.image.name

    response = client_for(seo_user).get(reverse("vendors:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'inline; filename="product-photo-{photo.pk}.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


# -- serving ---------------------------------------------------------------------------


def test_the_view_sends_the_type_of_the_content_not_of_the_stored_name(client_for, seo_user):
    """Photos stored before the checks kept the user's name."""
    product = ProductFactory()
    jpeg_as_png = default_storage.save("products/legacy/shop.png", ContentFile(picture("JPEG")))
    svg = default_storage.save("products/legacy/logo.svg", ContentFile(SVG))
    legacy_jpeg = ProductPhoto.objects.create(product=product, image=jpeg_as_png)
    legacy_svg = ProductPhoto.objects.create(product=product, image=svg)
    client = client_for(seo_user)

    response = client.get(reverse("vendors:photo", args=[legacy_jpeg.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        f'inline; filename="product-photo-{legacy_jpeg.pk}.jpg"'
    )

    response = client.get(reverse("vendors:photo", args=[legacy_svg.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        f'attachment; filename="product-photo-{legacy_svg.pk}.bin"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_photo_whose_file_is_gone_is_not_found(client_for, seo_user):
    photo = ProductPhotoFactory()
    Path(photo.image.path).unlink()
    assert client_for(seo_user).get(reverse("vendors:photo", args=[photo.pk])).status_code == 404
