"""State rules of the leads: which status may follow which, and what may still change."""

from __future__ import annotations

from .models_leads import Lead

S = Lead.Status
# The way forward: a step may be skipped (a buyer may order without a sample), never taken
# back; any lead still open may be lost.
ORDER = [S.NEW, S.CONTACTED, S.SAMPLE_SENT, S.ORDERED, S.CLOSED]
FINAL = frozenset({S.CLOSED, S.LOST})


def next_statuses(lead: Lead) -> list[Lead.Status]:
    if lead.verification == Lead.Verification.REJECTED or lead.status in FINAL:
        return []
    ahead = ORDER[ORDER.index(S(lead.status)) + 1 :]
    return [*ahead, S.LOST]


def can_change_status(lead: Lead, status: str) -> bool:
    return status in next_statuses(lead)


def can_verify(lead: Lead) -> bool:
    """SDO confirms or rejects a lead once; a decision is not taken back here."""
    return lead.verification == Lead.Verification.PENDING


def counts_as_contact(lead: Lead) -> bool:
    return lead.verification == Lead.Verification.CONFIRMED


def can_schedule_meeting(lead: Lead) -> bool:
    return lead.verification != Lead.Verification.REJECTED and lead.status not in FINAL
