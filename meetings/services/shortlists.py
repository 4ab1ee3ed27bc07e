"""The shortlist of a session: the vendors SDO picks, the products each presents, and
FAO's approval. The meetings app owns the shortlist (ShortlistEntry is its model): every
write on it lives here, and the vendor pages, the vendor import and FAO's pick of vendors
on the session page call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import delete_audited, save_audited
from vendors.models import Product, ProductCategory, Vendor

from ..models import Session, ShortlistEntry

# -- selectors -------------------------------------------------------------------------


def sessions_for_shortlists() -> QuerySet[Session]:
    return (
        Session.objects.select_related("year", "shortlist_approved_by")
        .prefetch_related("cities")
        .annotate(shortlisted=Count("shortlist", distinct=True))
        .order_by("-year__fiscal_year", "number")
    )


def shortlist_entries(session: Session) -> QuerySet[ShortlistEntry]:
    return (
        ShortlistEntry.objects.filter(session=session)
        .select_related("vendor__district", "added_by")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.select_related("category")),
            "vendor__products",
        )
        .order_by("position", "pk")
    )


def shortlist_entries_for_export(session: Session) -> QuerySet[ShortlistEntry]:
    return (
        ShortlistEntry.objects.filter(session=session)
        .select_related("vendor__district")
        .prefetch_related(
            "vendor__languages",
            Prefetch("products", queryset=Product.objects.select_related("vendor", "category")),
        )
        .order_by("position", "pk")
    )


def session_categories(session: Session) -> set[int]:
    """The categories the session's cities are interested in (empty: no preference)."""
    return set(
        ProductCategory.objects.filter(interested_cities__sessions=session).values_list(
            "pk", flat=True
        )
    )


def session_category_objects(session: Session):
    return ProductCategory.objects.filter(interested_cities__sessions=session).distinct()


def session_day(session: Session) -> dt.date:
    return timezone.localdate(session.starts_at) if session.starts_at else timezone.localdate()


def shortlist_suggestions(session: Session, *, limit: int | None = 20) -> list[Vendor]:
    """Candidates for the session: active vendors with a valid certificate and an
    export-ready product in a category the session's cities want; vendors never
    presented before come first, then those with more matching products.

    Each vendor carries `matching_products` (a list) and `times_presented`.
    """
    day = session_day(session)
    categories = session_categories(session)
    matching = Product.objects.filter(is_export_ready=True).select_related("category")
    if categories:
        matching = matching.filter(category_id__in=categories)
    already = ShortlistEntry.objects.filter(session=session, vendor=OuterRef("pk"))
    vendors = (
        Vendor.objects.filter(is_active=True)
        .filter(Q(certificate_expires_on__isnull=True) | Q(certificate_expires_on__gte=day))
        .filter(Exists(matching.filter(vendor=OuterRef("pk"))))
        .exclude(Exists(already))
        .select_related("district")
        .annotate(
            times_presented=Count(
                "shortlist_entries",
                filter=~Q(shortlist_entries__session=session),
                distinct=True,
            )
        )
        .prefetch_related(Prefetch("products", queryset=matching, to_attr="matching_products"))
    )
    vendors = sorted(
        vendors,
        key=lambda v: (
            v.times_presented > 0,
            v.times_presented,
            -len(v.matching_products),
            v.business_name_th,
        ),
    )
    return vendors[:limit] if limit else vendors


# -- services --------------------------------------------------------------------------


def check_session_open(session: Session) -> None:
    """A held, reported or cancelled session's shortlist is history (Session.is_closed)."""
    if session.is_closed:
        raise ValidationError(
            _("This session is %(status)s; its shortlist can no longer change."),
            params={"status": session.get_status_display()},
            code="session_closed",
        )


def _check_products(vendor: Vendor, products: Iterable[Product]) -> list[Product]:
    products = list(products)
    if any(p.vendor_id != vendor.pk for p in products):
        raise ValidationError(
            _("A product presented must be one of the vendor's own."), code="foreign_product"
        )
    return products


def _withdraw_approval(session: Session, acting_user: AbstractBaseUser | None) -> None:
    """A change after approval needs a new approval."""
    if session.shortlist_approved_at is None:
        return
    session.shortlist_approved_at = None
    session.shortlist_approved_by = None
    save_audited(
        session,
        acting_user=acting_user,
        reason="shortlist changed after approval",
        update_fields=["shortlist_approved_at", "shortlist_approved_by", "updated_at"],
    )


@transaction.atomic
def shortlist_entry_add(
    *,
    session: Session,
    vendor: Vendor,
    products: Iterable[Product] = (),
    acting_user: AbstractBaseUser | None,
) -> ShortlistEntry:
    session = Session.objects.select_for_update().get(pk=session.pk)
    check_session_open(session)
    products = _check_products(vendor, products)
    if not vendor.is_active:
        raise ValidationError(
            _("This vendor is marked inactive and cannot be shortlisted."), code="inactive"
        )
    if ShortlistEntry.objects.filter(session=session, vendor=vendor).exists():
        raise ValidationError(_("This vendor is already on the shortlist."), code="duplicate")
    last = ShortlistEntry.objects.filter(session=session).order_by("-position").first()
    entry = ShortlistEntry(
        session=session,
        vendor=vendor,
        added_by=acting_user,
        position=(last.position + 1) if last else 1,
    )
    save_audited(entry, acting_user=acting_user)
    entry.products.set(products)
    _withdraw_approval(session, acting_user)
    return entry


@transaction.atomic
def shortlist_entry_set_products(
    *, entry: ShortlistEntry, products: Iterable[Product], acting_user: AbstractBaseUser | None
) -> ShortlistEntry:
    session = Session.objects.select_for_update().get(pk=entry.session_id)
    check_session_open(session)
    products = _check_products(entry.vendor, products)
    if {p.pk for p in products} != set(entry.products.values_list("pk", flat=True)):
        entry.products.set(products)
        save_audited(entry, acting_user=acting_user, reason="products presented changed")
        _withdraw_approval(session, acting_user)
    return entry


@transaction.atomic
def shortlist_entry_remove(*, entry: ShortlistEntry, acting_user: AbstractBaseUser | None) -> None:
    session = Session.objects.select_for_update().get(pk=entry.session_id)
    check_session_open(session)
    delete_audited(entry, acting_user=acting_user)
    _withdraw_approval(session, acting_user)


@transaction.atomic
def shortlist_replace(
    *,
    session: Session,
    entries: Sequence[tuple[Vendor, Sequence[Product], int]],
    acting_user: AbstractBaseUser | None,
) -> bool:
    """Make the shortlist exactly `entries` (vendor, products presented, position), as
    an uploaded shortlist says. Returns whether anything changed."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    check_session_open(session)
    current = {
        e.vendor_id: e
        for e in ShortlistEntry.objects.filter(session=session).prefetch_related("products")
    }
    changed = False
    wanted = set()
    for vendor, products, position in entries:
        wanted.add(vendor.pk)
        product_ids = {p.pk for p in products}
        entry = current.get(vendor.pk)
        if entry is None:
            entry = ShortlistEntry(
                session=session, vendor=vendor, position=position, added_by=acting_user
            )
            save_audited(entry, acting_user=acting_user, reason="shortlist uploaded")
            entry.products.set(product_ids)
            changed = True
            continue
        if entry.position != position:
            entry.position = position
            save_audited(
                entry,
                acting_user=acting_user,
                reason="shortlist uploaded",
                update_fields=["position"],
            )
            changed = True
        if {p.pk for p in entry.products.all()} != product_ids:
            entry.products.set(product_ids)
            changed = True
    for vendor_id, entry in current.items():
        if vendor_id not in wanted:
            delete_audited(entry, acting_user=acting_user, reason="shortlist uploaded")
            changed = True
    if changed:
        _withdraw_approval(session, acting_user)
    return changed


@transaction.atomic
def shortlist_approve(*, session: Session, acting_user: AbstractBaseUser) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    check_session_open(session)
    if not ShortlistEntry.objects.filter(session=session).exists():
        raise ValidationError(_("An empty shortlist cannot be approved."), code="empty")
    session.shortlist_approved_by = acting_user
    session.shortlist_approved_at = timezone.now()
    save_audited(
        session,
        acting_user=acting_user,
        reason="shortlist approved",
        update_fields=["shortlist_approved_by", "shortlist_approved_at", "updated_at"],
    )
    return session
