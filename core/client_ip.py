"""How django-axes finds the client's address behind the portal's reverse proxies.

django-axes asks django-ipware (it reads none of these settings without it). Each proxy
appends the address it received the request from to X-Forwarded-For (nginx's
$proxy_add_x_forwarded_for), so with N proxies in front the client is the N-th entry from
the right; anything to the left of it is whatever the client chose to send, and trusting
it would let an attacker dodge the lockout by forging a new address for every guess, or
lock someone else out. Without a proxy, X-Forwarded-For is not looked at at all.
"""

from __future__ import annotations


def axes_ipware_settings(proxy_count: int) -> dict[str, object]:
    """The django-axes 8 / django-ipware 8 settings for `proxy_count` proxies in front."""
    if proxy_count <= 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "IPWARE_STRICT": False,
        }
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        # ipware counts the proxies listed in the header: all but the one that connects
        # to the portal (REMOTE_ADDR). It takes the entry that many places from the right.
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # Not strict: a client's forged entries on the left make the chain longer than
        # the count, and the entry our proxy appended is still the one taken.
        "IPWARE_STRICT": False,
    }
