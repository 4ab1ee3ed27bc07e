"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cities.models import Agreement, CityContact, CooperationField, SisterCity
from core.roles import GROUP_NAMES, Role
from meetings.models import ProgrammeYear, Session, ShortlistEntry
from vendors.models import District, Product, ProductCategory, Vendor

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted: Role | None, **kwargs):
        if extracted is not None:
            self.groups.add(Group.objects.get(name=GROUP_NAMES[extracted]))
            self.is_staff = extracted != Role.EXECUTIVE
        if create:
            self.save()


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    business_name_th = factory.Sequence(lambda n: f"ร้านทดสอบ {n}")
    business_name_en = factory.Sequence(lambda n: f"Test Shop {n}")
    owner_name = factory.Faker("name")
    district = factory.LazyFunction(lambda: District.objects.order_by("code").first())
    certificate_number = factory.Sequence(lambda n: f"BB-T-{n:05d}")
    certified_on = dt.date(2024, 1, 1)
    certificate_expires_on = dt.date(2027, 12, 31)
    is_active = True


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    vendor = factory.SubFactory(VendorFactory)
    category = factory.LazyFunction(lambda: ProductCategory.objects.get(code=1))
    name_th = factory.Sequence(lambda n: f"สินค้าทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test product {n}")
    is_export_ready = True


class SisterCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SisterCity

    name_en = factory.Sequence(lambda n: f"Test City {n}")
    name_th = factory.Sequence(lambda n: f"เมืองทดสอบ {n}")
    country = "KR"
    time_zone = "Asia/Seoul"
    is_active_with_bma = True


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    city = factory.SubFactory(SisterCityFactory)
    form = Agreement.Form.SISTER_CITY
    signed_year = 2006

    @factory.post_generation
    def field_codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.set(CooperationField.objects.filter(code__in=extracted))


class CityContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityContact

    city = factory.SubFactory(SisterCityFactory)
    name = factory.Faker("name")
    email = factory.Faker("email")


class ProgrammeYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeYear
        django_get_or_create = ("fiscal_year",)

    fiscal_year = 2569


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    year = factory.SubFactory(ProgrammeYearFactory)
    number = factory.Sequence(lambda n: (n % 3) + 1)


class ShortlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShortlistEntry

    session = factory.SubFactory(SessionFactory)
    vendor = factory.SubFactory(VendorFactory)


# --- outcomes ----------------------------------------------------------------------------


def _default_due_on(period) -> dt.date:
    from core.fiscal import FiscalHalf
    from outcomes.models import ReportingPeriod

    return ReportingPeriod.default_due_on(FiscalHalf(period.fiscal_year, period.half))


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outcomes.ReportingPeriod"
        django_get_or_create = ("fiscal_year", "half")

    fiscal_year = 2569
    half = 1
    due_on = factory.LazyAttribute(_default_due_on)
    locked_on = factory.LazyAttribute(lambda p: p.due_on + dt.timedelta(days=30))


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outcomes.Submission"

    vendor = factory.SubFactory(VendorFactory)
    period = factory.SubFactory(ReportingPeriodFactory)
    status = "draft"


class OutcomeContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outcomes.Contact"

    submission = factory.SubFactory(SubmissionFactory)
    city = factory.SubFactory(SisterCityFactory)
    counterpart_name = factory.Faker("name")
    counterpart_organisation = factory.Faker("company")
    counterpart_kind = "business"
    direction = "incoming"
    contacted_on = dt.date(2026, 1, 20)
    channel = "email"
    about_buying = True


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outcomes.OrderLine"

    submission = factory.SubFactory(SubmissionFactory)
    product = factory.LazyAttribute(lambda o: ProductFactory(vendor=o.submission.vendor))
    city = factory.SubFactory(SisterCityFactory)
    quantity = 10
    unit = "box"
    value_thb = 1200
    ordered_on = dt.date(2026, 2, 1)


# --- reports -------------------------------------------------------------------------------


class SessionEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.SessionEvaluation"

    session = factory.SubFactory(SessionFactory, status="held")
    plan_th = "นำเสนอสินค้าของผู้ประกอบการ 5 ราย"
    did_th = "ผู้ประกอบการเข้าร่วม 4 ราย"


class EvaluationFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.EvaluationFinding"

    evaluation = factory.SubFactory(SessionEvaluationFactory)
    position = factory.Sequence(lambda n: n)
    problem_th = "สัญญาณภาพขาดหายช่วงนำเสนอ"
    cause_th = "เครือข่ายของผู้ประกอบการไม่เสถียร"


class EvaluationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.EvaluationAction"

    evaluation = factory.SubFactory(SessionEvaluationFactory)
    position = factory.Sequence(lambda n: n)
    action_th = "ทดสอบระบบภาพและเสียงล่วงหน้าหนึ่งสัปดาห์"
    action_en = "Test sound and video one week ahead"


class InquiryLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cities.InquiryLetter"

    city = factory.SubFactory(SisterCityFactory)
    fiscal_year = 2569
    sent_on = dt.date(2025, 11, 10)
    signed_by = "Director, Foreign Affairs Office"


class InquiryLetterAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cities.InquiryLetterAttachment"

    letter = factory.SubFactory(InquiryLetterFactory)
    file = factory.django.FileField(filename="letter.pdf", data=b"%PDF-1.4 letter")
    description = "Signed letter"


class ProductPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vendors.ProductPhoto"

    product = factory.SubFactory(ProductFactory)
    image = factory.django.ImageField(filename="photo.png", width=4, height=4, format="PNG")
