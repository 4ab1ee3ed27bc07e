"""Every URL of the portal and the admin × every role (and anonymous) → the status it must get.

The expectations are written by hand from the README's role matrix and the issue, never
read back from the views: a view that lets a role in where the README keeps it out fails
here (or is an `xfail(strict=True)` case naming the bug until the view is fixed).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix_fixtures import FISCAL_YEAR, JOIN_URL, world  # noqa: F401  (fixture)

ANON, FAO, SDO, SEO, EXEC = "anonymous", "fao", "sdo", "seo", "executive"
ROLES = (ANON, FAO, SDO, SEO, EXEC)
STAFF = (FAO, SDO, SEO)


def only(*allowed: str) -> dict[str, int]:
    """A page for the given roles: the others get 403, an anonymous visitor the login page."""
    return {ANON: 302, **{r: 200 if r in allowed else 403 for r in ROLES[1:]}}


def everyone() -> dict[str, int]:
    return only(FAO, SDO, SEO, EXEC)


def post_only(*allowed: str) -> dict[str, int]:
    """A POST-only action: the role check comes first, so only a permitted role learns
    that GET is not allowed (405)."""
    return {ANON: 302, **{r: 405 if r in allowed else 403 for r in ROLES[1:]}}


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


EXPECTED: dict[str, dict[str, int]] = {
    # --- core ------------------------------------------------------------------------------
    "home": everyone(),
    # Public: the load balancer's probe has no account.
    "healthz": same(200),
    # Public: the sign-in page itself (a signed-in user may still open it).
    "login": same(200),
    # Deliberately hidden (404) while Microsoft sign-in is not configured, as in the tests.
    "entra-begin": same(404),
    "entra-callback": same(404),
    # Logging out is POST-only for everyone (Django 5).
    "logout": same(405),
    "password_change": everyone(),
    "password_change_done": everyone(),
    # Public: switching the language works before signing in; GET just redirects back.
    "set_language": same(302),
    "core:system-status": only(FAO),
    # The outbox and LINE's quota beside the system page; the vendor's LINE code for SDO to
    # print; LINE's webhook, public and POST-only (it answers only a signed body).
    "notifications:status": only(FAO),
    "notifications:preferences": everyone(),
    "notifications:vendor-line-code": only(FAO, SDO),
    "notifications:line-webhook": same(405),
    "core:audit": only(FAO),
    # The export is written by the worker: POST asks for it, its page shows the progress,
    # and only the officer who asked downloads it (the matrix's export is FAO's).
    "core:audit-export": post_only(FAO),
    "core:audit-export-detail": only(FAO),
    "core:audit-export-download": only(FAO),
    # Personal data (PDPA) of vendors and city contacts: FAO, the data controller's office.
    "privacy:pdpa": only(FAO),
    "privacy:pdpa-export-json": only(FAO),
    "privacy:pdpa-export-xlsx": only(FAO),
    "privacy:pdpa-erase": only(FAO),
    # --- meetings: FAO plans, FAO and SEO run sessions, SDO and executives read --------------
    "meetings:year-list": everyone(),
    "meetings:year-plan": only(FAO),
    "meetings:year-detail": everyone(),
    "meetings:year-timeline": everyone(),
    # Public with a signed token: calendar apps fetch the personal feed without a session.
    "meetings:year-calendar": same(200),
    # FAO adds a session in place of a cancelled one.
    "meetings:session-add": post_only(FAO),
    # Steps are ticked by their responsible office; executives only read.
    "meetings:step-tick": post_only(FAO, SDO, SEO),
    "meetings:step-reopen": post_only(FAO, SDO, SEO),
    "meetings:session-detail": everyone(),
    "meetings:session-details": only(FAO),
    "meetings:session-reschedule": only(FAO, SEO),
    "meetings:session-status": only(FAO),
    "meetings:session-schedule": only(FAO, SEO),
    "meetings:session-undo": post_only(FAO),
    "meetings:connection-test": only(FAO, SEO),
    "meetings:connection-test-done": only(FAO, SEO),
    "meetings:connection-test-waive": only(FAO, SEO),
    "meetings:connection-test-cancel": only(FAO, SEO),
    "meetings:session-cancel": only(FAO),
    "meetings:session-held": only(FAO, SEO),
    "meetings:session-step-skip": only(FAO, SEO),
    "meetings:session-attendance-import": post_only(FAO, SEO),
    "meetings:session-participants": only(FAO, SEO),
    "meetings:bma-participant-remove": post_only(FAO, SEO),
    "meetings:city-participant-remove": post_only(FAO, SEO),
    "meetings:session-vendors": only(FAO),
    "meetings:session-vendor-products": only(FAO),
    # FAO writes to the cities (step 4): a letter sent, its reply.
    "meetings:letter-new": only(FAO),
    "meetings:letter-reply": only(FAO),
    "meetings:session-agenda": only(FAO, SEO),
    "meetings:session-invitations": post_only(FAO, SEO),
    "meetings:session-calendar": everyone(),
    "meetings:teams-request-retry": post_only(FAO, SEO),
    # --- outcomes: SDO enters and submits, FAO reviews, executives read, SEO has no part ----
    "outcomes:submission-list": only(FAO, SDO, EXEC),
    "outcomes:submission-create": only(FAO, SDO),
    "outcomes:submission-detail": only(FAO, SDO, EXEC),
    "outcomes:submission-edit": only(FAO, SDO),
    "outcomes:submission-submit": only(FAO, SDO),
    "outcomes:submission-accept": only(FAO),
    "outcomes:submission-return": only(FAO),
    "outcomes:submission-template": only(FAO, SDO),
    "outcomes:submission-upload": only(FAO, SDO),
    "outcomes:upload-preview": only(FAO, SDO),
    "outcomes:upload-confirm": post_only(FAO, SDO),
    "outcomes:upload-errors": only(FAO, SDO),
    "outcomes:vendor-link-create": post_only(FAO, SDO),
    "outcomes:vendor-link-revoke": post_only(FAO, SDO),
    # Public with a signed token: the vendor has no account, the link is its credential.
    "outcomes:vendor-form": same(200),
    # --- the coordination pack (#17): FAO makes, sends and reviews; the city opens its pack,
    # its PDF and its participants form with the pack's token alone.
    "meetings:session-packs": only(FAO),
    "meetings:pack-preview": only(FAO),
    "meetings:pack-pdf": only(FAO),
    "meetings:pack-review": only(FAO),
    "meetings:pack-enable": post_only(FAO),
    "meetings:pack-revoke": post_only(FAO),
    "meetings:pack-send": post_only(FAO),
    "meetings:pack-public": same(200),
    "meetings:pack-public-pdf": same(200),
    "meetings:pack-participants": same(200),
    # --- buyers (issue #17): the showcase is public with its token; FAO manages the links --
    # The bare link sends to the city's language.
    "showcase:start": same(302),
    "showcase:page": same(200),
    "showcase:sheet": same(200),
    "showcase:photo": same(200),
    "buyers:session-links": only(FAO),
    "buyers:link-enable": post_only(FAO),
    "buyers:link-revoke": post_only(FAO),
    "buyers:rate-record": post_only(FAO),
    "outcomes:dashboard": only(FAO, EXEC),
    # --- buyers (#17): the buyer's form opens with the showcase token, without an account;
    # SDO and FAO follow the leads, SDO alone says a lead is real (the KPI's rule).
    "buyers:lead-request": same(200),
    "buyers:lead-list": only(FAO, SDO),
    "buyers:lead-detail": only(FAO, SDO),
    "buyers:lead-status": post_only(FAO, SDO),
    "buyers:lead-follow-up": post_only(FAO, SDO),
    "buyers:lead-confirm": post_only(SDO),
    "buyers:lead-reject": post_only(SDO),
    "buyers:lead-meeting": post_only(FAO, SDO),
    "outcomes:kpi-recompute": post_only(FAO),
    "outcomes:statistics": only(FAO, SDO, EXEC),
    "outcomes:statistics-export": only(FAO, SDO, EXEC),
    # The line-by-line workbook is asked for (POST), followed and downloaded by the same
    # readers as the statistics; the worker writes it (issue #19).
    "outcomes:statistics-lines-export": post_only(FAO, SDO, EXEC),
    "outcomes:lines-export-detail": only(FAO, SDO, EXEC),
    "outcomes:lines-export-download": only(FAO, SDO, EXEC),
    # --- vendors: FAO and SDO edit, SEO and executives read; FAO approves shortlists --------
    "vendors:list": everyone(),
    "vendors:detail": everyone(),
    # SDO keeps the registry, FAO may too; everyone reads its history.
    "vendors:create": only(FAO, SDO),
    "vendors:edit": only(FAO, SDO),
    "vendors:history": everyone(),
    "vendors:product-create": only(FAO, SDO),
    "vendors:product-edit": only(FAO, SDO),
    "vendors:photo": everyone(),
    "vendors:export-registry": everyone(),
    "vendors:export-products": everyone(),
    "vendors:import": only(FAO, SDO),
    "vendors:import-template": only(FAO, SDO),
    "vendors:import-detail": only(FAO, SDO),
    "vendors:import-status": only(FAO, SDO),
    "vendors:import-confirm": post_only(FAO, SDO),
    "vendors:shortlists": everyone(),
    "vendors:shortlist": everyone(),
    "vendors:shortlist-add": post_only(FAO, SDO),
    "vendors:shortlist-approve": post_only(FAO),
    "vendors:shortlist-export": everyone(),
    "vendors:shortlist-products": post_only(FAO, SDO),
    "vendors:shortlist-remove": post_only(FAO, SDO),
    # --- cities: everyone reads (FAO edits in the admin) -------------------------------------
    "cities:candidates": everyone(),
    "cities:candidates-year": everyone(),
    "cities:letters": everyone(),
    "cities:letters-year": everyone(),
    "cities:attachment": everyone(),
    # --- reports: FAO and executives; only FAO evaluates and delivers ------------------------
    "reports:index": only(FAO, EXEC),
    "reports:session": only(FAO, EXEC),
    "reports:evaluation": only(FAO),
    "reports:annual": only(FAO, EXEC),
    "reports:status": only(FAO, EXEC),
    "reports:download": only(FAO, EXEC),
    "reports:deliver": only(FAO),
    # --- documents: FAO generates and keeps the register, executives read ------------------
    "documents:index": only(FAO, EXEC),
    "documents:year": only(FAO, EXEC),
    # GET asks before a number is issued; without a subject chosen it goes back to the year.
    "documents:generate": {ANON: 302, FAO: 302, SDO: 403, SEO: 403, EXEC: 403},
    "documents:detail": only(FAO, EXEC),
    "documents:sent": post_only(FAO),
    "documents:upload-signed": post_only(FAO),
    "documents:reply": post_only(FAO),
    "documents:signed-copy": only(FAO, EXEC),
    "documents:reply-attachment": only(FAO, EXEC),
    "documents:version-file": only(FAO, EXEC),
    # --- the admin's own pages (per-model pages: ADMIN_MODELS below) ------------------------
    # Executives are not staff: the admin sends them to its sign-in page (302), like anonymous.
    "admin:index": {ANON: 302, FAO: 200, SDO: 200, SEO: 200, EXEC: 302},
    # Public: the admin's sign-in page; a staff member already in is sent to the index.
    "admin:login": {ANON: 200, FAO: 302, SDO: 302, SEO: 302, EXEC: 200},
    # Logging out is POST-only; the admin sends whoever is not staff back to its index.
    "admin:logout": {ANON: 302, FAO: 405, SDO: 405, SEO: 405, EXEC: 302},
    "admin:password_change": {ANON: 302, FAO: 200, SDO: 200, SEO: 200, EXEC: 302},
    "admin:password_change_done": {ANON: 302, FAO: 200, SDO: 200, SEO: 200, EXEC: 302},
    "admin:jsi18n": {ANON: 302, FAO: 200, SDO: 200, SEO: 200, EXEC: 302},
    # Without a field to complete the endpoint refuses (403) even staff.
    "admin:autocomplete": {ANON: 302, FAO: 403, SDO: 403, SEO: 403, EXEC: 302},
    # A group has no public page: 404 ("view on site" only works for models that have one).
    "admin:view_on_site": {ANON: 302, FAO: 404, SDO: 404, SEO: 404, EXEC: 302},
    # Every staff role reads vendors in the admin.
    "admin:app_list": {ANON: 302, FAO: 200, SDO: 200, SEO: 200, EXEC: 302},
    # Users are the superuser's (see ADMIN_MODELS), their passwords too.
    "admin:auth_user_password_change": {ANON: 302, FAO: 403, SDO: 403, SEO: 403, EXEC: 302},
}

# Anonymous 302s that are not "go and sign in".
NOT_A_LOGIN_REDIRECT = {"set_language", "admin:logout", "showcase:start"}

# --- the admin, per registered model --------------------------------------------------------
# README: FAO everything (of the programme); SDO vendors, products, shortlists, outcomes and
# reads cities and sessions; SEO sessions and meetings and reads cities and vendors;
# executives nothing. Users, groups and lockouts are the superuser's (roles come from the
# synchronised groups), so no role has them. "add" lists who may create a row by hand: rows
# written by the portal's own services or workers (sessions, Teams requests, notices,
# submissions, KPI snapshots, links, report versions, import jobs, planned years) are never
# added by hand, by design.
READ, ADD = "read", "add"
ADMIN_MODELS: dict[str, dict[str, tuple[str, ...]]] = {
    # The worker pings of the system status page, FAO's alone (README).
    "core.workerping": {READ: (FAO,), ADD: ()},
    "auth.group": {READ: (), ADD: ()},
    "auth.user": {READ: (), ADD: ()},
    "axes.accessattempt": {READ: (), ADD: ()},
    "axes.accesslog": {READ: (), ADD: ()},
    "axes.accessfailurelog": {READ: (), ADD: ()},
    "vendors.vendor": {READ: STAFF, ADD: (FAO, SDO)},
    "vendors.product": {READ: STAFF, ADD: (FAO, SDO)},
    "vendors.productcategory": {READ: STAFF, ADD: (FAO,)},
    "vendors.district": {READ: STAFF, ADD: (FAO,)},
    "vendors.language": {READ: STAFF, ADD: (FAO,)},
    "vendors.vendorimportjob": {READ: STAFF, ADD: ()},
    "cities.sistercity": {READ: STAFF, ADD: (FAO,)},
    "cities.inquiryletter": {READ: STAFF, ADD: (FAO,)},
    "cities.cooperationfield": {READ: STAFF, ADD: (FAO,)},
    "cities.agreement": {READ: STAFF, ADD: (FAO,)},
    "meetings.programmeyear": {READ: STAFF, ADD: ()},
    "meetings.session": {READ: STAFF, ADD: ()},
    "meetings.teamsmeeting": {READ: STAFF, ADD: ()},
    "meetings.teamsmeetingrequest": {READ: STAFF, ADD: ()},
    "meetings.workplanstep": {READ: STAFF, ADD: ()},
    "meetings.participantnotice": {READ: STAFF, ADD: ()},
    # Due and lock dates of a period are FAO's to set (README, outcome submissions).
    "outcomes.reportingperiod": {READ: (FAO, SDO), ADD: (FAO,)},
    "outcomes.submission": {READ: (FAO, SDO), ADD: ()},
    "outcomes.kpisnapshot": {READ: (FAO, SDO), ADD: ()},
    "outcomes.vendorlink": {READ: (FAO, SDO), ADD: ()},
    "outcomes.remindernotice": {READ: (FAO, SDO), ADD: ()},
    "reports.sessionevaluation": {READ: (FAO,), ADD: ()},
    "reports.reportgeneration": {READ: (FAO,), ADD: ()},
    # The documents' wording is seeded (FAO edits it, adds no part); the register and its
    # versions are written by the documents pages; numbering and working group are FAO's.
    "documents.templatetext": {READ: (FAO,), ADD: ()},
    "documents.numbersequence": {READ: (FAO,), ADD: (FAO,)},
    "documents.workinggroup": {READ: (FAO,), ADD: (FAO,)},
    "documents.document": {READ: (FAO,), ADD: ()},
    "documents.documentversion": {READ: (FAO,), ADD: ()},
    # Written by the portal only; FAO reads and retries, SDO sees who is linked.
    "notifications.outboxmessage": {READ: (FAO,), ADD: ()},
    "notifications.linelink": {READ: (FAO, SDO), ADD: ()},
    "notifications.linelinkcode": {READ: (FAO,), ADD: ()},
    # Showcase links are written by FAO's pages (enable, revoke: audited), read in the admin.
    "buyers.showcaselink": {READ: (FAO,), ADD: ()},
    # Product texts in the showcase's other languages: SDO (and FAO) write them; staff
    # who read the products read them too.
    "vendors.producttranslation": {READ: STAFF, ADD: (FAO, SDO)},
    # Entered on FAO's links page (audited); read in the admin.
    "buyers.exchangerate": {READ: (FAO,), ADD: ()},
}


def _admin_expected(label: str, view: str) -> dict[str, int]:
    spec = ADMIN_MODELS[label]
    allowed = spec[ADD] if view == "add" else spec[READ]
    return {
        ANON: 302,
        EXEC: 302,
        **{role: 200 if role in allowed else 403 for role in STAFF},
    }


# Cases where the portal answers other than the README says; each names the bug. The
# three found when this matrix was written (executives ticking work-plan steps, SDO adding
# reporting periods) are fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# --- the resolver ---------------------------------------------------------------------------
# simple_history's page of one past version of a row (models with a history) counts too:
# it is read by whoever reads the model.
ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "delete", "history", "simple_history")


def _resolved_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                # Unnamed patterns (the admin's catch-all and its "<id>/" redirect to the
                # change view) cannot be reversed, hence never linked to.
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), "")
    return names


def _is_admin_model_url(name: str) -> bool:
    """One of the standard pages of a registered model (covered by ADMIN_CASES);
    any other admin URL (a password form, a history version) needs its own entry."""
    return name in {
        f"admin:{m._meta.app_label}_{m._meta.model_name}_{view}"
        for m in admin.site._registry
        for view in ADMIN_MODEL_VIEWS
    }


def test_every_url_of_the_portal_has_an_expectation():
    missing = sorted(
        name for name in _resolved_names() if name not in EXPECTED and not _is_admin_model_url(name)
    )
    assert missing == [], f"URLs without an entry in EXPECTED: {', '.join(missing)}"


def test_every_admin_model_has_an_expectation():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert sorted(registered - ADMIN_MODELS.keys()) == [], "admin models missing in ADMIN_MODELS"
    assert sorted(ADMIN_MODELS.keys() - registered) == [], "ADMIN_MODELS names unregistered models"


def test_every_expectation_names_a_real_url():
    assert sorted(EXPECTED.keys() - _resolved_names()) == []


# --- requests -------------------------------------------------------------------------------


def _url(name: str, w) -> str:
    kwargs_by_name = {
        "meetings:year-detail": {"fiscal_year": FISCAL_YEAR},
        "meetings:year-timeline": {"fiscal_year": FISCAL_YEAR},
        "meetings:year-calendar": {"fiscal_year": FISCAL_YEAR},
        "meetings:session-add": {"fiscal_year": FISCAL_YEAR},
        "meetings:step-tick": {"step_id": w.step.pk},
        "meetings:step-reopen": {"step_id": w.step.pk},
        "meetings:session-status": {"session_id": w.planned_session.pk, "action": "invite"},
        "meetings:session-step-skip": {
            "session_id": w.planned_session.pk,
            "step": "connection_test",
        },
        "meetings:bma-participant-remove": {"participant_id": w.bma_participant.pk},
        "meetings:city-participant-remove": {"participant_id": w.city_participant.pk},
        "meetings:teams-request-retry": {"request_id": w.teams_request.pk},
        "meetings:letter-new": {"fiscal_year": FISCAL_YEAR},
        "meetings:letter-reply": {"letter_id": w.attachment.letter_id},
        "outcomes:upload-preview": {"pk": w.upload.pk},
        "outcomes:upload-confirm": {"pk": w.upload.pk},
        "outcomes:upload-errors": {"pk": w.upload.pk},
        "outcomes:vendor-link-create": {"pk": w.submission.pk},
        "notifications:vendor-line-code": {"vendor_id": w.vendor.pk},
        "outcomes:vendor-link-revoke": {"pk": w.link.pk},
        "outcomes:vendor-form": {"token": w.link_token},
        "meetings:session-packs": {"session_id": w.planned_session.pk},
        "meetings:pack-preview": {"pack_id": w.pack.pk},
        "meetings:pack-pdf": {"pack_id": w.pack.pk},
        "meetings:pack-review": {"pack_id": w.pack.pk},
        "meetings:pack-enable": {"pack_id": w.pack.pk},
        "meetings:pack-revoke": {"pack_id": w.pack.pk},
        "meetings:pack-send": {"pack_id": w.pack.pk},
        "meetings:pack-public": {"token": w.pack.token},
        "meetings:pack-public-pdf": {"token": w.pack.token},
        "meetings:pack-participants": {"token": w.pack.token},
        "showcase:start": {"token": w.showcase.token},
        "showcase:page": {"token": w.showcase.token, "lang": "ko"},
        "showcase:sheet": {"token": w.showcase.token, "lang": "ja", "vendor_id": w.vendor.pk},
        "showcase:photo": {"token": w.showcase.token, "photo_id": w.photo.pk, "width": 320},
        "buyers:session-links": {"session_id": w.planned_session.pk},
        "buyers:link-enable": {"session_id": w.planned_session.pk, "city_id": w.showcase.city_id},
        "buyers:link-revoke": {"pk": w.showcase.pk},
        "buyers:rate-record": {"session_id": w.planned_session.pk},
        "outcomes:kpi-recompute": {"year_id": w.year.pk},
        "buyers:lead-request": {"token": w.showcase_token, "vendor_id": w.vendor.pk},
        "buyers:lead-detail": {"pk": w.lead.pk},
        "buyers:lead-status": {"pk": w.lead.pk},
        "buyers:lead-follow-up": {"pk": w.lead.pk},
        "buyers:lead-confirm": {"pk": w.lead.pk},
        "buyers:lead-reject": {"pk": w.lead.pk},
        "buyers:lead-meeting": {"pk": w.lead.pk},
        "vendors:detail": {"pk": w.vendor.pk},
        "vendors:edit": {"pk": w.vendor.pk},
        "vendors:history": {"pk": w.vendor.pk},
        "vendors:product-create": {"vendor_pk": w.vendor.pk},
        "vendors:product-edit": {"pk": w.photo.product_id},
        "vendors:photo": {"pk": w.photo.pk},
        "vendors:import-detail": {"pk": w.import_job.pk},
        "vendors:import-status": {"pk": w.import_job.pk},
        "vendors:import-confirm": {"pk": w.import_job.pk},
        "vendors:shortlist": {"pk": w.planned_session.pk},
        "vendors:shortlist-add": {"pk": w.planned_session.pk},
        "vendors:shortlist-approve": {"pk": w.planned_session.pk},
        "vendors:shortlist-export": {"pk": w.planned_session.pk},
        "vendors:shortlist-products": {"pk": w.entry.pk},
        "vendors:shortlist-remove": {"pk": w.entry.pk},
        "cities:candidates-year": {"fiscal_year": FISCAL_YEAR},
        "cities:letters-year": {"fiscal_year": FISCAL_YEAR},
        "cities:attachment": {"pk": w.attachment.pk},
        "reports:session": {"session_id": w.held_session.pk},
        "reports:evaluation": {"session_id": w.held_session.pk},
        "reports:annual": {"fiscal_year": FISCAL_YEAR},
        "core:audit-export-detail": {"pk": w.audit_export.pk},
        "core:audit-export-download": {"pk": w.audit_export.pk},
        "outcomes:lines-export-detail": {"pk": w.lines_export.pk},
        "outcomes:lines-export-download": {"pk": w.lines_export.pk},
        "reports:status": {"generation_id": w.generation.pk},
        "reports:download": {"generation_id": w.generation.pk},
        "reports:deliver": {"generation_id": w.generation.pk},
        "documents:year": {"fiscal_year": FISCAL_YEAR},
        "documents:generate": {"fiscal_year": FISCAL_YEAR},
        "documents:detail": {"pk": w.document.pk},
        "documents:sent": {"pk": w.document.pk},
        "documents:upload-signed": {"pk": w.document.pk},
        "documents:reply": {"pk": w.document.pk},
        "documents:signed-copy": {"pk": w.document.pk},
        "documents:reply-attachment": {"pk": w.document.pk},
        "documents:version-file": {"pk": w.document_version.pk, "fmt": "pdf"},
        "admin:app_list": {"app_label": "vendors"},
        "admin:auth_user_password_change": {"id": w.users[SDO].pk},
        "privacy:pdpa-export-json": {"kind": "vendor", "pk": w.vendor.pk},
        "privacy:pdpa-export-xlsx": {"kind": "vendor", "pk": w.vendor.pk},
        "privacy:pdpa-erase": {"kind": "vendor", "pk": w.vendor.pk},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_by_natural_key("auth", "group").pk,
            "object_id": w.users[FAO].groups.get().pk,
        },
    }
    if name in kwargs_by_name:
        kwargs = kwargs_by_name[name]
    elif name.startswith("meetings:session-") or name.startswith("meetings:connection-test"):
        kwargs = {"session_id": w.planned_session.pk}
    elif name.startswith("outcomes:submission-") and name not in (
        "outcomes:submission-list",
        "outcomes:submission-create",
    ):
        kwargs = {"pk": w.submission.pk}
    else:
        kwargs = {}
    url = reverse(name, kwargs=kwargs)
    if name == "meetings:year-calendar":
        url += f"?token={w.feed_token}"
    return url


def _client(w, role: str):
    # Signed in once per module (the session row lives in the module's transaction).
    return w.clients[role]


def _case(name: str, role: str, status: int, bugs=KNOWN_BUGS):
    reason = bugs.get((name, role))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, role, status, marks=marks, id=f"{name}-{role}")


PAGE_CASES = [
    _case(name, role, status)
    for name, by_role in EXPECTED.items()
    for role, status in by_role.items()
]


@pytest.fixture
def _no_entra(settings):
    # Microsoft sign-in stays off whatever the environment says.
    settings.ENTRA_TENANT_ID = settings.ENTRA_CLIENT_ID = settings.ENTRA_CLIENT_SECRET = ""


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "status"), PAGE_CASES)
def test_get_status(world, _no_entra, name, role, status):  # noqa: F811
    url = _url(name, world)
    response = _client(world, role).get(url)
    if response.streaming:
        # Read to the end, so the test client closes the downloaded file.
        b"".join(response.streaming_content)
    assert response.status_code == status, f"GET {url} as {role}"
    if status == 302 and role == ANON and name not in NOT_A_LOGIN_REDIRECT:
        login = reverse("admin:login") if name.startswith("admin:") else reverse("login")
        assert response["Location"].startswith(f"{login}?next="), response["Location"]


POST_CASES = [
    # A POST is judged on its own: the step-tick bug above only shows on GET.
    _case(name, role, 302 if role == ANON else 403, bugs={})
    for name, by_role in EXPECTED.items()
    if 405 in by_role.values() and name not in ("logout", "admin:logout")
    for role, status in by_role.items()
    if status in (302, 403)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "status"), POST_CASES)
def test_post_only_action_refuses(world, name, role, status):  # noqa: F811
    url = _url(name, world)
    response = _client(world, role).post(url, {})
    assert response.status_code == status, f"POST {url} as {role}"
    if role == ANON:
        assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.django_db
def test_calendar_feed_without_its_token_is_refused(world, client):  # noqa: F811
    url = reverse("meetings:year-calendar", kwargs={"fiscal_year": FISCAL_YEAR})
    assert client.get(url).status_code == 403
    assert client.get(f"{url}?token=forged").status_code == 403


@pytest.mark.django_db
def test_a_pack_with_a_forged_token_is_refused(world, client):  # noqa: F811
    for name in ("meetings:pack-public", "meetings:pack-public-pdf", "meetings:pack-participants"):
        url = reverse(name, kwargs={"token": world.pack.token + "x"})
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_vendor_form_with_a_forged_token_is_refused(world, client):  # noqa: F811
    url = reverse("outcomes:vendor-form", kwargs={"token": world.link_token + "x"})
    assert client.get(url).status_code == 403


# --- the admin, per model -------------------------------------------------------------------


def _admin_cases():
    names = _resolved_names()
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label not in ADMIN_MODELS:
            continue  # test_every_admin_model_has_an_expectation names it
        for view in ("changelist", "add", "change", "simple_history"):
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
            if name in names:
                for role, status in _admin_expected(label, view).items():
                    yield _case(name, role, status)


ADMIN_CASES = list(_admin_cases())


def _admin_url(name: str) -> str:
    view = "simple_history" if name.endswith("_simple_history") else name.rsplit("_", 1)[1]
    model = next(
        m
        for m in admin.site._registry
        if name == f"admin:{m._meta.app_label}_{m._meta.model_name}_{view}"
    )
    if view in ("changelist", "add"):
        return reverse(name)
    row = model._default_manager.order_by("pk").first()
    if row is None:
        pytest.skip(f"no {model._meta.label} row in the world")
    if view == "change":
        return reverse(name, kwargs={"object_id": row.pk})
    return reverse(name, args=[row.pk, row.history.earliest().history_id])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "status"), ADMIN_CASES)
def test_admin_status(world, name, role, status):  # noqa: F811
    url = _admin_url(name)
    response = _client(world, role).get(url)
    if response.streaming:
        # Read to the end, so the test client closes the downloaded file.
        b"".join(response.streaming_content)
    assert response.status_code == status, f"GET {url} as {role}"
    if status == 302:
        assert response["Location"].startswith(f"{reverse('admin:login')}?next=")


# --- the Teams join link ----------------------------------------------------------------------
# README (sessions): the join link is shown only to FAO, SEO and the session's own
# participants. In the world the planned session's one BMA participant is the SEO user; the
# SDO user and the executive take no part, so a page showing them the link leaks it.
JOIN_LINK_READERS = (FAO, SEO)


def _join_link_pages(w) -> dict[str, str]:
    meeting = w.teams_request.meeting
    return {
        "admin:meetings_session_change": reverse(
            "admin:meetings_session_change", args=[w.planned_session.pk]
        ),
        "admin:meetings_teamsmeeting_change": reverse(
            "admin:meetings_teamsmeeting_change", args=[meeting.pk]
        ),
        "admin:meetings_teamsmeetingrequest_change": reverse(
            "admin:meetings_teamsmeetingrequest_change", args=[w.teams_request.pk]
        ),
        "admin:meetings_session_changelist": reverse("admin:meetings_session_changelist"),
        "admin:meetings_teamsmeeting_changelist": reverse("admin:meetings_teamsmeeting_changelist"),
        "admin:meetings_teamsmeetingrequest_changelist": reverse(
            "admin:meetings_teamsmeetingrequest_changelist"
        ),
        "meetings:session-detail": reverse(
            "meetings:session-detail", kwargs={"session_id": w.planned_session.pk}
        ),
    }


JOIN_LINK_CASES = [
    pytest.param(page, role, id=f"{page}-{role}")
    for page in (
        "admin:meetings_session_change",
        "admin:meetings_teamsmeeting_change",
        "admin:meetings_teamsmeetingrequest_change",
        "admin:meetings_session_changelist",
        "admin:meetings_teamsmeeting_changelist",
        "admin:meetings_teamsmeetingrequest_changelist",
        "meetings:session-detail",
    )
    for role in (STAFF if page.startswith("admin:") else (FAO, SDO, SEO, EXEC))
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "role"), JOIN_LINK_CASES)
def test_the_join_link_only_for_those_who_may_join(world, page, role):  # noqa: F811
    url = _join_link_pages(world)[page]
    response = _client(world, role).get(url)
    assert response.status_code == 200, f"GET {url} as {role}"
    shown = JOIN_URL in response.content.decode()
    if page.endswith("_changelist"):
        # The lists do not show the link at all; none may show it to the others.
        assert not (shown and role not in JOIN_LINK_READERS), f"GET {url} as {role} leaks it"
    else:
        assert shown == (role in JOIN_LINK_READERS), f"GET {url} as {role}: shown={shown}"
