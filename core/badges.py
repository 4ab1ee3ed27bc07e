"""The colour of a status badge. Each app registers, in its AppConfig.ready(), the tone of
each of its statuses under a name (`register_badges("vendors.import", {...})`); templates
draw every badge with the one filter `{{ job.status|badge:"vendors.import" }}` (in
`core/templatetags/badges.py`), and the label beside it is the model's
`get_status_display`, already in the reader's language.

Keeping the tones here, beside Bootstrap's names, means a template never compares a
status to choose a colour, and core imports no app to know them.
"""

from __future__ import annotations

from collections.abc import Mapping

# Bootstrap 5's contextual tones; `text-bg-<tone>` picks a readable text colour for each.
TONES = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light"})
DEFAULT_TONE = "secondary"

_TONES: dict[str, dict[str, str]] = {}


def register_badges(name: str, tones: Mapping[str, str]) -> None:
    unknown = set(tones.values()) - TONES
    if unknown:
        raise ValueError(f"Unknown badge tones for {name}: {sorted(unknown)}")
    _TONES[name] = {str(status): tone for status, tone in tones.items()}


def badge_class(status: object, name: str) -> str:
    """The Bootstrap classes of `status`'s badge; a status the app gave no tone is grey.
    A name no app registered is a mistake in a template, so it fails loudly."""
    try:
        tones = _TONES[name]
    except KeyError:
        raise LookupError(f"No badge tones registered under {name!r}") from None
    return f"text-bg-{tones.get(str(status), DEFAULT_TONE)}"


def registered() -> dict[str, dict[str, str]]:
    return {name: dict(tones) for name, tones in _TONES.items()}


# The audit trail's own: a record added (+), deleted (-) or changed (~).
register_badges("core.audit", {"+": "success", "-": "danger"})

# An audit trail export (core.models.AuditExport.Status); waiting and being written stay grey.
register_badges("core.audit_export", {"done": "success", "failed": "danger"})
# Any other export job's status (core.models.ExportJob.Status): the same tones.
register_badges("core.export_job", {"done": "success", "failed": "danger"})
