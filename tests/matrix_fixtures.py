"""One world of real rows for the URL × role matrix (tests/test_url_matrix.py).

Built once per module inside a transaction that is rolled back at the end; each test runs
in a savepoint inside it, so what a GET writes (a session row, a touched link) is undone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from core.fiscal import half_of
from core.roles import Role

from .factories import (
    AgreementFactory,
    InquiryLetterAttachmentFactory,
    ProductPhotoFactory,
    ProgrammeYearFactory,
    ReportingPeriodFactory,
    SessionEvaluationFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SubmissionFactory,
    UserFactory,
)
from .meetings.factories import (
    AgendaItemFactory,
    BMAParticipantFactory,
    CityParticipantFactory,
    TeamsMeetingFactory,
    WorkPlanStepFactory,
)

FISCAL_YEAR = 2569


JOIN_URL = "https://teams.invalid/local-meeting/matrix-join-secret"


@dataclass
class World:
    users: dict[str, object]
    year: object
    held_session: object
    planned_session: object
    entry: object
    vendor: object
    photo: object
    attachment: object
    step: object
    bma_participant: object
    city_participant: object
    teams_request: object
    submission: object
    upload: object
    link: object
    link_token: str
    import_job: object
    generation: object
    feed_token: str
    pack: object
    clients: dict[str, Client]
    document: object = None
    document_version: object = None
    audit_export: object = None
    lines_export: object = None
    showcase: object = None
    showcase_token: str = ""
    lead: object = None


def _add_lead(*, session, city, vendor):
    """A live showcase link of the planned session (the vendor is on its shortlist) and a
    buyer's lead from it (issue #17)."""
    from buyers.models import Lead, ShowcaseLink

    link = ShowcaseLink.objects.create(
        session=session,
        city=city,
        enabled=True,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    lead = Lead.objects.create(
        link=link,
        session=session,
        city=city,
        vendor=vendor,
        name="Matrix Buyer",
        company="Matrix Trading",
        country="Korea",
        buyer_city="Seoul",
        email="buyer@matrix.example",
        interest="Everything",
        language="en",
        consented_at=timezone.now(),
        received_on=timezone.localdate(),
        idempotency_key="matrix-lead",
    )
    return link.token, lead


def _add_exchange_rate(user):
    from decimal import Decimal

    from buyers.models import ExchangeRate

    ExchangeRate.objects.create(
        currency="KRW",
        thb_per_unit=Decimal("0.0245"),
        rate_on=dt.date(2026, 12, 1),
        entered_by=user,
    )


def _build() -> World:
    from meetings.models import Session, TeamsMeetingRequest
    from meetings.views.calendars import feed_token
    from outcomes.links import vendor_link_create, vendor_link_token
    from outcomes.models import OutcomeUpload
    from reports.models import ReportGeneration
    from vendors.models import VendorImportJob

    users = {role.value: UserFactory(role=role, username=f"matrix-{role.value}") for role in Role}
    year = ProgrammeYearFactory(fiscal_year=FISCAL_YEAR)
    start = timezone.make_aware(dt.datetime(2026, 1, 14, 10, 0))
    held = SessionFactory(
        year=year,
        number=1,
        status=Session.Status.HELD,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    planned = SessionFactory(year=year, number=2)
    photo = ProductPhotoFactory()
    vendor = photo.product.vendor
    entry = ShortlistEntryFactory(session=planned, vendor=vendor)
    entry.products.add(photo.product)
    # The showcase's Korean text (django-parler's row) and FAO's rate to won, so that their
    # admin pages are swept with a row (issue #17).
    photo.product.create_translation("ko", buyer_name="말린 망고", buyer_description="달콤해요.")
    _add_exchange_rate(users["fao"])
    showcase = _add_showcase(session=planned, user=users["fao"])
    attachment = InquiryLetterAttachmentFactory(letter__fiscal_year=FISCAL_YEAR)
    AgreementFactory(city=attachment.letter.city)
    step = WorkPlanStepFactory(session=planned)
    bma = BMAParticipantFactory(session=planned, user=users["seo"])
    city = CityParticipantFactory(session=planned)
    planned.cities.add(city.city)
    from meetings.models import CityPack

    pack = CityPack.objects.create(
        session=planned, city=city.city, expires_at=timezone.now() + dt.timedelta(days=30)
    )
    AgendaItemFactory(session=planned)
    # The join link admits whoever holds it: pages that must hide it are checked for it.
    meeting = TeamsMeetingFactory(session=planned, join_url=JOIN_URL)
    teams_request = TeamsMeetingRequest.objects.create(
        meeting=meeting,
        join_url=JOIN_URL,
        action=TeamsMeetingRequest.Action.CREATE,
        status=TeamsMeetingRequest.Status.FAILED,
        attempts=3,
        last_error="503 from Graph",
    )
    SessionEvaluationFactory(session=held)
    # The current half: a link can only be made while its period is open.
    now = half_of(timezone.now())
    period = ReportingPeriodFactory(fiscal_year=now.fiscal_year, half=now.half)
    submission = SubmissionFactory(vendor=vendor, period=period)
    upload = OutcomeUpload.objects.create(
        submission=submission,
        file="outcomes/uploads/matrix.xlsx",
        original_name="matrix.xlsx",
        status=OutcomeUpload.Status.INVALID,
        report={"issues": []},
        created_by=users["sdo"],
    )
    link = vendor_link_create(submission=submission, acting_user=users["sdo"])
    import_job = VendorImportJob.objects.create(
        original_name="vendors.xlsx",
        file="imports/vendors/matrix.xlsx",
        created_by=users["sdo"],
        status=VendorImportJob.Status.INVALID,
    )
    generation = ReportGeneration.objects.create(
        kind=ReportGeneration.Kind.SESSION,
        programme_year=year,
        session=held,
        version=1,
        language=ReportGeneration.Language.THAI,
        status=ReportGeneration.Status.DONE,
        progress=100,
        sha256="0" * 64,
        size_bytes=15,
        page_count=2,
        render_seconds=0.4,
        requested_by=users["fao"],
    )
    generation.file.save("matrix-report.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    _add_log_rows(year=year, session=planned, period=period, user=users["fao"])
    from core.models import AuditExport

    audit_export = AuditExport.objects.create(
        status=AuditExport.Status.DONE, created_by=users["fao"], language="en"
    )
    audit_export.file.save("audit.xlsx", ContentFile(b"PK matrix"), save=True)
    from outcomes.models import LinesExport

    lines_export = LinesExport.objects.create(
        status=LinesExport.Status.DONE,
        created_by=users["fao"],
        language="en",
        filters={"year": FISCAL_YEAR},
    )
    lines_export.file.save("lines.xlsx", ContentFile(b"PK matrix"), save=True)
    document, document_version = _add_documents(year=year, session=planned, user=users["fao"])
    _add_messages(vendor=vendor)
    showcase_token, lead = _add_lead(session=planned, city=attachment.letter.city, vendor=vendor)
    return World(
        showcase_token=showcase_token,
        lead=lead,
        document=document,
        document_version=document_version,
        users=users,
        year=year,
        held_session=held,
        planned_session=planned,
        entry=entry,
        vendor=vendor,
        photo=photo,
        attachment=attachment,
        step=step,
        bma_participant=bma,
        city_participant=city,
        teams_request=teams_request,
        submission=submission,
        upload=upload,
        link=link,
        link_token=vendor_link_token(link),
        import_job=import_job,
        generation=generation,
        audit_export=audit_export,
        lines_export=lines_export,
        feed_token=feed_token(users["executive"], FISCAL_YEAR),
        pack=pack,
        clients=_clients(users),
        showcase=showcase,
    )


def _add_showcase(*, session, user):
    """A live showcase link of the planned session (issue #17): its pages are public."""
    from buyers.services import showcase_link_enable

    from .factories import SisterCityFactory

    city = SisterCityFactory(name_en="Matrix Showcase City")
    session.cities.add(city)
    return showcase_link_enable(
        session=session,
        city=city,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        acting_user=user,
    )


def _clients(users: dict[str, object]) -> dict[str, Client]:
    clients = {"anonymous": Client(HTTP_ACCEPT_LANGUAGE="en")}
    for role, user in users.items():
        clients[role] = Client(HTTP_ACCEPT_LANGUAGE="en")
        clients[role].force_login(user)
    return clients


def _add_log_rows(*, year, session, period, user) -> None:
    """Rows the workers and the sign-in guard write, so each admin change view has one."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from core.models import WorkerPing
    from meetings.models import ParticipantNotice
    from outcomes.models import KpiSnapshot, ReminderNotice

    who = {"username": "someone", "ip_address": "192.0.2.1", "user_agent": "pytest"}
    AccessAttempt.objects.create(**who, failures_since_start=1, get_data="", post_data="")
    AccessLog.objects.create(**who)
    WorkerPing.objects.create(requested_by=user)
    AccessFailureLog.objects.create(**who)
    KpiSnapshot.objects.create(
        year=year,
        participants=4,
        achieved=1,
        percent=25,
        target_percent=50,
        sessions_held=1,
        target_sessions=3,
        reports_delivered=0,
        target_reports=3,
        trigger=KpiSnapshot.Trigger.choices[0][0],
        requested_by=user,
        computed_at=timezone.now(),
    )
    ReminderNotice.objects.create(period=period, kind=ReminderNotice.Kind.choices[0][0])
    ParticipantNotice.objects.create(
        session=session,
        kind=ParticipantNotice.Kind.choices[0][0],
        recipient_name="Somchai",
        recipient_email="somchai@example.org",
        language="th",
        time_zone="Asia/Bangkok",
        session_starts_at=timezone.now(),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # The outer transaction outlives every test of the module; each test's own atomic
    # block becomes a savepoint inside it.
    with django_db_blocker.unblock():
        with transaction.atomic():
            built = _build()
            yield built
            transaction.set_rollback(True)
        # The rollback does not remove what the factories wrote to MEDIA_ROOT.
        for field in (
            built.generation.file,
            built.attachment.file,
            built.photo.image,
            built.audit_export.file,
            built.lines_export.file,
        ):
            field.storage.delete(field.name)


def _add_messages(*, vendor):
    """An outgoing message, and the vendor's LINE link and linking code, for the admin."""
    import datetime as dt

    from django.utils import timezone

    from notifications.models import LineLink, LineLinkCode, OutboxMessage

    OutboxMessage.objects.create(
        recipient_kind="vendor",
        recipient_id=vendor.pk,
        recipient_name="Somsri",
        address="U" + "0" * 32,
        channel="line",
        template="outcome_request",
        language="th",
        idempotency_key=f"matrix:{vendor.pk}",
    )
    LineLink.objects.create(vendor=vendor, line_user_id="U" + "1" * 32)
    LineLinkCode.objects.create(
        vendor=vendor, code="MATRIX01", expires_at=timezone.now() + dt.timedelta(days=1)
    )


def _add_documents(*, year, session, user):
    """A letter to a city with a version, its signed copy and the city's reply."""
    from core.audit import save_audited
    from documents.models import (
        Document,
        DocumentVersion,
        NumberSequence,
        TemplateText,
        WorkingGroup,
    )

    from .factories import SisterCityFactory

    NumberSequence.objects.create(
        fiscal_year=year.fiscal_year, prefix_th="กท ๑๔๐๑/", prefix_en="BMA 1401/", next_number=2
    )
    WorkingGroup.objects.create(year=year)
    # The seeded texts have no history row (migrations send no signals); one edit makes it.
    save_audited(TemplateText.objects.order_by("pk").first(), acting_user=user)
    city = SisterCityFactory()
    session.cities.add(city)
    document = Document.objects.create(
        kind="inquiry_letter",
        year=year,
        session=session,
        city=city,
        subject_key=f"inquiry_letter:{year.pk}:{session.pk}:{city.pk}",
        number=1,
        prefix_th="กท ๑๔๐๑/",
        prefix_en="BMA 1401/",
        dated=timezone.localdate(),
    )
    document.signed_copy.save("matrix-signed.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
    document.reply_attachment.save("matrix-reply.pdf", ContentFile(b"%PDF-1.4 reply"), save=True)
    version = DocumentVersion(document=document, version=1, language="th", generated_by=user)
    version.docx.save("matrix.docx", ContentFile(b"PK docx"), save=False)
    version.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.4 doc"), save=True)
    return document, version
