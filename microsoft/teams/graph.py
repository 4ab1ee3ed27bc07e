"""Teams meetings as Outlook calendar events through Microsoft Graph (TEAMS_BACKEND=graph).

The portal authenticates as an Entra ID application (client credentials) with msal and
calls Graph with requests. Only this module knows Graph's wire format and status codes;
callers see the types and errors of microsoft/teams/. Settings and tokens are in
microsoft/graph_auth.py (re-exported here).

Retries: 429, 500, 502, 503 and 504 are retried here a few times, honouring `Retry-After`
(else exponential backoff), within a small total wait, and then raised as
`TeamsTransientError(retry_after=...)` so the Celery task retries later without holding a
worker. A timeout or a lost connection is raised at once as `TeamsTransientError`: a
create may have reached Graph, and the task's retry, carrying the same `transactionId`,
gets the first event back instead of a second meeting.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
import zoneinfo
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import requests

from core.mail import graph_email_address
from core.retry import parse_retry_after

from .. import http
from ..errors import (
    Message,
    TeamsAuthError,
    TeamsConfigurationError,
    TeamsError,
    TeamsNotFoundError,
    TeamsPermanentError,
    TeamsTransientError,
)
from ..graph_auth import (
    GraphConfig,
    acquire_token,
    drop_token,
    msal_app,
    reset_msal_apps,
)
from .types import AttendanceRecord, Attendee, MeetingRef, MeetingSpec, merge_attendance

# Bounded paging: at most this many pages of attendance records per report.
MAX_PAGES = 50

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Graph's 404 codes for the mailbox in /users/{organizer}: no such user, or a user without
# an Exchange Online mailbox (no licence, on-premises). An event's 404 is ErrorItemNotFound.
MAILBOX_NOT_FOUND_CODES = frozenset(
    {"ErrorInvalidUser", "MailboxNotEnabledForRESTAPI", "MailboxNotSupportedForRESTAPI"}
)

__all__ = ["GraphConfig", "GraphTeamsBackend", "acquire_token", "msal_app", "reset_msal_apps"]


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
        self.session = session or http.session(config.timeout)
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
        try:
            data = self._call("POST", self._events_path(), payload)
        except TeamsNotFoundError as exc:
            # A create names no event, so its 404 can never mean "deleted in Outlook":
            # re-creating would loop.
            raise TeamsPermanentError(exc.message, status=exc.status, code=exc.code) from exc
        if data.get("isCancelled"):
            # Graph answered a reused transactionId with the meeting cancelled earlier.
            raise TeamsPermanentError(
                f"Microsoft Graph returned the cancelled event {data.get('id')} for transaction "
                f"{spec.transaction_id}: a new meeting needs a new transaction id (generation)."
            )
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
            # `Comment`, as Graph's reference for event: cancel spells the parameter.
            self._call("POST", self._events_path(event_id, "cancel"), {"Comment": comment})
        except TeamsNotFoundError:
            # Cancelling removes the event from the organiser's calendar, so a 404 means an
            # earlier attempt (whose answer was lost) or someone in Outlook already did it.
            logger.info("Graph: event %s is already gone; treated as cancelled", event_id)

    def attendance(self, join_url: str, start: dt.datetime) -> tuple[AttendanceRecord, ...]:
        forbidden = Message(
            "graph_attendance_forbidden", {"organizer": self.config.organizer, "detail": ""}
        )
        user = self._call("GET", f"/users/{quote(self.config.organizer, safe='@')}?$select=id")
        # The onlineMeetings endpoints want the organiser's object id, not a UPN.
        base = f"/users/{quote(user['id'], safe='')}/onlineMeetings"
        wanted = quote(f"JoinWebUrl eq '{join_url}'", safe="")  # the link URL-encoded
        found = self._call("GET", f"{base}?$filter={wanted}", forbidden=forbidden)
        meetings = found.get("value") or []
        if not meetings:
            raise TeamsNotFoundError(Message("graph_meeting_not_found"))
        meeting_path = f"{base}/{quote(meetings[0]['id'], safe='')}/attendanceReports"
        records: list[AttendanceRecord] = []
        for report in self._call("GET", meeting_path, forbidden=forbidden).get("value") or []:
            page_path = f"{meeting_path}/{quote(report['id'], safe='')}/attendanceRecords"
            for _page in range(MAX_PAGES):
                page = self._call("GET", page_path, forbidden=forbidden)
                records.extend(_attendance_record(r) for r in page.get("value") or [])
                page_path = page.get("@odata.nextLink") or ""
                if not page_path:
                    break
        return merge_attendance(records)

    # Wire format.

    def _events_path(self, event_id: str = "", action: str = "") -> str:
        path = f"/users/{quote(self.config.organizer, safe='@')}/events"
        if event_id:
            path += f"/{quote(event_id, safe='')}"
        if action:
            path += f"/{action}"
        return path

    @staticmethod
    def _schedule_fields(spec: MeetingSpec) -> dict[str, Any]:
        fields = {
            "subject": spec.subject,
            "start": _graph_time(spec.start, spec.time_zone),
            "end": _graph_time(spec.end, spec.time_zone),
            "attendees": [_graph_attendee(a) for a in spec.attendees],
        }
        if spec.location:
            fields["location"] = {"displayName": spec.location}
        return fields

    @staticmethod
    def _ref(data: dict[str, Any]) -> MeetingRef:
        if not data.get("id"):
            raise TeamsPermanentError("Microsoft Graph answered without the event's id.")
        return MeetingRef(
            event_id=data["id"],
            join_url=(data.get("onlineMeeting") or {}).get("joinUrl") or "",
            ical_uid=data.get("iCalUId") or "",
            change_key=data.get("changeKey") or "",
            raw=data,
        )

    # Transport.

    def _call(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        *,
        forbidden: Message | None = None,
    ) -> dict[str, Any]:
        """One Graph call with the bounded in-client retries; the parsed JSON answer.
        `path` may be a whole URL (an @odata.nextLink); `forbidden` is the message of a 403."""
        config = self.config
        url = path if path.startswith("https://") else config.api_base.rstrip("/") + path
        attempts = max(1, config.max_attempts)
        waited = 0.0
        token_refreshed = False
        for attempt in range(1, attempts + 1):
            response = self._send(method, url, payload, attempt)
            status = response.status_code
            if status == 401 and not token_refreshed:
                # A token msal still holds but Graph refuses: drop it and try once with a
                # fresh one. A second 401 is an authentication error. At most
                # max_attempts + 1 Graph requests and two tokens per call.
                drop_token(config)
                token_refreshed = True
                response = self._send(method, url, payload, attempt)
                status = response.status_code
            if status < 300:
                return _json_answer(response, method, url)
            if status == 403:
                # The token may predate a consent an administrator grants later: the next
                # attempt (the task's retry, or staff's) must ask for a token that has it.
                drop_token(config)
            if status not in RETRYABLE_STATUSES:
                raise self._error(response, forbidden=forbidden)
            server_delay = parse_retry_after(response.headers.get("Retry-After"))
            delay = server_delay
            if delay is None:
                delay = config.backoff_seconds * 2 ** (attempt - 1)
            if attempt == attempts or waited + delay > config.max_wait_seconds:
                # Only Graph's own Retry-After goes up to the task: without one, the
                # request row's longer backoff decides when to try again.
                raise self._error(response, retry_after=server_delay)
            logger.info(
                "Graph: %s %s answered %s; retry %d/%d in %.1f s",
                method,
                path,
                status,
                attempt + 1,
                attempts,
                delay,
            )
            self._sleep(delay)
            waited += delay
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _send(
        self, method: str, url: str, payload: dict[str, Any] | None, attempt: int
    ) -> requests.Response:
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
                Message(
                    "graph_timeout",
                    {"method": method, "url": url, "seconds": f"{self.config.timeout:g}"},
                )
            ) from exc
        except requests.RequestException as exc:
            raise TeamsTransientError(
                Message(
                    "graph_connection",
                    {"method": method, "url": url, "error": type(exc).__name__},
                )
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

    def _error(
        self,
        response: requests.Response,
        *,
        retry_after: float | None = None,
        forbidden: Message | None = None,
    ) -> TeamsError:
        status = response.status_code
        code, message = _graph_error(response)
        detail = f"{status} {code}: {message}" if code else f"{status}: {message}"
        if status in RETRYABLE_STATUSES:
            return TeamsTransientError(
                Message("graph_busy", {"detail": detail}),
                status=status,
                code=code,
                retry_after=retry_after,
            )
        if status == 401:
            return TeamsAuthError(
                Message("graph_token_rejected", {"detail": detail}),
                status=status,
                code=code,
            )
        if status == 403 and forbidden is not None:
            return TeamsAuthError(
                Message(forbidden.id, {**forbidden.params, "detail": detail}),
                status=status,
                code=code,
            )
        if status == 403:
            return TeamsAuthError(
                Message("graph_consent", {"detail": detail, "organizer": self.config.organizer}),
                status=status,
                code=code,
            )
        if status == 404 and code in MAILBOX_NOT_FOUND_CODES:
            return TeamsConfigurationError(
                Message("graph_mailbox", {"detail": detail, "organizer": self.config.organizer}),
                status=status,
                code=code,
            )
        if status == 404:
            return TeamsNotFoundError(
                Message("graph_not_found", {"detail": detail}),
                status=status,
                code=code,
            )
        return TeamsPermanentError(
            Message("graph_refused", {"detail": detail}), status=status, code=code
        )


def _attendance_record(data: dict[str, Any]) -> AttendanceRecord:
    intervals = tuple(
        (_utc(i["joinDateTime"]), _utc(i["leaveDateTime"]))
        for i in data.get("attendanceIntervals") or []
        if i.get("joinDateTime") and i.get("leaveDateTime")
    )
    return AttendanceRecord(
        name=((data.get("identity") or {}).get("displayName") or "").strip(),
        email=(data.get("emailAddress") or "").strip(),
        role=data.get("role") or "",
        seconds=int(data.get("totalAttendanceInSeconds") or 0),
        intervals=intervals,
    )


def _utc(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def _graph_time(moment: dt.datetime, time_zone: str) -> dict[str, Any]:
    # Graph wants the wall-clock time in the named zone, without an offset.
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone)).replace(tzinfo=None)
    return {"dateTime": local.isoformat(timespec="seconds"), "timeZone": time_zone}


def _graph_attendee(attendee: Attendee) -> dict[str, Any]:
    try:
        address = graph_email_address(attendee.email, attendee.name)
    except ValueError as exc:  # a retry would send the same address again
        raise TeamsPermanentError(f"A participant's e-mail address is not valid ({exc}).") from exc
    return {
        "emailAddress": address,
        "type": "optional" if attendee.optional else "required",
    }


def _json_answer(response: requests.Response, method: str, url: str) -> dict[str, Any]:
    if not response.content:
        return {}
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        # A proxy's HTML page, typically: worth another try later, not a crash in the task.
        raise TeamsTransientError(
            f"Microsoft Graph answered {method} {url} with {response.status_code} but no JSON "
            "object.",
            status=response.status_code,
        )
    return data


def _graph_error(response: requests.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    if isinstance(error, dict) and (error.get("code") or error.get("message")):
        return str(error.get("code") or ""), str(error.get("message") or "")
    return "", (response.reason or "no error details")
