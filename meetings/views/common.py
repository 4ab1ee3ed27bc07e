from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def run_service(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """Call one service; its refusal (a ValidationError) becomes an error message."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    if success:
        messages.success(request, success)
    return True


def to_session(session_id: int) -> HttpResponse:
    return redirect("meetings:session-detail", session_id)
