from .attendance import TeamsAttendance
from .notices import ParticipantNotice
from .packs import CityPack, PackParticipant
from .sessions import (
    AgendaItem,
    BMAParticipant,
    CityParticipant,
    Office,
    ProgrammeYear,
    Session,
    ShortlistEntry,
    default_session_months,
)
from .teams import TeamsMeeting, TeamsMeetingRequest
from .workplan import (
    FIRST_SESSION_ONLY_STEPS,
    RECORD_DRIVEN_STEPS,
    STEP_OFFICES,
    STEP_TITLES,
    StepOffice,
    WorkPlanStep,
)

__all__ = [
    "FIRST_SESSION_ONLY_STEPS",
    "RECORD_DRIVEN_STEPS",
    "STEP_OFFICES",
    "STEP_TITLES",
    "AgendaItem",
    "BMAParticipant",
    "CityPack",
    "CityParticipant",
    "Office",
    "PackParticipant",
    "ParticipantNotice",
    "ProgrammeYear",
    "Session",
    "ShortlistEntry",
    "StepOffice",
    "TeamsAttendance",
    "TeamsMeeting",
    "TeamsMeetingRequest",
    "WorkPlanStep",
    "default_session_months",
]
