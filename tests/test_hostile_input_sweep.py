"""Every form and filter of the portal and the admin, sent hostile values: none answers 500
(#11 item 10).

The forms are found, not listed: every page of the URL × role matrix (tests/test_url_matrix.py)
is opened as a role that may use it, and every form on it is sent back with each hostile
value in every field (GET forms: as query parameters, with the page's own filter links);
every admin changelist gets its search and each of its filters' parameters; every admin add
form (and the change form of a model FAO edits) is posted the same way. A new page, form,
field or filter is swept without touching this file.

The values: a NUL byte, a lone surrogate (sent as the raw bytes a broken client sends), a
100 kB string, right-to-left and zero-width characters, template syntax, and numbers at and
beyond the limits (each field's own min/max/maxlength, and 2**31, 2**63, -1, 1e308, NaN).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib import admin
from django.urls import reverse

from .html_forms import Form, forms_of
from .matrix_fixtures import world  # noqa: F401  (fixture)
from .test_url_matrix import ADMIN_MODELS, ANON, EXPECTED, FAO, ROLES, _url

HOSTILE = [
    "a\x00b",
    "\ud800x",
    "x" * 100_000,
    "\u202eevil\u200b\u200c\u200d\u2066\ufeff",
    "{{ 7|add:7 }}{% debug %}{{",
    str(2**31),
    str(2**63),
    "-1",
    "1e308",
    "NaN",
    "-Infinity",
    "٣٤٥",  # Arabic-Indic digits: int() takes them, a database may not
]
AT_LIMIT, BEYOND_LIMIT = "at", "beyond"

# Forms the sweep leaves alone: they end the signed-in session or switch the language the
# other cases are read in; neither stores anything.
SKIPPED_ACTIONS = ("/accounts/logout/", "/admin/logout/", "/i18n/setlang/")
# Fields whose value the sweep keeps: the CSRF token (else every POST is a 403 before any
# code of the portal runs).
KEPT_FIELDS = {"csrfmiddlewaretoken"}


def _encode(value: str) -> str:
    """A value as a broken client puts it on the wire: a lone surrogate as its raw bytes."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _body(data: dict[str, list[str]]) -> str:
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, values in data.items() for v in values)


def _limit_value(field, which: str) -> str:
    """A value at (or just beyond) the field's own limit, from its HTML attributes."""
    attrs = field.attrs
    if "max" in attrs and attrs["max"].lstrip("-").replace(".", "").isdigit():
        top = float(attrs["max"])
        return _number(top if which == AT_LIMIT else top + 1)
    if "min" in attrs and attrs["min"].lstrip("-").replace(".", "").isdigit():
        bottom = float(attrs["min"])
        return _number(bottom if which == AT_LIMIT else bottom - 1)
    if attrs.get("maxlength", "").isdigit():
        length = int(attrs["maxlength"])
        return "ก" * (length if which == AT_LIMIT else length + 1)
    if field.type == "number":
        return str(2**31 - 1) if which == AT_LIMIT else str(2**31)
    return "x" * (255 if which == AT_LIMIT else 256)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _filled(form: Form, value: str | None, limit: str | None = None) -> dict[str, list[str]]:
    data = form.data()
    for field in form.fields:
        if field.name in KEPT_FIELDS or field.type in ("submit", "button", "reset", "image"):
            continue
        if field.type == "file":
            continue
        hostile = _limit_value(field, limit) if limit else value
        data[field.name] = [hostile]
    return data


def _cases(form: Form):
    for value in HOSTILE:
        yield repr(value[:20]), _filled(form, value)
    for limit in (AT_LIMIT, BEYOND_LIMIT):
        yield f"{limit} each field's limit", _filled(form, None, limit)


def _check(response, what: str) -> None:
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def _send(client, form: Form, data: dict[str, list[str]], what: str) -> None:
    if form.method == "get":
        base = form.action.split("?", 1)[0]
        _check(client.get(f"{base}?{_body(data)}"), f"GET {base} {what}")
        return
    response = client.post(
        form.action, _body(data), content_type="application/x-www-form-urlencoded"
    )
    _check(response, f"POST {form.action} {what}")


def _filter_parameters(html: str) -> set[str]:
    """The query parameters the page's own links use (the admin's filters, sorting,
    pages, a list's year switcher)."""
    names = set()
    for href in re.findall(r'href="(\?[^"]*|/[^"]*\?[^"]*)"', html):
        query = urlsplit(href.replace("&amp;", "&")).query
        names.update(name for name, _value in parse_qsl(query, keep_blank_values=True))
    return names


def _sweep_page(client, url: str) -> None:
    response = client.get(url)
    _check(response, f"GET {url}")
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    base = url.split("?", 1)[0]
    # The page's filters and search, as query parameters, plus the usual ones.
    parameters = _filter_parameters(html) | {"q", "page", "p", "o", "year", "fiscal_year"}
    for value in HOSTILE:
        query = {name: [value] for name in parameters}
        _check(client.get(f"{base}?{_body(query)}"), f"GET {base} with {value[:20]!r}")
    for form in forms_of(html, url):
        if form.action.split("?", 1)[0].endswith(SKIPPED_ACTIONS):
            continue
        for what, data in _cases(form):
            _send(client, form, data, what)


def _role_for(by_role: dict[str, int]) -> str | None:
    """The first role (FAO first, anonymous last) that may open the page."""
    for role in (*ROLES[1:], ANON):
        if by_role.get(role) == 200:
            return role
    return None


PAGES = [name for name, by_role in EXPECTED.items() if _role_for(by_role)]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_no_portal_page_answers_500_to_hostile_input(world, name):  # noqa: F811
    role = _role_for(EXPECTED[name])
    _sweep_page(world.clients[role], _url(name, world))


def _admin_pages():
    for model in admin.site._registry:
        label = model._meta.label_lower
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if FAO not in ADMIN_MODELS.get(label, {}).get("read", ()):
            continue
        yield pytest.param(model, f"{base}_changelist", id=f"{label}-changelist")
        if FAO in ADMIN_MODELS[label]["add"]:
            yield pytest.param(model, f"{base}_add", id=f"{label}-add")
            yield pytest.param(model, f"{base}_change", id=f"{label}-change")


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "name"), list(_admin_pages()))
def test_no_admin_page_answers_500_to_hostile_input(world, model, name):  # noqa: F811
    if name.endswith("_change"):
        row = model._default_manager.order_by("pk").first()
        if row is None:
            pytest.skip(f"no {model._meta.label} row in the world")
        url = reverse(name, args=[row.pk])
    else:
        url = reverse(name)
    _sweep_page(world.clients[FAO], url)


# --- the public showcase (issue #17): its token and language come from the address --------
HOSTILE_TOKENS = [
    "x",
    "a" * 5000,
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "%F0%9F%98%80" * 20,
    "'%20OR%201=1--",
    "%ED%A0%80",  # a lone surrogate
]


@pytest.mark.django_db
@pytest.mark.parametrize("token", HOSTILE_TOKENS)
@pytest.mark.parametrize("lang", ["ko", "xx", "%00", "zh-hans" * 50])
def test_no_showcase_address_answers_500(world, token, lang):  # noqa: F811
    client = world.clients[ANON]
    for path in (
        f"/showcase/{token}/",
        f"/showcase/{token}/{lang}/",
        f"/showcase/{token}/{lang}/sheet/1.pdf",
        f"/showcase/{token}/photo/1/320.jpg",
        f"/showcase/{world.showcase.token}/{lang}/",
        f"/showcase/{world.showcase.token}/{lang}/sheet/999999.pdf",
        f"/showcase/{world.showcase.token}/photo/999999/320.jpg",
        f"/showcase/{world.showcase.token}/photo/{world.photo.pk}/99999.jpg",
    ):
        response = client.get(path)
        assert response.status_code < 500, path
