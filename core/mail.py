"""Recipients of the portal's e-mails and Teams invitations, built in one place.

A display name pasted in front of an address (`f"{name} <{email}>"`) is parsed back by the
mail library: a name such as `Mallory <mallory@evil.example> (` then *is* the address, and
a name with a comma (`Lee, Ji-woo`) splits into two broken recipients. Every sender builds
its recipients here instead, where the name is quoted as RFC 5322 requires.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def display_name(name: str) -> str:
    """The name as one line: line breaks and tabs would start a new header."""
    return " ".join((name or "").split())


def checked_address(email: str) -> str:
    """The bare address, refused (ValueError) unless it is one valid address."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValueError(f"not an e-mail address: {email!r}") from exc
    return email


def mail_address(email: str, name: str = "") -> str:
    """`"Name" <address>` for an e-mail header, the name quoted whatever it holds (kept in
    Unicode: Django encodes it when it writes the message)."""
    return str(Address(display_name=display_name(name), addr_spec=checked_address(email)))


def mail_addresses(header: str) -> list[str]:
    """The recipients of a stored `To:`-style list (as `mail_address` wrote them, joined
    with commas), each rebuilt; a comma inside a quoted name does not split it."""
    return [mail_address(email, name) for name, email in getaddresses([header]) if email]


def graph_email_address(email: str, name: str = "") -> dict[str, str]:
    """Microsoft Graph's `emailAddress` object (attendees): address and name apart."""
    email = checked_address(email)
    return {"address": email, "name": display_name(name) or email}
