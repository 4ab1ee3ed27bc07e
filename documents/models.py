"""Official documents of the programme: their fixed texts, numbers, versions and replies.

A `Document` is one entry of FAO's register (one memo, order or letter, with its number);
each generation adds a `DocumentVersion` with the .docx and the PDF. The working group and
the Governor's approval are records of their own, from which work-plan steps 1–3 tick.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from meetings.models import Office


class Kind(models.TextChoices):
    APPROVAL_MEMO = "approval_memo", _("Memo asking the Governor's approval in principle")
    WORKING_GROUP_ORDER = "working_group_order", _("Order appointing the working group")
    INQUIRY_LETTER = "inquiry_letter", _("Inquiry letter to a sister city")
    ORDER_TRANSMITTAL = "order_transmittal", _("Letter sending the order to SDO and SEO")
    REPORT_COVER = "report_cover", _("Cover letter of the executive report")


# What each kind is about: the year, a session, or one city of a session.
YEAR_KINDS = (Kind.APPROVAL_MEMO, Kind.WORKING_GROUP_ORDER)
SESSION_KINDS = (Kind.ORDER_TRANSMITTAL, Kind.REPORT_COVER)
CITY_KINDS = (Kind.INQUIRY_LETTER,)


class Language(models.TextChoices):
    TH = "th", _("Thai")
    EN = "en", _("English")


class TemplateText(models.Model):
    """One piece of a document's fixed wording, in Thai and in English; FAO edits it in
    the admin and the next generation uses it. `{name}` marks where data goes."""

    kind = models.CharField(_("document"), max_length=32, choices=Kind.choices)
    key = models.SlugField(_("part"), max_length=50)
    text_th = models.TextField(_("text (Thai)"))
    text_en = models.TextField(_("text (English)"))
    help = models.CharField(_("what it is"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="templatetext_unique_part")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"

    def clean(self) -> None:
        from .texts import check_placeholders

        check_placeholders(self.kind, {"text_th": self.text_th, "text_en": self.text_en})


class NumberSequence(models.Model):
    """FAO's register numbers for one fiscal year: a prefix and the next number."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), unique=True, validators=[MinValueValidator(2563)]
    )
    prefix_th = models.CharField(_("prefix (Thai)"), max_length=40, help_text=_("Such as กท ๑๔๐๑/"))
    prefix_en = models.CharField(
        _("prefix (English)"), max_length=40, help_text=_("Such as BMA 1401/")
    )
    next_number = models.PositiveIntegerField(
        _("next number"), default=1, validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.prefix_th}{self.next_number}"

    @property
    def next_display(self) -> str:
        """The next number as the reader's language writes it: กท ๑๔๐๑/๑๐๖, BMA 1401/106."""
        from django.utils import translation

        from core.thai import thai_digits

        if (translation.get_language() or "th")[:2] == "th":
            return thai_digits(f"{self.prefix_th}{self.next_number}")
        return f"{self.prefix_en}{self.next_number}"


class WorkingGroup(models.Model):
    """The year's working group, the order appointing it and the approval before it."""

    year = models.OneToOneField(
        "meetings.ProgrammeYear",
        verbose_name=_("programme year"),
        on_delete=models.CASCADE,
        related_name="working_group",
    )
    approved_on = models.DateField(_("approved in principle on"), null=True, blank=True)
    approval_reference = models.CharField(
        _("approval reference"),
        max_length=200,
        blank=True,
        help_text=_("The number of the memo the Governor approved."),
    )
    order_number = models.CharField(
        _("order number"), max_length=60, blank=True, help_text=_("Such as 1234/2569")
    )
    order_signed_on = models.DateField(_("order signed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["-year__fiscal_year"]

    def __str__(self) -> str:
        return str(_("Working group, FY %(year)s") % {"year": self.year.fiscal_year})

    @property
    def is_approved(self) -> bool:
        return bool(self.approved_on and self.approval_reference.strip())

    @property
    def order_is_signed(self) -> bool:
        return bool(self.order_signed_on and self.order_number.strip())


class WorkingGroupMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Member and secretary")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    # With a context: "order" is elsewhere an order of goods, "position" a rank.
    position = models.PositiveSmallIntegerField(pgettext_lazy("sequence", "order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(pgettext_lazy("job", "position"), max_length=200)
    office = models.CharField(_("office"), max_length=16, choices=Office.choices)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["group", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(role="chair"),
                name="workinggroup_one_chair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role == self.Role.CHAIR and self.office != Office.SDO:
            raise ValidationError(
                {"office": _("The chair is the director of the Social Development Office.")}
            )


class Document(models.Model):
    """One entry of FAO's register: a numbered document, whatever its versions."""

    class Reply(models.TextChoices):
        PENDING = "pending", _("No reply yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    kind = models.CharField(_("document"), max_length=32, choices=Kind.choices)
    year = models.ForeignKey(
        "meetings.ProgrammeYear",
        verbose_name=_("programme year"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    city = models.ForeignKey(
        "cities.SisterCity",
        verbose_name=_("sister city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # One register entry per kind and subject; the key makes that a database rule.
    subject_key = models.CharField(max_length=100, unique=True, editable=False)
    number = models.PositiveIntegerField(_("number"))
    prefix_th = models.CharField(_("prefix (Thai)"), max_length=40)
    prefix_en = models.CharField(_("prefix (English)"), max_length=40)
    dated = models.DateField(_("date of the document"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    signed_copy = models.FileField(_("signed copy"), upload_to="documents/signed/", blank=True)
    signed_uploaded_at = models.DateTimeField(_("signed copy uploaded at"), null=True, blank=True)
    signed_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed copy uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.CharField(
        _("reply"), max_length=16, choices=Reply.choices, default=Reply.PENDING
    )
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply_note = models.TextField(_("answer"), blank=True)
    reply_attachment = models.FileField(
        _("reply attachment"), upload_to="documents/replies/", blank=True
    )
    inquiry_letter = models.OneToOneField(
        "cities.InquiryLetter",
        verbose_name=_("inquiry letter record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="document_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number_text('th')} {self.get_kind_display()}"

    def number_text(self, language: str) -> str:
        from core.thai import thai_digits

        if language == "th":
            return thai_digits(f"{self.prefix_th}{self.number}")
        return f"{self.prefix_en}{self.number}"

    @property
    def number_display(self) -> str:
        from django.utils import translation

        return self.number_text("th" if (translation.get_language() or "th")[:2] == "th" else "en")

    @property
    def is_city_letter(self) -> bool:
        return self.kind in CITY_KINDS


class DocumentVersion(models.Model):
    """One generation of a document in one language: the .docx and the PDF."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    docx = models.FileField(_("Word file"), upload_to="documents/generated/")
    pdf = models.FileField(_("PDF file"), upload_to="documents/generated/")
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    docx_seconds = models.FloatField(_("seconds to make the Word file"), default=0)
    pdf_seconds = models.FloatField(_("seconds to make the PDF"), default=0)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="documentversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version} ({self.language})"
