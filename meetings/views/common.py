from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect


def to_session(session_id: int) -> HttpResponse:
    return redirect("meetings:session-detail", session_id)
