"""The one badge filter: apps register their statuses' tones, templates ask by name."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from core.badges import badge_class, register_badges, registered


def test_each_app_registers_its_tones():
    names = set(registered())
    assert {
        "meetings",
        "vendors.import",
        "outcomes.submission",
        "reports.version",
        "notifications.line",
        "core.audit",
    } <= names


def test_a_status_gets_its_tone_and_an_unknown_one_is_grey():
    assert badge_class("accepted", "outcomes.submission") == "text-bg-success"
    assert badge_class("returned", "outcomes.submission") == "text-bg-warning"
    assert badge_class("draft", "outcomes.submission") == "text-bg-secondary"
    assert badge_class("stale", "vendors.import") == "text-bg-danger"
    assert badge_class("cancelled", "meetings") == "text-bg-danger"


def test_a_name_no_app_registered_fails_loudly():
    with pytest.raises(LookupError):
        badge_class("done", "no.such.badges")


def test_a_tone_bootstrap_does_not_have_is_refused():
    with pytest.raises(ValueError):
        register_badges("tests.bad", {"done": "green"})


def test_the_filter_in_a_template():
    html = Template('{% load badges %}<span class="badge {{ s|badge:"reports.version" }}">').render(
        Context({"s": "failed"})
    )
    assert html == '<span class="badge text-bg-danger">'
