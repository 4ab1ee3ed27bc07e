"""One view helper to call a service and one to read a row or answer 404 (issue #14, item 6):
core.view_helpers.run_service and get_or_404, and no view handling them by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.view_helpers import get_or_404, run_service

ROOT = Path(__file__).resolve().parents[2]

EMPTY = {
    "en": "An empty shortlist cannot be approved.",
    "th": "อนุมัติรายชื่อที่ว่างเปล่าไม่ได้",
}
APPROVED = {"en": "The shortlist was approved.", "th": "อนุมัติรายชื่อที่คัดเลือกแล้ว"}


def a_request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def said(request) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in get_messages(request)]


def refuse(*reasons):
    def call():
        raise ValidationError(list(reasons))

    return call


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_refusal_becomes_an_error_message_in_the_readers_language(language):
    request = a_request()
    with translation.override(language):
        result = run_service(
            request,
            refuse(gettext_lazy("An empty shortlist cannot be approved.")),
            gettext_lazy("The shortlist was approved."),
        )
    assert not result and result.value is None
    assert said(request) == [(messages.ERROR, EMPTY[language])]


@pytest.mark.parametrize("language", ["en", "th"])
def test_success_is_said_and_the_value_returned(language):
    request = a_request()
    with translation.override(language):
        result = run_service(request, lambda: 42, gettext_lazy("The shortlist was approved."))
        named = run_service(request, lambda: 7, lambda value: f"{value} approved.")
    assert result and result.value == 42 and result.messages == []
    assert named.value == 7
    assert said(request) == [
        (messages.SUCCESS, APPROVED[language]),
        (messages.SUCCESS, "7 approved."),
    ]


def test_returned_is_the_value_of_a_call_that_went_through_and_refuses_otherwise():
    request = a_request()
    assert run_service(request, lambda: 42).returned == 42
    refused = run_service(request, refuse("No."))
    with pytest.raises(RuntimeError, match="the service refused"):
        refused.returned  # noqa: B018


def test_each_reason_is_one_message_or_all_in_one_when_joined():
    separate, joined = a_request(), a_request()
    run_service(separate, refuse("First.", "Second."))
    run_service(joined, refuse("First.", "Second."), joined=True)
    assert said(separate) == [(messages.ERROR, "First."), (messages.ERROR, "Second.")]
    assert said(joined) == [(messages.ERROR, "First. Second.")]


def test_a_refusal_can_go_to_the_form_or_stay_with_the_page():
    class Form(forms.Form):
        pass

    request, form = a_request(), Form({})
    assert form.is_valid()
    run_service(request, refuse("No."), "Saved.", form=form)
    assert form.non_field_errors() == ["No."] and said(request) == []
    quiet = run_service(request, refuse("No.", "Never."), quiet=True)
    assert quiet.messages == ["No.", "Never."] and said(request) == []


def test_an_admin_action_names_the_row_and_may_refuse_with_permission_denied():
    request = a_request()

    def denied():
        raise PermissionDenied("Only the responsible office can tick off this step.")

    result = run_service(
        request, denied, joined=True, prefix="Step 3: ", level=messages.WARNING,
        errors=(PermissionDenied,),
    )  # fmt: skip
    assert not result
    assert said(request) == [
        (messages.WARNING, "Step 3: Only the responsible office can tick off this step.")
    ]
    with pytest.raises(PermissionDenied):
        run_service(request, denied)


def test_a_row_the_service_cannot_find_is_a_404_and_other_errors_are_not_hidden():
    def gone():
        raise ObjectDoesNotExist

    with pytest.raises(Http404):
        run_service(a_request(), gone)
    with pytest.raises(ZeroDivisionError):
        run_service(a_request(), lambda: 1 / 0)


def test_get_or_404_returns_the_row_or_answers_404_with_its_message():
    def missing(pk):
        raise ObjectDoesNotExist

    assert get_or_404(lambda pk: {"pk": pk}, 3) == {"pk": 3}
    with pytest.raises(Http404) as raised:
        get_or_404(missing, 3, message="No such session.")
    assert str(raised.value) == "No such session."


# --- No view handles a service's refusal or a missing row by hand -------------------------------

HANDLED_BY_THE_HELPERS = {"ValidationError", "PermissionDenied", "ObjectDoesNotExist"}


def _view_modules() -> list[Path]:
    found = set()
    for pattern in ("*/views.py", "*/views/*.py", "*/*_views.py", "*/admin.py", "*/admin/*.py"):
        found.update(ROOT.glob(pattern))
    return sorted(p for p in found if ".venv" not in p.parts)


def _checks_a_value(body: list[ast.stmt]) -> bool:
    """A try around `field.to_python(value)` checks a posted value, not a service's answer
    (core.admin's autocomplete widget)."""
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "to_python"
        for statement in body
        for n in ast.walk(statement)
    )


def _hand_handlers(path: Path, root: Path = ROOT) -> list[str]:
    """`except` clauses that catch a service's refusal or a row's DoesNotExist."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Try) and not _checks_a_value(node.body):
            for handler in node.handlers:
                names = {
                    n.attr if isinstance(n, ast.Attribute) else n.id
                    for n in ast.walk(handler.type or ast.Pass())
                    if isinstance(n, ast.Attribute | ast.Name)
                }
                if names & HANDLED_BY_THE_HELPERS or "DoesNotExist" in names:
                    found.append(f"{path.relative_to(root)}:{handler.lineno}")
        elif isinstance(node, ast.Name) and node.id == "get_object_or_404":
            found.append(f"{path.relative_to(root)}:{node.lineno} get_object_or_404")
    return found


def test_views_and_admin_actions_leave_refusals_and_missing_rows_to_the_helpers():
    modules = _view_modules()
    assert len(modules) > 15
    assert [entry for path in modules for entry in _hand_handlers(path)] == []


def test_the_check_sees_a_hand_written_handler(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "def view(request, pk):\n"
        "    try:\n        row = selectors.row(pk)\n"
        "    except Row.DoesNotExist:\n        raise Http404\n"
        "    try:\n        services.do(row)\n"
        "    except ValidationError as exc:\n        messages.error(request, exc.messages)\n"
        "    return get_object_or_404(Row, pk=pk)\n"
    )
    assert len(_hand_handlers(view, tmp_path)) == 3


def test_url_for_each_is_reverse_for_every_row(monkeypatch):
    from django.urls import reverse

    from core import view_helpers

    detail = view_helpers.url_for_each("vendors:detail")
    calls = []
    monkeypatch.setattr(view_helpers, "reverse", lambda *a, **k: calls.append(a))
    for pk in (1, 42, 10**9):
        assert detail(pk) == reverse("vendors:detail", kwargs={"pk": pk})
    assert calls == []
