"""Reads of the vendor registry, each in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.audit_log import RecordChange, records_history
from core.compiled import CompiledList, compiled_rows

from .models import Product, ProductPhoto, Vendor, VendorImportJob

EXPIRING_DAYS = 90


def expiring_filter(value: str, *, prefix: str = "", today: dt.date | None = None) -> Q | None:
    """The certificate filter shared by the pages and the admin (`prefix` "vendor__" for
    products)."""
    today = today or timezone.localdate()
    field = f"{prefix}certificate_expires_on"
    soon = today + dt.timedelta(days=EXPIRING_DAYS)
    conditions: dict[str, dict[str, Any]] = {
        "expired": {f"{field}__lt": today},
        "soon": {f"{field}__gte": today, f"{field}__lte": soon},
        "valid": {f"{field}__gt": soon},
        "unknown": {f"{field}__isnull": True},
    }
    return Q(**conditions[value]) if value in conditions else None


LIST_COLUMNS = (
    "business_name_th",
    "business_name_en",
    "certificate_number",
    "certificate_expires_on",
    "is_active",
    "district__name_th",
    "district__name_en",
    "line_link__status",
)


def vendor_search(
    *,
    q: str = "",
    district: int | None = None,
    category: int | None = None,
    expiring: str = "",
    active: bool | None = None,
    today: dt.date | None = None,
) -> QuerySet[Vendor]:
    """The registry list's rows, in page order. The product counts are not here: counting
    every vendor's products before taking a page of 50 grew with the registry (#19);
    vendor_page_counts adds them to the page's rows."""
    # Only what a row shows: the rest of a vendor (contacts, web site, export experience)
    # was read and decoded for every row of every page (#19), and is personal data the
    # list does not need.
    vendors = Vendor.objects.select_related("district", "line_link").only(*LIST_COLUMNS)
    if q:
        vendors = vendors.filter(
            Q(business_name_th__icontains=q)
            | Q(business_name_en__icontains=q)
            | Q(owner_name__icontains=q)
            | Q(certificate_number__icontains=q)
            | Q(products__name_th__icontains=q)
            | Q(products__name_en__icontains=q)
        ).distinct()
    if district:
        vendors = vendors.filter(district_id=district)
    if category:
        vendors = vendors.filter(products__category_id=category).distinct()
    condition = expiring_filter(expiring, today=today)
    if condition is not None:
        vendors = vendors.filter(condition)
    if active is not None:
        vendors = vendors.filter(is_active=active)
    return vendors.order_by("business_name_th", "pk")


def vendor_registry(
    *,
    q: str = "",
    district: int | None = None,
    category: int | None = None,
    expiring: str = "",
    active: bool | None = None,
) -> CompiledList[Vendor] | QuerySet[Vendor]:
    """vendor_search's rows for the registry's Paginator. Filtered by district, category or
    certificate only, their count and each page are compiled once per filter and page
    (core.compiled): building them cost more Python than the page's SQL (#19). A search's
    free text rarely repeats, so a search is built each time."""
    if q:
        return vendor_search(
            q=q, district=district, category=category, expiring=expiring, active=active
        )
    # The certificate filter compares with today: the day is part of what is compiled.
    today = timezone.localdate() if expiring else None
    return CompiledList(_registry_rows, district, category, expiring, active, today)


def _registry_rows(
    district: int | None,
    category: int | None,
    expiring: str,
    active: bool | None,
    today: dt.date | None,
) -> QuerySet[Vendor]:
    return vendor_search(
        district=district, category=category, expiring=expiring, active=active, today=today
    )


def vendor_page_counts(vendors: Sequence[Vendor]) -> list[Vendor]:
    """The page's vendors, each with product_count: one grouped query for the page only."""
    rows = list(vendors)
    counts = dict(compiled_rows(_product_counts, tuple(vendor.pk for vendor in rows)))
    for vendor in rows:
        vendor.product_count = counts.get(vendor.pk, 0)  # type: ignore[attr-defined]
    return rows


def _product_counts(vendor_ids: tuple[int, ...]) -> QuerySet[Product, tuple[Any, ...]]:
    return (
        Product.objects.filter(vendor_id__in=vendor_ids)
        .order_by()
        .values_list("vendor_id")
        .annotate(n=Count("pk"))
    )


def vendor_detail(pk: int) -> Vendor:
    return (
        Vendor.objects.select_related("district", "line_link")
        .prefetch_related(
            "languages",
            Prefetch(
                "products",
                queryset=Product.objects.select_related("category").prefetch_related("photos"),
            ),
        )
        .get(pk=pk)
    )


def product_photo(pk: int) -> ProductPhoto:
    return ProductPhoto.objects.get(pk=pk)


def vendors_for_export() -> QuerySet[Vendor]:
    return (
        Vendor.objects.select_related("district")
        .prefetch_related("languages")
        .order_by("certificate_number")
    )


def products_for_export() -> QuerySet[Product]:
    return Product.objects.select_related("vendor", "category").order_by(
        "vendor__certificate_number", "name_th"
    )


def import_jobs_recent(limit: int = 15) -> QuerySet[VendorImportJob]:
    return VendorImportJob.objects.select_related("created_by", "session__year")[:limit]


def import_job(pk: int) -> VendorImportJob:
    return VendorImportJob.objects.select_related(
        "created_by", "confirmed_by", "session__year"
    ).get(pk=pk)


def vendor_history(vendor: Vendor, *, limit: int = 200) -> list[RecordChange]:
    """The changes of a vendor, its products and their photos (removed ones too), newest
    first."""
    product_ids = Product.history.filter(vendor_id=vendor.pk).values("id")
    entries = [
        *records_history(Vendor, id=vendor.pk, limit=limit),
        *records_history(Product, vendor_id=vendor.pk, limit=limit),
        *records_history(ProductPhoto, product_id__in=product_ids, limit=limit),
    ]
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]


def product_history(product: Product, *, limit: int = 100) -> list[RecordChange]:
    entries = [
        *records_history(Product, id=product.pk, limit=limit),
        *records_history(ProductPhoto, product_id=product.pk, limit=limit),
    ]
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]


def product_for_edit(pk: int) -> Product:
    return (
        Product.objects.select_related("vendor", "category")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("position")))
        .get(pk=pk)
    )
