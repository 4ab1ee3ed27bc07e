"""Django's own Thai catalogues are incomplete; locale_thirdparty/ completes them.

locale_thirdparty/th/LC_MESSAGES/django.po (and djangojs.po for the admin's scripts) is in
LOCALE_PATHS, which Django searches before the apps' catalogues, so an entry there fills
a gap in Django's Thai. It is kept apart from locale/, which scripts/makemessages.sh
rebuilds from the portal's own code with --no-obsolete. These tests read the msgids from
Django's English catalogues (so a Django upgrade's new strings show up here) and check
that every one the portal's users can meet comes out in Thai.
"""

from pathlib import Path

import django
import polib
import pytest
from django.conf import global_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from tests.factories import ProductFactory

DJANGO = Path(django.__file__).parent
THIRDPARTY_LOCALE = Path(__file__).resolve().parents[2] / "locale_thirdparty/th/LC_MESSAGES"
PROJECT_CATALOGUE = THIRDPARTY_LOCALE / "django.po"

CATALOGUES = {
    "admin": DJANGO / "contrib/admin/locale",
    "auth": DJANGO / "contrib/auth/locale",
    "contenttypes": DJANGO / "contrib/contenttypes/locale",
    "core": DJANGO / "conf/locale",
}

# Language names are excluded: the portal offers only Thai and English (settings.LANGUAGES,
# translated in the project catalogue) and never shows Django's list of ~100 languages.
LANGUAGE_NAMES = {name for _code, name in global_settings.LANGUAGES}

# Written the same way in Thai: punctuation, units and protocol names. For these the test
# asks only that a Thai catalogue holds them (Django's or the project's).
SAME_IN_THAI = {
    (None, "…"),
    (None, ":"),
    (None, ":?.!"),
    (None, ", "),
    (None, "IPv4"),
    (None, "IPv6"),
    (None, "URL"),
    (None, "%s KB"),
    (None, "%s MB"),
    (None, "%s GB"),
    (None, "%s TB"),
    (None, "%s PB"),
    (None, "%(class_name)s %(instance)s"),
    ("String to return when truncating text", "%(truncated_text)s…"),
}

# django-simple-history and django-axes ship no English (nor Thai) catalogue: these are
# the strings of theirs that the admin shows.
SIMPLE_HISTORY = [
    "View history: %s",
    "Change history: %s",
    'The %(name)s "%(obj)s" was changed successfully.',
    "You may edit it again below",
    "View %s",
    "Revert %s",
    "Created",
    "Changed",
    "Deleted",
    "Deleted %(type_name)s",
    "Choose a date from the list below to revert to a previous version of this object.",
    "This object doesn't have a change history.",
    "Home",
    "History",
    "View %(verbose_name)s",
    "Revert %(verbose_name)s",
    "View on site",
    "Press the 'Revert' button below to revert to this version of the object.",
    "Press the 'Change History' button below to edit the history.",
    "Object",
    "Date/time",
    "Comment",
    "Changed by",
    "Change reason",
    "Changes",
    "None",
    ("entry", "entries"),
    "Revert",
    "Change History",
    "Close",
]
# Not "Cleaned up {count} expired access attempts.": axes formats it before translating
# (an f-string inside gettext), so no catalogue entry can ever match it.
AXES = [
    "Locked Out",
    "Yes",
    "No",
    "Form Data",
    "Meta Data",
    "Clean up expired attempts",
    "Not set",
    "Attempt Remaining",
    "Account locked: too many login attempts. Please try again later.",
    "Account locked: too many login attempts. Contact an admin to unlock your account.",
    "User Agent",
    "IP Address",
    "Username",
    "HTTP Accept",
    "Path",
    "Attempt Time",
    "Access lock out",
    "access failure",
    "access failures",
    "GET Data",
    "POST Data",
    "Failed Logins",
    "access attempt",
    "access attempts",
    "Access Attempt",
    "Expires At",
    "The time when access attempt expires and is no longer valid.",
    "access attempt expiration",
    "access attempt expirations",
    "Logout Time",
    "Session key hash (sha256)",
    "access log",
    "access logs",
]


def is_language_name(entry: polib.POEntry) -> bool:
    return (
        entry.msgid in LANGUAGE_NAMES
        and not entry.msgctxt
        and all(path.endswith("conf/global_settings.py") for path, _line in entry.occurrences)
    )


def english_entries(name: str) -> list[polib.POEntry]:
    path = CATALOGUES[name] / "en/LC_MESSAGES/django.po"
    return [e for e in polib.pofile(str(path)) if not e.obsolete and not is_language_name(e)]


def thai_keys(name: str) -> set[tuple[str | None, str]]:
    """The (msgctxt, msgid) pairs that Django's Thai or locale_thirdparty translates."""
    keys = set()
    for path in (CATALOGUES[name] / "th/LC_MESSAGES/django.po", PROJECT_CATALOGUE):
        keys |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if e.translated()}
    return keys


def untranslated(msgid: str, plural: str | None = None, context: str | None = None) -> bool:
    """True when gettext in Thai gives back the English."""
    with translation.override("th"):
        if plural is None:
            if context:
                return translation.pgettext(context, msgid) == msgid
            return translation.gettext(msgid) == msgid
        for n, english in ((1, msgid), (2, plural)):
            if context:
                thai = translation.npgettext(context, msgid, plural, n)
            else:
                thai = translation.ngettext(msgid, plural, n)
            if thai == english:
                return True
        return False


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_django_string_is_in_thai(name):
    entries = english_entries(name)
    assert len(entries) > 5, f"no msgids found under {CATALOGUES[name]}"
    same = [e for e in entries if (e.msgctxt, e.msgid) in SAME_IN_THAI]
    others = [e for e in entries if (e.msgctxt, e.msgid) not in SAME_IN_THAI]

    missing = [
        (e.msgctxt, e.msgid, e.msgid_plural or None)
        for e in others
        if untranslated(e.msgid, e.msgid_plural or None, e.msgctxt)
    ]
    assert missing == [], f"add Thai for these to {PROJECT_CATALOGUE}"

    known = thai_keys(name)
    assert [(e.msgctxt, e.msgid) for e in same if (e.msgctxt, e.msgid) not in known] == []


def test_language_names_are_the_only_exclusion():
    core = polib.pofile(str(CATALOGUES["core"] / "en/LC_MESSAGES/django.po"))
    excluded = {e.msgid for e in core if is_language_name(e)}
    assert "Thai" in excluded and "Afrikaans" in excluded
    assert excluded <= LANGUAGE_NAMES


@pytest.mark.parametrize(("app", "msgids"), [("simple_history", SIMPLE_HISTORY), ("axes", AXES)])
def test_third_party_admin_strings_are_in_thai(app, msgids):
    missing = [
        msgid
        for msgid in msgids
        if (untranslated(*msgid) if isinstance(msgid, tuple) else untranslated(msgid))
    ]
    assert missing == [], f"add Thai for these {app} strings to {PROJECT_CATALOGUE}"


def test_every_admin_script_string_is_in_thai():
    from django.utils.translation.trans_real import DjangoTranslation

    english = polib.pofile(str(CATALOGUES["admin"] / "en/LC_MESSAGES/djangojs.po"))
    thai = DjangoTranslation("th", domain="djangojs")
    missing = []
    for e in english:
        if e.msgid_plural:
            args = (e.msgid, e.msgid_plural, 2)
            got = thai.npgettext(e.msgctxt, *args) if e.msgctxt else thai.ngettext(*args)
            english_text = e.msgid_plural
        else:
            got = thai.pgettext(e.msgctxt, e.msgid) if e.msgctxt else thai.gettext(e.msgid)
            english_text = e.msgid
        if got == english_text:
            missing.append((e.msgctxt, e.msgid))
    assert len(english) > 50
    assert missing == [], f"add Thai for these to {THIRDPARTY_LOCALE / 'djangojs.po'}"


@pytest.mark.django_db
def test_the_admin_script_catalogue_is_served_in_thai(client_for, fao_user):
    import json

    response = client_for(fao_user, language="th").get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    # The view writes the catalogue as a JSON object literal into its script.
    text = response.content.decode()
    start = text.index("const newcatalog = ") + len("const newcatalog = ")
    catalogue = json.JSONDecoder().raw_decode(text[start:])[0]
    assert catalogue["Choose all %s"] == "เลือก%sทั้งหมด"
    assert catalogue["abbrev. month May\x04May"] == "พ.ค."


# -- the admin, as FAO staff see it in Thai ----------------------------------------------


def product_change(client, product, **changes):
    data = {
        "vendor": product.vendor_id,
        "category": product.category_id,
        "name_th": product.name_th,
        "name_en": product.name_en,
        "is_export_ready": "on",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        **changes,
    }
    url = reverse("admin:vendors_product_change", args=[product.pk])
    return client.post(url, data, follow=True)


@pytest.mark.django_db
def test_an_invalid_change_says_so_in_thai(client_for, fao_user):
    product = ProductFactory(name_th="ทองม้วน")
    response = product_change(client_for(fao_user, language="th"), product, name_th="")
    assert response.status_code == 200
    text = response.content.decode()
    assert "กรุณาแก้ไขข้อผิดพลาดด้านล่าง" in text
    assert "Please correct the error" not in text


@pytest.mark.django_db
def test_a_saved_change_is_confirmed_in_thai(client_for, fao_user):
    product = ProductFactory(name_th="ทองม้วน")
    response = product_change(
        client_for(fao_user, language="th"), product, name_en="Rolled wafer", _continue="1"
    )
    assert response.status_code == 200
    messages = [strip_tags(str(m)) for m in response.context["messages"]]
    assert messages == ["แก้ไขผลิตภัณฑ์ “ทองม้วน” เรียบร้อยแล้ว คุณสามารถแก้ไขได้อีกครั้งด้านล่าง"]
    product.refresh_from_db()
    assert product.name_en == "Rolled wafer"
