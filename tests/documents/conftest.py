"""A planned year with what every document carries: cities, ties, vendors, the working
group and FAO's number sequence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from core.fiscal import BANGKOK
from documents.models import NumberSequence, WorkingGroup, WorkingGroupMember
from meetings.models import Office, Session

from ..factories import AgreementFactory, ShortlistEntryFactory, SisterCityFactory, VendorFactory

SEOUL_TH = "กรุงโซล"
FUKUOKA_TH = "จังหวัดฟุกุโอกะ"
VENDOR_TH = "วิสาหกิจชุมชนน้ำพริกแม่สำราญ"
VENDOR_EN = "Mae Samran Chilli Paste Community Enterprise"
CHAIR_TH = "นางสาวสมหญิง ใจดี"


@dataclass
class Programme:
    year: object
    sessions: list
    seoul: object
    fukuoka: object
    group: object
    sequence: object


@pytest.fixture
def programme(fao_user):
    from meetings.services.years import programme_year_plan

    year = programme_year_plan(fiscal_year=2564, acting_user=fao_user)
    sessions = list(year.sessions.order_by("number"))
    seoul = SisterCityFactory(name_en="Seoul", name_th=SEOUL_TH, country="KR")
    fukuoka = SisterCityFactory(
        name_en="Fukuoka Prefecture", name_th=FUKUOKA_TH, country="JP", time_zone="Asia/Tokyo"
    )
    AgreementFactory(city=seoul, signed_year=2006)
    sessions[0].cities.add(seoul, fukuoka)
    sessions[1].cities.add(fukuoka)
    held = sessions[0]
    held.starts_at = dt.datetime(2021, 1, 14, 10, 0, tzinfo=BANGKOK)
    held.ends_at = held.starts_at + dt.timedelta(hours=2)
    held.status = Session.Status.HELD
    held.save()
    ShortlistEntryFactory(
        session=held, vendor=VendorFactory(business_name_th=VENDOR_TH, business_name_en=VENDOR_EN)
    )
    group = WorkingGroup.objects.create(year=year)
    members = [
        (CHAIR_TH, "ผู้อำนวยการสำนักพัฒนาสังคม", Office.SDO, "chair"),
        ("นายสมชาย รักงาน", "นักพัฒนาสังคมชำนาญการ", Office.SDO, "member"),
        ("นายวิทยา ช่างคิด", "นักวิชาการคอมพิวเตอร์", Office.SEO, "member"),
        ("นางสาวอรุณี ต่างแดน", "นักวิเทศสัมพันธ์", Office.FAO, "secretary"),
    ]
    for position, (name, title, office, role) in enumerate(members):
        WorkingGroupMember.objects.create(
            group=group, position=position, name=name, job_title=title, office=office, role=role
        )
    sequence = NumberSequence.objects.create(
        fiscal_year=2564, prefix_th="กท ๑๔๐๑/", prefix_en="BMA 1401/", next_number=101
    )
    return Programme(year, sessions, seoul, fukuoka, group, sequence)
