"""The tones of the meetings' status badges (core.badges): sessions, their Teams meetings
and requests, and the notices to the cities."""

from core.badges import register_badges

TONES = {
    "planned": "secondary",
    "city_invited": "info",
    "city_confirmed": "info",
    "connection_tested": "primary",
    "scheduled": "primary",
    "held": "success",
    "reported": "success",
    "cancelled": "danger",
    "pending": "warning",
    "succeeded": "success",
    "failed": "danger",
    "superseded": "light",
    "running": "info",
    "sent": "success",
    "sending": "info",
    "requested": "warning",
    "active": "success",
    "cancel_requested": "warning",
}


def register() -> None:
    register_badges("meetings", TONES)
