"""Role checks for views: anonymous users go to the login page, others get a 403."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from .roles import Role, has_role

_View = Callable[..., HttpResponseBase]


def role_required(*allowed: Role) -> Callable[[_View], _View]:
    def decorator(view: _View) -> _View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # A function attribute, read by the URL × role test matrix.
        wrapped.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    allowed_roles: Iterable[Role] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, self.allowed_roles):
            raise PermissionDenied
        # Mixed into a View, which has the dispatch AccessMixin lacks.
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind role_required receives, for the type checker: its user
    is signed in. Django builds plain HttpRequests; annotate, never instantiate."""

    user: User


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request behind role_required or the admin, as the services take it:
    never anonymous there (the check only tells the type checker so)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
