import zoneinfo
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core import thai
from core.i18n import BilingualNameMixin
from core.uploads import validate_document

if TYPE_CHECKING:
    from .letters import LetterState


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone, such as Asia/Seoul."),
            params={"value": value},
        )


class CooperationField(BilingualNameMixin, models.Model):
    """A field a sister-city tie covers (reference data)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    # The source's first eligibility test: the tie covers trade, commerce, investment or
    # the economy. Kept as data so staff can correct it without a release.
    is_economic = models.BooleanField(_("trade or economy"), default=False)

    class Meta:
        verbose_name = _("field of cooperation")
        verbose_name_plural = _("fields of cooperation")
        ordering = ["name_en"]


class SisterCityQuerySet(models.QuerySet):
    def eligible(self) -> "SisterCityQuerySet":
        """Candidates for a session, as the source defines them: a tie that covers the
        economy, and cooperation with BMA that is active."""
        return self.filter(is_active_with_bma=True, agreements__fields__is_economic=True).distinct()


class SisterCity(BilingualNameMixin, models.Model):
    # Set on the candidates of a year by cities.selectors.candidates_for_year.
    # meetings.Session rows, read through the relation: cities imports no app above it.
    sessions_this_year: "list[models.Model]"
    letter_state: "LetterState"

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, unique=True)
    country = CountryField(_("country"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, such as Asia/Seoul."),
    )
    is_active_with_bma = models.BooleanField(_("active in cooperation with BMA"), default=False)
    last_joint_activity_on = models.DateField(_("last joint activity"), null=True, blank=True)
    interested_categories = models.ManyToManyField(
        "vendors.ProductCategory",
        verbose_name=_("product categories of interest"),
        blank=True,
        related_name="interested_cities",
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = SisterCityQuerySet.as_manager()

    class Meta:
        verbose_name = _("sister city")
        verbose_name_plural = _("sister cities")
        ordering = ["name_en"]


class Agreement(models.Model):
    """The tie between Bangkok and a sister city."""

    class Form(models.TextChoices):
        SISTER_CITY = "sister_city", _("Sister City Agreement")
        FRIENDSHIP = "friendship", _("Friendship Agreement")
        FRIENDSHIP_CITIES = (
            "friendship_cities",
            _("Agreement on the Establishment of Friendship Cities"),
        )
        OTHER = "other", _("Other form of tie")

    city = models.ForeignKey(
        SisterCity,
        verbose_name=_("sister city"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    form = models.CharField(_("form"), max_length=32, choices=Form.choices, blank=True)
    form_detail = models.CharField(
        _("form as written"),
        max_length=255,
        blank=True,
        help_text=_("The title of the agreement as signed, when it is not one of the usual forms."),
    )
    signed_year = models.PositiveSmallIntegerField(_("year signed (CE)"))
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    fields = models.ManyToManyField(
        CooperationField,
        verbose_name=_("fields of cooperation"),
        blank=True,
        related_name="agreements",
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["city", "signed_year"]

    def __str__(self) -> str:
        return f"{self.get_form_display() or self.form_detail} ({self.signed_year})"

    def clean(self) -> None:
        if self.signed_on and self.signed_on.year != self.signed_year:
            raise ValidationError({"signed_on": _("The date signed is not in the year signed.")})


class CityContact(models.Model):
    city = models.ForeignKey(
        SisterCity,
        verbose_name=_("sister city"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=255)
    title = models.CharField(_("title"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    working_language = models.ForeignKey(
        "vendors.Language",
        verbose_name=_("working language"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("city contact")
        verbose_name_plural = _("city contacts")
        ordering = ["city", "name"]

    def __str__(self) -> str:
        return self.name


class InquiryLetter(models.Model):
    """Step 4 of the work plan: FAO asks a city whether it can take part."""

    # Set on the letters of a year by cities.selectors.letters_for_year.
    state: "LetterState"
    can_reply: bool
    awaiting_reply: bool

    class Reply(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    city = models.ForeignKey(
        SisterCity,
        verbose_name=_("sister city"),
        on_delete=models.CASCADE,
        related_name="inquiry_letters",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry_letters",
    )
    sent_on = models.DateField(_("sent on"))
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The letter's number, such as กท 1402/123."),
    )
    signed_by = models.CharField(_("signed by"), max_length=255)
    reply = models.CharField(
        _("reply"), max_length=16, choices=Reply.choices, default=Reply.PENDING
    )
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inquiry letter")
        verbose_name_plural = _("inquiry letters")
        ordering = ["-sent_on"]

    def __str__(self) -> str:
        return f"{self.city} – {self.fiscal_year} ({thai.short_date(self.sent_on)})"

    def clean(self) -> None:
        if self.reply == self.Reply.PENDING and self.replied_on:
            raise ValidationError({"replied_on": _("A pending letter has no reply date.")})
        if self.replied_on and self.sent_on and self.replied_on < self.sent_on:
            raise ValidationError(
                {"replied_on": _("The reply cannot come before the letter was sent.")}
            )


def inquiry_attachment_path(instance: "InquiryLetterAttachment", filename: str) -> str:
    return f"inquiry-letters/{instance.letter_id}/{filename}"


class InquiryLetterAttachment(models.Model):
    letter = models.ForeignKey(
        InquiryLetter,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("inquiry letter"),
    )
    file = models.FileField(
        _("file"),
        upload_to=inquiry_attachment_path,
        validators=[validate_document],
        help_text=_("A PDF, a JPEG or PNG image or a Word document (.docx)."),
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.description or self.file.name
