from django.http import HttpRequest

from . import entra


def sign_in(request: HttpRequest) -> dict[str, bool]:
    """Whether the login page offers "Sign in with Microsoft"."""
    return {"entra_enabled": entra.is_enabled()}
