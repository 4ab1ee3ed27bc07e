from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.confirm import Confirmation, confirm_then
from core.permissions import AuthenticatedHttpRequest, role_required
from core.roles import Role, has_role
from core.view_helpers import get_or_404, run_service
from core.views import QUEUE_DOWN_MESSAGE

from . import selectors
from .forms import ActionFormSet, EvaluationForm, FindingFormSet, GenerateReportForm
from .models import ReportGeneration
from .services import evaluation_save, report_generation_deliver, report_generation_request

READERS = (Role.FAO, Role.EXECUTIVE)


STALLED_MESSAGE = _lazy(
    "The worker making this report has given no sign of life for a few minutes; it may "
    "have stopped. The report will be started again automatically."
)


def _stage_label(stage: str) -> str:
    labels = {
        "collecting": _("Collecting the figures"),
        "parsing": _("Preparing the pages"),
        "styling": _("Preparing the pages"),
        "layout": _("Laying out the pages"),
        "writing": _("Writing the PDF"),
        "storing": _("Storing the file"),
        "waiting": _("Waiting to try again"),
        "done": _("Ready"),
        "failed": _("Failed"),
    }
    return labels.get(stage, "")


def _generate_form(request: HttpRequest) -> GenerateReportForm:
    language = "th" if (get_language() or "th").startswith("th") else "en"
    return GenerateReportForm(initial={"language": language})


def _request_generation(request: AuthenticatedHttpRequest, **subject) -> ReportGeneration | None:
    form = GenerateReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the report."))
        return None
    requested = run_service(
        request,
        lambda: report_generation_request(
            language=form.cleaned_data["language"],
            thai_digits=form.cleaned_data["thai_digits"],
            acting_user=request.user,
            **subject,
        ),
    )
    if not requested:
        return None
    generation, dispatch = requested.returned
    # No dispatch: the service was asked not to enqueue, so no queue can be down.
    if dispatch is not None and dispatch.published is False:
        messages.warning(request, QUEUE_DOWN_MESSAGE)
    else:
        messages.info(
            request,
            _("Version %(version)s is being made. You can download it here when it is ready.")
            % {"version": generation.version},
        )
    return generation


@role_required(*READERS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/index.html",
        {
            "sessions": list(selectors.reportable_sessions()),
            "years": list(selectors.programme_years()),
        },
    )


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def session_report(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = get_or_404(selectors.session_for_report, session_id=session_id)
    if request.method == "POST":
        generation = _request_generation(
            request, kind=ReportGeneration.Kind.SESSION, session=session
        )
        url = reverse("reports:session", args=[session.pk])
        return redirect(f"{url}#version-{generation.version}" if generation else url)
    return render(
        request,
        "reports/session.html",
        {
            "session": session,
            "reportable": session.status in selectors.REPORTABLE_STATUSES,
            "evaluation": selectors.evaluation_for(session=session),
            "carried_actions": selectors.carried_actions_for(session=session),
            "generations": selectors.generations_for_session(session=session),
            "form": _generate_form(request),
            "can_deliver": has_role(request.user, [Role.FAO]),
        },
    )


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def annual_report(request: AuthenticatedHttpRequest, fiscal_year: int) -> HttpResponse:
    year = get_or_404(selectors.year_for_report, fiscal_year=fiscal_year)
    if request.method == "POST":
        generation = _request_generation(request, kind=ReportGeneration.Kind.ANNUAL, year=year)
        url = reverse("reports:annual", args=[year.fiscal_year])
        return redirect(f"{url}#version-{generation.version}" if generation else url)
    return render(
        request,
        "reports/annual.html",
        {
            "year": year,
            "sessions": selectors.sessions_of_year(year=year),
            "generations": selectors.generations_for_year(year=year),
            "form": _generate_form(request),
        },
    )


def _status_payload(generation: ReportGeneration) -> dict:
    done = generation.status == ReportGeneration.Status.DONE
    return {
        "id": generation.pk,
        "version": generation.version,
        "status": generation.status,
        "status_label": str(generation.get_status_display()),
        "progress": generation.progress,
        "stage": generation.stage,
        "stage_label": _stage_label(generation.stage),
        "attempts": generation.attempts,
        "error": STALLED_MESSAGE if generation.is_stalled else generation.error,
        "stalled": generation.is_stalled,
        "finished": generation.is_finished,
        "download_url": reverse("reports:download", args=[generation.pk]) if done else None,
        "page_count": generation.page_count,
    }


@role_required(*READERS)
@require_GET
def generation_status(request: HttpRequest, generation_id: int) -> JsonResponse:
    generation = get_or_404(selectors.generation_get, generation_id=generation_id)
    response = JsonResponse(_status_payload(generation))
    response["Cache-Control"] = "no-store"
    return response


@role_required(*READERS)
@require_GET
def generation_download(request: HttpRequest, generation_id: int) -> FileResponse:
    generation = get_or_404(selectors.generation_get, generation_id=generation_id)
    if generation.status != ReportGeneration.Status.DONE:
        raise Http404
    try:
        handle = generation.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=generation.download_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = generation.sha256
    return response


# Lazy: in the reader's language. Delivering closes the session (meetings' REPORTED has no
# way back), so the page says there is no undo.
DELIVER = Confirmation(
    title=_lazy("Deliver the report to the executives?"),
    consequence=_lazy(
        "The executives are told that the report is ready, and the session becomes "
        "“Reported”: it is closed for good. This cannot be undone."
    ),
    button=_lazy("Yes, it is delivered"),
    danger=True,
)


@role_required(Role.FAO)
@require_http_methods(["GET", "POST"])
def generation_deliver(request: AuthenticatedHttpRequest, generation_id: int) -> HttpResponse:
    generation = get_or_404(selectors.generation_get, generation_id=generation_id)
    if generation.session_id is None:
        raise Http404
    report_url = reverse("reports:session", args=[generation.session_id])
    return confirm_then(
        request,
        Confirmation(
            title=DELIVER.title,
            consequence=DELIVER.consequence,
            button=DELIVER.button,
            danger=True,
            success=_("Version %(version)s is recorded as delivered to the executives.")
            % {"version": generation.version},
        ),
        lambda: report_generation_deliver(generation=generation, acting_user=request.user),
        back_url=report_url,
        done_url=report_url,
        subject=generation.session,
    )


@role_required(Role.FAO)
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = get_or_404(selectors.session_for_report, session_id=session_id)
    evaluation = selectors.evaluation_for(session=session)
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        findings = FindingFormSet(request.POST, prefix="findings")
        actions = ActionFormSet(request.POST, prefix="actions")
        if form.is_valid() and findings.is_valid() and actions.is_valid():
            saved = run_service(
                request,
                lambda: evaluation_save(
                    session=session,
                    **form.cleaned_data,
                    findings=[i for f in findings for i in [f.as_input()] if i],
                    actions=[i for f in actions for i in [f.as_input()] if i],
                    acting_user=request.user,
                ),
                _("The evaluation is saved."),
                form=form,
            )
            if saved:
                return redirect("reports:session", session.pk)
    else:
        initial = {}
        finding_rows: list[dict] = []
        action_rows: list[dict] = []
        if evaluation:
            initial = {
                "plan_th": evaluation.plan_th,
                "plan_en": evaluation.plan_en,
                "did_th": evaluation.did_th,
                "did_en": evaluation.did_en,
            }
            finding_rows = [
                {
                    "problem_th": f.problem_th,
                    "problem_en": f.problem_en,
                    "cause_th": f.cause_th,
                    "cause_en": f.cause_en,
                }
                for f in evaluation.findings.all()
            ]
            action_rows = [
                {"action_th": a.action_th, "action_en": a.action_en, "responsible": a.responsible}
                for a in evaluation.actions.all()
            ]
        form = EvaluationForm(initial=initial)
        findings = FindingFormSet(initial=finding_rows, prefix="findings")
        actions = ActionFormSet(initial=action_rows, prefix="actions")
    return render(
        request,
        "reports/evaluation_form.html",
        {
            "session": session,
            "form": form,
            "findings": findings,
            "actions": actions,
            "carried_actions": selectors.carried_actions_for(session=session),
        },
    )
