from . import entra


def sign_in(request):
    """Whether the login page offers "Sign in with Microsoft"."""
    return {"entra_enabled": entra.is_enabled()}
