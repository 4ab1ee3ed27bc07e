"""What every view does around a service or a selector, written once (issue #14, item 6).

- `run_service` calls one service. Its refusal (a `ValidationError`, or the error classes
  the call names) becomes what the reader sees: error messages, or the form's errors, in
  the reader's language. A row the service was given that no longer exists (its
  `DoesNotExist`) is a 404.
- `get_or_404` calls one selector of one row. A selector of one row returns the row or
  raises the model's `DoesNotExist`, as `QuerySet.get` does; the view turns that into a 404
  here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse

T = TypeVar("T")

# How a service says no: a rule of the domain forbids it, with the reason for the reader.
SERVICE_ERRORS: tuple[type[Exception], ...] = (ValidationError,)


def refusal_messages(exc: Exception) -> list[str]:
    """The reasons a refusal gives, rendered now, in the language of the request."""
    if isinstance(exc, ValidationError):
        return [str(message) for message in exc.messages]
    return [str(exc)]


@dataclass
class ServiceCall(Generic[T]):
    """What became of one call: the service's return value, or its refusal."""

    value: T | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def returned(self) -> T:
        """The service's return value, for a view that has checked the call went through
        (`if not call: ...`): typed as the service returns it, without `| None`."""
        if self.error is not None:
            raise RuntimeError("the service refused: read `returned` after checking the call")
        # `value` is None only on a refusal (or when the service itself returns None).
        return cast(T, self.value)

    @property
    def messages(self) -> list[str]:
        return refusal_messages(self.error) if self.error is not None else []


def run_service(
    request: HttpRequest,
    call: Callable[[], T],
    success: str | Callable[[T], str] = "",
    *,
    form: Any = None,
    quiet: bool = False,
    joined: bool = False,
    prefix: str = "",
    level: int = messages.ERROR,
    errors: tuple[type[Exception], ...] = (),
) -> ServiceCall[T]:
    """Call one service and tell the reader how it went.

    - `success`: said when it went through (a function of the service's result for a
      message that names it);
    - a refusal goes to `form` (its non-field errors) if given, nowhere if `quiet` (the page
      lists `result.messages` itself), else one error message per reason (`joined`: all in
      one message, `prefix` before it, at `level`: an admin action names the row);
    - `errors`: refusals besides SERVICE_ERRORS (an admin action's `PermissionDenied`).
    """
    try:
        value = call()
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    except (*SERVICE_ERRORS, *errors) as exc:
        result: ServiceCall[T] = ServiceCall(error=exc)
        if form is not None:
            form.add_error(None, exc if isinstance(exc, ValidationError) else result.messages)
        elif not quiet:
            texts = [" ".join(result.messages)] if joined else result.messages
            for text in texts:
                messages.add_message(request, level, f"{prefix}{text}")
        return result
    if success:
        messages.success(request, str(success(value) if callable(success) else success))
    return ServiceCall(value=value)


def get_or_404(selector: Callable[..., T], /, *args: Any, message: str = "", **kwargs: Any) -> T:
    """Call a selector of one row: the row, or a 404 (with `message`) if it does not exist."""
    try:
        return selector(*args, **kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404(message) from exc


# Digits no primary key reaches, for url_for_each to find in a reversed URL.
_MARK = 987654321098765


def url_for_each(url_name: str, kwarg: str = "pk") -> Callable[[int], str]:
    """`reverse(url_name, kwargs={kwarg: n})` for any number of integers at the cost of one
    reverse: a list page's `{% url %}` per row was a reverse per row (#19). Only for a URL
    whose `kwarg` is its one integer part (an `<int:…>` converter)."""
    head, tail = reverse(url_name, kwargs={kwarg: _MARK}).split(str(_MARK))

    def url(value: int) -> str:
        return f"{head}{int(value)}{tail}"

    return url
