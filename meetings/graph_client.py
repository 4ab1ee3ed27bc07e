"""Teams meetings as Outlook calendar events through Microsoft Graph (TEAMS_BACKEND=graph).

The portal authenticates as an Entra ID application (client credentials) with msal and
calls Graph with requests. Only this module knows Graph's wire format and status codes;
callers see the types and errors of meetings/teams.py.

Retries: 429, 500, 502, 503 and 504 are retried here a few times, honouring `Retry-After`
(else exponential backoff), within a small total wait, and then raised as
`TeamsTransientError(retry_after=...)` so the Celery task retries later without holding a
worker. A timeout or a lost connection is raised at once as `TeamsTransientError`: a
create may have reached Graph, and the task's retry, carrying the same `transactionId`,
gets the first event back instead of a second meeting.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import threading
import time
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import msal
import requests
from django.conf import settings
from msal.authority import WELL_KNOWN_AUTHORITY_HOSTS

from .teams import (
    Attendee,
    MeetingRef,
    MeetingSpec,
    TeamsAuthError,
    TeamsNotFoundError,
    TeamsPermanentError,
    TeamsTransientError,
)

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
CONSENT_HINT = (
    "An administrator must grant admin consent for the application permission "
    "Calendars.ReadWrite, and the Exchange application access policy must include the "
    "organiser mailbox {organizer}."
)
CREDENTIALS_HINT = "Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET"


@dataclass(frozen=True)
class GraphConfig:
    tenant_id: str
    client_id: str
    client_secret: str = field(repr=False)
    organizer: str
    authority_host: str = "https://login.microsoftonline.com"
    api_base: str = "https://graph.microsoft.com/v1.0"
    timeout: float = 20.0
    max_attempts: int = 3
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 30.0

    @classmethod
    def from_settings(cls) -> GraphConfig:
        config = cls(
            tenant_id=settings.GRAPH_TENANT_ID,
            client_id=settings.GRAPH_CLIENT_ID,
            client_secret=settings.GRAPH_CLIENT_SECRET,
            organizer=settings.GRAPH_ORGANIZER,
            authority_host=settings.GRAPH_AUTHORITY_HOST,
            api_base=settings.GRAPH_API_BASE,
            timeout=float(settings.GRAPH_TIMEOUT_SECONDS),
            max_attempts=int(getattr(settings, "GRAPH_MAX_ATTEMPTS", 3)),
            backoff_seconds=float(getattr(settings, "GRAPH_BACKOFF_SECONDS", 1.0)),
            max_wait_seconds=float(getattr(settings, "GRAPH_MAX_WAIT_SECONDS", 30.0)),
        )
        missing = [
            name
            for name, value in (
                ("GRAPH_TENANT_ID", config.tenant_id),
                ("GRAPH_CLIENT_ID", config.client_id),
                ("GRAPH_CLIENT_SECRET", config.client_secret),
                ("GRAPH_ORGANIZER", config.organizer),
            )
            if not value
        ]
        if missing:
            raise TeamsAuthError(
                f"Microsoft Graph is not configured: set {', '.join(missing)} "
                "(or use TEAMS_BACKEND=local)."
            )
        return config

    @property
    def authority(self) -> str:
        return f"{self.authority_host.rstrip('/')}/{self.tenant_id}"

    @property
    def scope(self) -> str:
        # Client credentials ask for the resource's static permissions: "<resource>/.default",
        # where the resource is the Graph host of this cloud (graph.microsoft.us, ...).
        parts = urlsplit(self.api_base)
        return f"{parts.scheme}://{parts.netloc}/.default"

    @property
    def app_key(self) -> tuple:
        # The secret enters the key only as a digest, so the key is safe to log or repr.
        digest = hashlib.sha256(self.client_secret.encode()).hexdigest()
        return (self.authority, self.client_id, digest, self.timeout)


# --- Tokens ---------------------------------------------------------------------------------

# One msal app per process and configuration: its in-memory token cache then serves every
# call until the token nears expiry, and its throttling memory stays in one place.
_apps: dict[tuple, msal.ConfidentialClientApplication] = {}
_apps_lock = threading.Lock()


def msal_app(config: GraphConfig) -> msal.ConfidentialClientApplication:
    with _apps_lock:
        app = _apps.get(config.app_key)
        if app is None:
            # Building the app runs OpenID discovery against the authority, so it can fail
            # like a token request; a failed app is not cached.
            app = _token_call(config, lambda: _build_app(config))
            _apps[config.app_key] = app
        return app


def _build_app(config: GraphConfig) -> msal.ConfidentialClientApplication:
    host = urlsplit(config.authority_host).hostname or ""
    return msal.ConfidentialClientApplication(
        config.client_id,
        authority=config.authority,
        client_credential=config.client_secret,
        # msal would ask login.microsoftonline.com to vouch for any host it does not know
        # (a test server, a cloud newer than msal), which fails offline.
        instance_discovery=host in WELL_KNOWN_AUTHORITY_HOSTS,
        timeout=config.timeout,
    )


def reset_msal_apps() -> None:
    """Forget the per-process msal apps and their token caches (tests, secret rotation)."""
    with _apps_lock:
        _apps.clear()


def acquire_token(config: GraphConfig) -> str:
    app = msal_app(config)
    result = _token_call(config, lambda: app.acquire_token_for_client(scopes=[config.scope]))
    if "access_token" in result:
        if result.get("token_source") == "identity_provider":
            logger.info("Graph: new access token from %s", config.authority_host)
        return result["access_token"]
    raise _token_error(config, result)


def _token_call(config: GraphConfig, call: Callable[[], Any]) -> Any:
    try:
        return call()
    except msal.exceptions.MsalServiceError as exc:
        # msal raises this for a 5xx from the token endpoint (and replays it for a while).
        raise TeamsTransientError(
            f"Microsoft Entra ID at {config.authority_host} failed to issue a token ({exc}).",
        ) from exc
    except requests.exceptions.SSLError as exc:
        raise TeamsPermanentError(
            f"TLS verification of {config.authority_host} failed: {exc}. Check REQUESTS_CA_BUNDLE."
        ) from exc
    except requests.RequestException as exc:
        raise TeamsTransientError(
            f"Microsoft Entra ID at {config.authority_host} could not be reached: "
            f"{type(exc).__name__}."
        ) from exc
    except ValueError as exc:
        # msal's OpenID discovery answers a 4xx (typically an unknown tenant) this way.
        raise TeamsAuthError(
            f"Microsoft Entra ID does not know the tenant {config.tenant_id!r} at "
            f"{config.authority_host}. Check GRAPH_TENANT_ID and GRAPH_AUTHORITY_HOST."
        ) from exc


def _token_error(config: GraphConfig, result: dict) -> Exception:
    code = result.get("error", "")
    # Entra's descriptions carry trace and correlation ids on later lines: keep the first.
    description = (result.get("error_description") or "").splitlines()[0:1]
    detail = f"{code}: {description[0]}" if description else code
    if code == "invalid_client":
        return TeamsAuthError(
            f"Microsoft Entra ID rejected the portal's client secret ({detail}). "
            f"{CREDENTIALS_HINT}: the secret may be wrong or expired.",
            code=code,
        )
    if code == "unauthorized_client":
        return TeamsAuthError(
            f"Microsoft Entra ID does not know the portal's application ({detail}). "
            f"{CREDENTIALS_HINT}: the app registration must exist in that tenant "
            "and have admin consent.",
            code=code,
        )
    if code == "temporarily_unavailable":
        return TeamsTransientError(
            f"Microsoft Entra ID is temporarily unavailable ({detail}).", code=code
        )
    return TeamsAuthError(
        f"Microsoft Entra ID refused a token ({detail}). {CREDENTIALS_HINT}, and that the "
        "application has admin consent.",
        code=code,
    )


# --- Graph ------------------------------------------------------------------------------------


class GraphTeamsBackend:
    """The `graph` Teams backend: calendar events with a Teams meeting in the organiser's
    mailbox, so Exchange sends the invitations and the cancellations."""

    name = "graph"

    def __init__(
        self,
        config: GraphConfig,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.config = config
        self.session = session or requests.Session()
        self._sleep = sleep

    @classmethod
    def from_settings(cls) -> GraphTeamsBackend:
        """Raises TeamsAuthError when a GRAPH_* setting it needs is empty."""
        return cls(GraphConfig.from_settings())

    # The three calls of the TeamsBackend protocol.

    def create_meeting(self, spec: MeetingSpec) -> MeetingRef:
        if not spec.transaction_id:
            # Without it a retry after a lost response would invite everyone twice.
            raise ValueError("MeetingSpec.transaction_id is required by the Graph backend.")
        payload = {
            **self._schedule_fields(spec),
            "isOnlineMeeting": True,
            "onlineMeetingProvider": "teamsForBusiness",
            "transactionId": spec.transaction_id,
        }
        if spec.body_html:
            payload["body"] = {"contentType": "HTML", "content": spec.body_html}
        data = self._call("POST", self._events_path(), payload)
        ref = self._ref(data)
        if not ref.join_url:
            logger.warning(
                "Graph: event %s has no Teams join link; is %s a licensed work account?",
                ref.event_id,
                self.config.organizer,
            )
        return ref

    def update_meeting(self, event_id: str, spec: MeetingSpec) -> MeetingRef:
        # Never `body`: a PATCH carrying it is known to drop the Teams link or mint a new one.
        data = self._call("PATCH", self._events_path(event_id), self._schedule_fields(spec))
        return self._ref(data)

    def cancel_meeting(self, event_id: str, comment: str) -> None:
        try:
            self._call("POST", self._events_path(event_id, "cancel"), {"comment": comment})
        except TeamsNotFoundError:
            # Cancelling removes the event from the organiser's calendar, so a 404 means an
            # earlier attempt (whose answer was lost) or someone in Outlook already did it.
            logger.info("Graph: event %s is already gone; treated as cancelled", event_id)

    # Wire format.

    def _events_path(self, event_id: str = "", action: str = "") -> str:
        path = f"/users/{quote(self.config.organizer, safe='@')}/events"
        if event_id:
            path += f"/{quote(event_id, safe='')}"
        if action:
            path += f"/{action}"
        return path

    @staticmethod
    def _schedule_fields(spec: MeetingSpec) -> dict:
        return {
            "subject": spec.subject,
            "start": _graph_time(spec.start, spec.time_zone),
            "end": _graph_time(spec.end, spec.time_zone),
            "attendees": [_graph_attendee(a) for a in spec.attendees],
        }

    @staticmethod
    def _ref(data: dict) -> MeetingRef:
        return MeetingRef(
            event_id=data["id"],
            join_url=(data.get("onlineMeeting") or {}).get("joinUrl") or "",
            ical_uid=data.get("iCalUId") or "",
            change_key=data.get("changeKey") or "",
            raw=data,
        )

    # Transport.

    def _call(self, method: str, path: str, payload: dict) -> dict:
        """One Graph call with the bounded in-client retries; the parsed JSON answer."""
        config = self.config
        url = config.api_base.rstrip("/") + path
        waited = 0.0
        for attempt in range(1, config.max_attempts + 1):
            response = self._send(method, url, payload, attempt)
            status = response.status_code
            if status < 300:
                return response.json() if response.content else {}
            if status not in RETRYABLE_STATUSES:
                raise self._error(response)
            delay = _retry_after(response)
            if delay is None:
                delay = config.backoff_seconds * 2 ** (attempt - 1)
            if attempt == config.max_attempts or waited + delay > config.max_wait_seconds:
                raise self._error(response, retry_after=delay)
            logger.info(
                "Graph: %s %s answered %s; retry %d/%d in %.1f s",
                method,
                path,
                status,
                attempt + 1,
                config.max_attempts,
                delay,
            )
            self._sleep(delay)
            waited += delay
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _send(self, method: str, url: str, payload: dict, attempt: int) -> requests.Response:
        token = acquire_token(self.config)  # from msal's cache unless near expiry
        request_id = str(uuid.uuid4())
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                url,
                json=payload,
                headers={"Authorization": f"Bearer {token}", "client-request-id": request_id},
                timeout=self.config.timeout,
            )
        except requests.exceptions.SSLError as exc:
            raise TeamsPermanentError(
                f"TLS verification of {url} failed: {exc}. Check REQUESTS_CA_BUNDLE."
            ) from exc
        except requests.Timeout as exc:
            raise TeamsTransientError(
                f"Microsoft Graph did not answer {method} {url} within {self.config.timeout:g} s."
            ) from exc
        except requests.RequestException as exc:
            raise TeamsTransientError(
                f"Microsoft Graph connection failed on {method} {url}: {type(exc).__name__}."
            ) from exc
        logger.info(
            "Graph: %s %s -> %s in %.2f s (attempt %d, client-request-id %s, request-id %s)",
            method,
            url,
            response.status_code,
            time.monotonic() - started,
            attempt,
            request_id,
            response.headers.get("request-id", "-"),
        )
        return response

    def _error(self, response: requests.Response, *, retry_after: float | None = None):
        status = response.status_code
        code, message = _graph_error(response)
        detail = f"{status} {code}: {message}" if code else f"{status}: {message}"
        if status in RETRYABLE_STATUSES:
            return TeamsTransientError(
                f"Microsoft Graph is busy or failing ({detail}); try again later.",
                status=status,
                code=code,
                retry_after=retry_after,
            )
        if status == 401:
            return TeamsAuthError(
                f"Microsoft Graph rejected the portal's access token ({detail}). "
                f"{CREDENTIALS_HINT}.",
                status=status,
                code=code,
            )
        if status == 403:
            return TeamsAuthError(
                f"Microsoft Graph refused access to the organiser's calendar ({detail}). "
                + CONSENT_HINT.format(organizer=self.config.organizer),
                status=status,
                code=code,
            )
        if status == 404:
            return TeamsNotFoundError(
                f"Microsoft Graph found no such event or mailbox ({detail}).",
                status=status,
                code=code,
            )
        return TeamsPermanentError(
            f"Microsoft Graph refused the request ({detail}).", status=status, code=code
        )


def _graph_time(moment, time_zone: str) -> dict:
    # Graph wants the wall-clock time in the named zone, without an offset.
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone)).replace(tzinfo=None)
    return {"dateTime": local.isoformat(timespec="seconds"), "timeZone": time_zone}


def _graph_attendee(attendee: Attendee) -> dict:
    return {
        "emailAddress": {"address": attendee.email, "name": attendee.name or attendee.email},
        "type": "optional" if attendee.optional else "required",
    }


def _graph_error(response: requests.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    if isinstance(error, dict) and (error.get("code") or error.get("message")):
        return str(error.get("code") or ""), str(error.get("message") or "")
    return "", (response.reason or "no error details")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
