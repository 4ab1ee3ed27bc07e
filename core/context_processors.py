from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import items_for
from .roles import roles_of
from .todo import todo_total

TOOLS_ORDER = 90


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": frozenset()}
    items = items_for(user)
    # Staff tools (admin, audit trail, system status) live in the user menu, so the
    # menu bar keeps to the programme's own pages.
    primary = [i for i in items if i.order < TOOLS_ORDER and i.key != "home"]
    tools = [i for i in items if i.order >= TOOLS_ORDER]
    path = request.path
    matches = [i for i in primary + tools if path.startswith(i.url())]
    active = max(matches, key=lambda i: len(i.url())).key if matches else ""
    return {
        "nav_items": items,
        "nav_primary": primary,
        "nav_tools": tools,
        "nav_active": active,
        "user_roles": roles_of(user),
        # The menu's badge: one query, shared with the home page's list (core.todo).
        "todo_count": SimpleLazyObject(lambda: todo_total(user)),
    }
