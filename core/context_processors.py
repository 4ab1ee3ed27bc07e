from .navigation import items_for
from .roles import roles_of


def navigation(request):
    from .entra import is_enabled

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": frozenset(), "entra_enabled": is_enabled()}
    return {"nav_items": items_for(user), "user_roles": roles_of(user)}
