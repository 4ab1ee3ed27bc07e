"""FAO adds a product photo in the admin, in Thai, in headless Chromium: a GIF is refused
with the message beside the field, a phone photo is stored and its preview shows."""

import io

import pytest
from PIL import Image

from core.roles import Role
from vendors.models import ProductPhoto

from ..browser_support import ARTIFACTS, choose_language, follow, log_in
from ..factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GIF_REFUSED = "รูปภาพต้องเป็นไฟล์ภาพ JPEG, PNG หรือ WebP แต่ไฟล์นี้เป็นภาพรูปแบบ GIF"


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 60, 30)).save(buffer, fmt)
    return buffer.getvalue()


def add_photo(page, name: str, mime: str, data: bytes) -> None:
    follow(page, "#photos-group .add-row a")
    page.set_input_files(
        "input[name='photos-0-image']", {"name": name, "mimeType": mime, "buffer": data}
    )
    page.fill("input[name='photos-0-caption']", "ทองม้วนกล่องละ 20 ชิ้น")
    follow(page, "input[name=_continue]")
    page.wait_for_load_state("networkidle")


def test_fao_adds_a_photo_in_the_admin_in_thai(
    live_portal, make_user, password, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    product = ProductFactory(name_th="ทองม้วน")
    fao = make_user(Role.FAO, username="fao.photos")
    page = live_portal
    page.goto(f"{page.base_url}/accounts/login/")
    choose_language(page, "th")
    log_in(page, fao.username, password)
    page.goto(f"{page.base_url}/admin/vendors/product/{product.pk}/change/")

    add_photo(page, "IMG_0001.jpg", "image/jpeg", image_bytes("GIF"))
    assert GIF_REFUSED in page.inner_text("#photos-group .errorlist")
    assert page.inner_text(".errornote") == "กรุณาแก้ไขข้อผิดพลาดด้านล่าง"
    assert ProductPhoto.objects.count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vendors-photo-refused-th.png"), full_page=True)

    page.goto(f"{page.base_url}/admin/vendors/product/{product.pk}/change/")
    add_photo(page, "IMG_0002.JPG", "image/jpeg", image_bytes("JPEG"))
    photo = ProductPhoto.objects.get()
    assert page.inner_text(".messagelist") == (
        "แก้ไขผลิตภัณฑ์ “ทองม้วน” เรียบร้อยแล้ว คุณสามารถแก้ไขได้อีกครั้งด้านล่าง"
    )
    preview = page.locator(f"#photos-group img[src='/vendors/photos/{photo.pk}/']")
    preview.wait_for()
    # The browser decoded the picture the permission-checked view served.
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 640
    page.screenshot(path=str(ARTIFACTS / "vendors-photo-stored-th.png"), full_page=True)
