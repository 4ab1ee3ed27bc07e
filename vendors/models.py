from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from parler.models import TranslatableModelMixin, TranslatedFieldsModel
from simple_history.models import HistoricalRecords

from core.i18n import BilingualNameMixin, pick
from core.languages import TRANSLATED_LANGUAGES
from core.spreadsheets.records import QueuedUploadRecord

from .photos import PhotoField, stored_name


class ProductCategory(BilingualNameMixin, models.Model):
    """One of the five Bangkok Brand categories (reference data, loaded by migration)."""

    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["code"]


class District(BilingualNameMixin, models.Model):
    """One of Bangkok's 50 districts; its district office certifies Bangkok Brand."""

    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]


class Language(BilingualNameMixin, models.Model):
    """A language a vendor or a city contact works in (ISO 639-1 code)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["code"]


class Vendor(models.Model):
    business_name_th = models.CharField(_("business name (Thai)"), max_length=255)
    business_name_en = models.CharField(_("business name (English)"), max_length=255, blank=True)
    owner_name = models.CharField(_("owner"), max_length=255)
    contact_person = models.CharField(_("contact person"), max_length=255, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district office"),
        on_delete=models.PROTECT,
        related_name="vendors",
    )
    certificate_number = models.CharField(
        _("Bangkok Brand certificate number"), max_length=64, unique=True
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    certificate_expires_on = models.DateField(_("certificate expires on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken"), blank=True, related_name="vendors"
    )
    export_experience = models.TextField(_("export experience"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo record"),
        default=False,
        help_text=_("Made up for demonstration; never counted in real statistics."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["business_name_th"]
        # The registry list pages by (name, pk): the index lets PostgreSQL read one page
        # in order instead of sorting every vendor (#19).
        indexes = [
            models.Index(fields=["certificate_expires_on"]),
            models.Index(fields=["business_name_th", "id"], name="vendor_list_order_idx"),
        ]

    def __str__(self) -> str:
        return self.business_name

    @property
    def business_name(self) -> str:
        return pick(self.business_name_th, self.business_name_en)


class Product(TranslatableModelMixin, models.Model):
    """A vendor's product. Its Thai and English texts are its own fields; Korean, Japanese
    and Chinese ones are django-parler translations (ProductTranslation), which SDO fills
    in on the product page or in the admin. The mixin, not TranslatableModel, keeps
    Django's default manager."""

    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.CASCADE, related_name="products"
    )
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    price_thb = models.DecimalField(
        _("price (THB)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=64, blank=True)
    # Blank when there is no minimum or no known shelf life; 0 is neither (issue #11).
    min_order_quantity = models.PositiveIntegerField(
        _("minimum order quantity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    other_certifications = models.CharField(_("other certifications"), max_length=500, blank=True)
    is_export_ready = models.BooleanField(_("export ready"), default=False)
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["vendor_id", "name_th"]
        constraints = [
            # Imports match a product by its vendor's certificate and its Thai name.
            models.UniqueConstraint(
                "vendor", Lower("name_th"), name="product_unique_name_per_vendor"
            ),
            models.CheckConstraint(
                condition=models.Q(min_order_quantity__isnull=True)
                | models.Q(min_order_quantity__gte=1),
                name="product_min_order_quantity_gte_1",
            ),
            models.CheckConstraint(
                condition=models.Q(shelf_life_days__isnull=True) | models.Q(shelf_life_days__gte=1),
                name="product_shelf_life_days_gte_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_th, self.name_en)

    @property
    def description(self) -> str:
        return pick(self.description_th, self.description_en)


class ProductTranslation(TranslatedFieldsModel, models.Model):  # models.Model: parler has no types
    """A product's name and description in one of the buyers' languages.

    The translated fields are named buyer_name and buyer_description, not name and
    description: Product.name and Product.description already pick Thai or English for
    staff pages, and parler puts a field of the same name on the product."""

    master = TranslationsForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="translations",
        null=True,
    )
    # parler's own field takes its choices from settings.LANGUAGES (the staff's two).
    language_code = models.CharField(
        _("language"), max_length=15, choices=TRANSLATED_LANGUAGES, db_index=True
    )
    buyer_name = models.CharField(_("name"), max_length=255)
    buyer_description = models.TextField(_("description"), blank=True)
    # No updated_at: every field here becomes a translated field of the product, which
    # has its own; the history rows say when and who.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product text in a buyer's language")
        verbose_name_plural = _("product texts in buyers' languages")
        default_permissions = ("add", "change", "delete", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["master", "language_code"], name="producttranslation_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.buyer_name} ({self.language_code})"


def product_photo_path(instance: "ProductPhoto", filename: str) -> str:
    # Not the user's file name: a random one, with the extension of the format found in
    # the content (vendors.photos stores a re-encoded copy named after its format).
    return stored_name(f"products/{instance.product_id}", filename)


class ProductPhoto(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos"
    )
    # PhotoField: checked by vendors.validators.validate_product_photo (size, format from
    # the content, pixel count, damage) and stored as a metadata-free copy (vendors.photos).
    image = PhotoField(_("photo"), upload_to=product_photo_path)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["product_id", "position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


def vendor_import_path(instance: "VendorImportJob", filename: str) -> str:
    # The user's file name is kept in `original_name`; on disk a random name is enough.
    import uuid

    return f"imports/vendors/{uuid.uuid4().hex}.xlsx"


class VendorImportJob(QueuedUploadRecord):
    """An uploaded vendor workbook on its way from upload through preview to the write.

    The checks and the write run in a Celery task; the page polls `stage` and the two
    progress counters to draw its progress bar.
    """

    class Kind(models.TextChoices):
        REGISTRY = "registry", _("Vendor registry")
        SHORTLIST = "shortlist", _("Shortlist of a session")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to import")
        QUEUED = "queued", _("Waiting to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        STALE = "stale", _("Records changed since the preview")
        FAILED = "failed", _("Failed")

    BEATING_STATUS = Status.CHECKING

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGISTRY)
    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=vendor_import_path)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CHECKING
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(QueuedUploadRecord.Meta):
        verbose_name = _("vendor import")
        verbose_name_plural = _("vendor imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="registry", session__isnull=True)
                | models.Q(kind="shortlist", session__isnull=False),
                name="vendorimport_session_iff_shortlist",
            ),
        ]

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.QUEUED, self.Status.IMPORTING}
