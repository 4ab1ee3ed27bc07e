"""Reads of the buyers' app."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, Sum
from django.urls import reverse
from django.utils import timezone

from cities.models import SisterCity
from core.languages import city_language
from meetings.models import Session, ShortlistEntry
from vendors.models import Product, ProductPhoto, ProductTranslation

from .languages import city_currency
from .models import ExchangeRate, ShowcaseLink, ShowcaseVisit

# The alphabet of secrets.token_urlsafe: anything else is not a token, and is refused
# before it reaches the database (PostgreSQL rejects a NUL byte with an error).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def showcase_link_for_token(token: str) -> ShowcaseLink | None:
    """The live link a token opens (enabled, not revoked, not past its end date), or None."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return (
        ShowcaseLink.objects.live(today=timezone.localdate())
        .select_related("session", "city")
        .filter(token=token)
        .first()
    )


# --- The showcase's content -----------------------------------------------------------------

# The widths the page offers each photo in (srcset); the phone takes the smallest.
PHOTO_WIDTHS = (320, 640, 1024)


@dataclass
class ShowcaseProduct:
    pk: int
    name: str
    description: str
    # False when the name or description shown is the English (or Thai) fallback.
    translated: bool
    category: str
    price_thb: Decimal | None
    price_local: Decimal | None
    unit: str
    min_order_quantity: int | None
    shelf_life_days: int | None
    photo_ids: list[int] = field(default_factory=list)
    # The addresses of the first photo (src, srcset), set by the page's view.
    photo: dict | None = None


@dataclass
class ShowcaseVendor:
    pk: int
    name: str
    certificate_number: str
    district: str
    products: list[ShowcaseProduct] = field(default_factory=list)


@dataclass
class Showcase:
    link: ShowcaseLink
    language: str
    currency: str
    rate: ExchangeRate | None
    vendors: list[ShowcaseVendor]

    @property
    def any_untranslated(self) -> bool:
        return any(not p.translated for v in self.vendors for p in v.products)


def latest_rate(currency: str) -> ExchangeRate | None:
    return ExchangeRate.objects.filter(currency=currency).order_by("-rate_on").first()


def _text(product: Product, language: str, texts: dict) -> tuple[str, str, bool]:
    """The product's name and description in `language`; English when missing (Thai when
    there is no English either), and whether it is the language asked for."""
    if language == "th":
        return product.name_th, product.description_th, True
    if language == "en":
        name = product.name_en or product.name_th
        return name, product.description_en or product.description_th, bool(product.name_en)
    own = texts.get(product.pk)
    if own is not None:
        return own.buyer_name, own.buyer_description or product.description_en, True
    return product.name_en or product.name_th, product.description_en, False


def _bilingual(obj, language: str) -> str:
    if obj is None:
        return ""
    return obj.name_th if language == "th" else (obj.name_en or obj.name_th)


def showcase_content(link: ShowcaseLink, language: str) -> Showcase:
    """The session's shortlisted vendors and the products each presents, in `language`,
    with prices in the city's currency at FAO's latest rate. Five queries, whatever the
    number of vendors and products (a test counts them)."""
    currency = city_currency(link.city)
    rate = latest_rate(currency)
    entries = list(
        ShortlistEntry.objects.filter(session_id=link.session_id)
        .select_related("vendor__district")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.select_related("category")
                .prefetch_related(
                    Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk"))
                )
                .order_by("category__code", "pk"),
            )
        )
        .order_by("position", "pk")
    )
    product_ids = [p.pk for e in entries for p in e.products.all()]
    texts = {}
    if language not in ("th", "en") and product_ids:
        texts = {
            t.master_id: t
            for t in ProductTranslation.objects.filter(
                master_id__in=product_ids, language_code=language
            )
        }
    vendors = []
    for entry in entries:
        vendor = entry.vendor
        shown = ShowcaseVendor(
            pk=vendor.pk,
            name=vendor.business_name_th
            if language == "th"
            else (vendor.business_name_en or vendor.business_name_th),
            certificate_number=vendor.certificate_number,
            district=_bilingual(vendor.district, language),
        )
        for product in entry.products.all():
            name, description, translated = _text(product, language, texts)
            price_local = None
            if rate is not None and product.price_thb is not None:
                price_local = (product.price_thb / rate.thb_per_unit).quantize(Decimal("0.01"))
            shown.products.append(
                ShowcaseProduct(
                    pk=product.pk,
                    name=name,
                    description=description,
                    translated=translated,
                    category=_bilingual(product.category, language),
                    price_thb=product.price_thb,
                    price_local=price_local,
                    unit=product.unit,
                    min_order_quantity=product.min_order_quantity,
                    shelf_life_days=product.shelf_life_days,
                    photo_ids=[photo.pk for photo in product.photos.all()],
                )
            )
        vendors.append(shown)
    return Showcase(link=link, language=language, currency=currency, rate=rate, vendors=vendors)


def showcase_photo(link: ShowcaseLink, photo_id: int) -> ProductPhoto | None:
    """A photo of a product the link's session presents: no other photo opens through it."""
    return ProductPhoto.objects.filter(
        pk=photo_id,
        product__shortlist_entries__session_id=link.session_id,
    ).first()


def showcase_link_state(token: str) -> str:
    """Why a token does not open: "unknown" (no such link, answer 404) or "gone" (a link
    that was revoked, turned off or is past its end date, answer 410)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return "unknown"
    return "gone" if ShowcaseLink.objects.filter(token=token).exists() else "unknown"


def showcase_link_for_city(session: Session, city: SisterCity) -> ShowcaseLink | None:
    """The live link of a session and city, for the invitation and the coordination pack
    (None when FAO has not turned it on, or it was revoked or has ended)."""
    return (
        ShowcaseLink.objects.live(today=timezone.localdate())
        .filter(session=session, city=city)
        .first()
    )


def showcase_url(link: ShowcaseLink, language: str | None = None) -> str:
    """The link's full address, in the city's language unless another is named."""
    path = reverse("showcase:page", args=[link.token, language or city_language(link.city)])
    return settings.PORTAL_SITE_URL.rstrip("/") + path


def showcase_links_of_session(session: Session) -> list[tuple[SisterCity, ShowcaseLink | None]]:
    """Each city of the session with its link, if it has one (FAO's page)."""
    links = {link.city_id: link for link in ShowcaseLink.objects.filter(session=session)}
    return [(city, links.get(city.pk)) for city in session.cities.order_by("name_en")]


def visits_of_link(link: ShowcaseLink) -> int:
    return ShowcaseVisit.objects.filter(link=link).aggregate(total=Sum("count"))["total"] or 0


def sheet_photo_paths(vendor: ShowcaseVendor) -> dict[int, str]:
    """The first photo of each product, sized for print, as file URIs for WeasyPrint."""
    from .photos import PhotoUnreadable, sized

    first = [p.photo_ids[0] for p in vendor.products if p.photo_ids]
    paths = {}
    for photo in ProductPhoto.objects.filter(pk__in=first):
        try:
            paths[photo.product_id] = sized(Path(photo.image.path), 640).as_uri()
        except (PhotoUnreadable, FileNotFoundError, ValueError):
            continue
    return paths


def live_links_count(session: Session) -> int:
    return ShowcaseLink.objects.live(today=timezone.localdate()).filter(session=session).count()


def visits_by_session_city() -> dict[tuple[int, int], int]:
    """Showcase visits per (session, city), all days added up: the leads' funnel."""
    from django.db.models import Sum

    from .models import ShowcaseVisit

    rows = ShowcaseVisit.objects.values("link__session_id", "link__city_id").annotate(
        total=Sum("count")
    )
    return {(row["link__session_id"], row["link__city_id"]): row["total"] for row in rows}
