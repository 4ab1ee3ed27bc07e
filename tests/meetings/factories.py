"""Factories of the meetings app beyond those in tests/factories.py (kept here so the
shared file is not edited by two engineers at once)."""

from __future__ import annotations

import factory

from meetings.models import (
    AgendaItem,
    BMAParticipant,
    CityParticipant,
    Office,
    TeamsMeeting,
    WorkPlanStep,
)

from ..factories import CityContactFactory, SessionFactory, UserFactory


class BMAParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BMAParticipant

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    office = Office.FAO


class CityParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityParticipant

    session = factory.SubFactory(SessionFactory)
    contact = factory.SubFactory(CityContactFactory)
    city = factory.LazyAttribute(lambda p: p.contact.city)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_th = factory.Sequence(lambda n: f"วาระที่ {n}")
    title_en = factory.Sequence(lambda n: f"Item {n}")


class TeamsMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamsMeeting

    session = factory.SubFactory(SessionFactory)
    purpose = TeamsMeeting.Purpose.SESSION
    state = TeamsMeeting.State.ACTIVE
    backend = "local"


class WorkPlanStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlanStep

    session = factory.SubFactory(SessionFactory)
    number = 4
    offices = factory.LazyFunction(lambda: ["fao", "city"])
    starts_on = factory.LazyFunction(lambda: __import__("datetime").date(2026, 11, 1))
    due_on = factory.LazyAttribute(lambda s: s.starts_on)
