"""Who takes part: BMA users, city participants, the vendors; and the agenda."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cities.models import CityContact, SisterCity
from core.audit import delete_audited, save_audited
from core.languages import FALLBACK
from core.roles import Role, roles_of

from ..models import (
    AgendaItem,
    BMAParticipant,
    CityParticipant,
    Office,
    Session,
    TeamsMeeting,
)
from .teams import teams_meetings_follow_session

BOTH = (TeamsMeeting.Purpose.SESSION, TeamsMeeting.Purpose.CONNECTION_TEST)

# The source's order of business (section 6.1.7).
DEFAULT_AGENDA = (
    (
        "การแนะนำผู้เข้าร่วมการประชุมของแต่ละฝ่าย",
        "Introductions of the participants of each side",
        20,
    ),
    (
        "ผู้ประกอบการนำเสนอข้อมูลผลิตภัณฑ์กรุงเทพมหานคร (Bangkok Brand) "
        "และฝ่ายเมืองพี่เมืองน้องสอบถามข้อมูลในลักษณะของการซื้อขายสินค้า",
        "Vendors present their Bangkok Brand products; the sister cities ask about buying them",
        80,
    ),
    (
        "สรุปรายละเอียดและแลกเปลี่ยนข้อมูลการติดต่อระหว่างกัน",
        "Summary and exchange of contact details",
        20,
    ),
)


def session_lock_open(session_id: int) -> Session:
    """The session, locked for a change of who takes part; refused once it is closed."""
    session = Session.objects.select_for_update().select_related("year").get(pk=session_id)
    if session.is_closed:
        raise ValidationError(_("The participants of a closed session cannot change."))
    return session


def office_of(user) -> str:
    roles = roles_of(user)
    for role, office in ((Role.FAO, Office.FAO), (Role.SDO, Office.SDO), (Role.SEO, Office.SEO)):
        if role in roles:
            return office
    if Role.EXECUTIVE in roles:
        return Office.EXECUTIVE
    return Office.OTHER


@transaction.atomic
def bma_participant_add(
    *,
    session_id: int,
    user: User,
    office: str = "",
    role_in_session: str = "",
    acting_user: User,
) -> BMAParticipant:
    session = session_lock_open(session_id)
    if session.bma_participants.filter(user=user).exists():
        raise ValidationError(_("%(name)s already takes part.") % {"name": user.get_username()})
    participant = BMAParticipant(
        session=session,
        user=user,
        office=office or office_of(user),
        role_in_session=role_in_session,
    )
    save_audited(participant, acting_user=acting_user)
    teams_meetings_follow_session(session=session, purposes=BOTH, acting_user=acting_user)
    return participant


@transaction.atomic
def bma_participant_remove(*, participant_id: int, acting_user: User) -> None:
    participant = BMAParticipant.objects.select_related("session").get(pk=participant_id)
    session = session_lock_open(participant.session_id)
    delete_audited(participant, acting_user=acting_user)
    teams_meetings_follow_session(session=session, purposes=BOTH, acting_user=acting_user)


@transaction.atomic
def city_participant_add(
    *,
    session_id: int,
    city: SisterCity,
    contact: CityContact | None = None,
    name: str = "",
    title: str = "",
    organisation: str = "",
    email: str = "",
    language: str = FALLBACK,
    acting_user: User,
) -> CityParticipant:
    session = session_lock_open(session_id)
    if not session.cities.filter(pk=city.pk).exists():
        raise ValidationError(_("%(city)s does not take part in this session.") % {"city": city})
    participant = CityParticipant(
        session=session,
        city=city,
        contact=contact,
        name=name.strip(),
        title=title.strip(),
        organisation=organisation.strip(),
        email=email.strip(),
        language=language,
    )
    participant.full_clean(exclude=["session"])
    try:
        with transaction.atomic():
            save_audited(participant, acting_user=acting_user)
    except IntegrityError as exc:
        raise ValidationError(_("This contact already takes part.")) from exc
    teams_meetings_follow_session(session=session, purposes=BOTH, acting_user=acting_user)
    return participant


@transaction.atomic
def city_participant_remove(*, participant_id: int, acting_user: User) -> None:
    participant = CityParticipant.objects.get(pk=participant_id)
    session = session_lock_open(participant.session_id)
    delete_audited(participant, acting_user=acting_user)
    teams_meetings_follow_session(session=session, purposes=BOTH, acting_user=acting_user)


def agenda_create_default(*, session: Session, acting_user: User | None) -> None:
    for position, (title_th, title_en, minutes) in enumerate(DEFAULT_AGENDA, start=1):
        save_audited(
            AgendaItem(
                session=session,
                position=position,
                title_th=title_th,
                title_en=title_en,
                duration_minutes=minutes,
            ),
            acting_user=acting_user,
        )


@dataclass(frozen=True)
class AgendaRow:
    """One row of the agenda form: `item_id` None for a new item."""

    item_id: int | None
    title_th: str
    title_en: str = ""
    duration_minutes: int | None = None
    minutes: str = ""
    delete: bool = False


@transaction.atomic
def agenda_save(
    *, session_id: int, rows: Sequence[AgendaRow], acting_user: User
) -> list[AgendaItem]:
    """Replace the agenda with the rows, in their order; minutes are kept per item. The
    Teams invitation keeps the agenda it was sent with (an update never sends the body)."""
    session = Session.objects.select_for_update().get(pk=session_id)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    items: dict[int | None, AgendaItem] = {item.pk: item for item in session.agenda.all()}
    kept: list[AgendaItem] = []
    for row in rows:
        if row.item_id is not None and row.item_id not in items:
            raise ValidationError(_("An agenda item of another session was given."))
        if row.delete:
            if row.item_id is not None:
                delete_audited(items[row.item_id], acting_user=acting_user)
            continue
        if not row.title_th.strip():
            raise ValidationError(_("Every agenda item needs a Thai title."))
        item = items.get(row.item_id) or AgendaItem(session=session)
        item.position = len(kept) + 1
        item.title_th = row.title_th.strip()
        item.title_en = row.title_en.strip()
        item.duration_minutes = row.duration_minutes
        item.minutes = row.minutes
        save_audited(item, acting_user=acting_user)
        kept.append(item)
    if not kept:
        raise ValidationError(_("A session needs at least one agenda item."))
    return kept
