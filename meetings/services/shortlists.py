"""The shortlist of a session: the vendors SDO picks, the products each presents, and
FAO's approval. The meetings app owns the shortlist (ShortlistEntry is its model): every
write on it lives here, and the vendor pages, the vendor import and FAO's pick of vendors
on the session page call these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import delete_audited, save_audited
from vendors.models import Product, Vendor

from ..models import Session, ShortlistEntry
from ..selectors import default_presented_products
from .people import session_lock_open


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


def _withdraw_approval(session: Session, acting_user: User | None) -> None:
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
    acting_user: User | None,
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
    *, entry: ShortlistEntry, products: Iterable[Product], acting_user: User | None
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
def shortlist_entry_remove(*, entry: ShortlistEntry, acting_user: User | None) -> None:
    session = Session.objects.select_for_update().get(pk=entry.session_id)
    check_session_open(session)
    delete_audited(entry, acting_user=acting_user)
    _withdraw_approval(session, acting_user)


@transaction.atomic
def shortlist_replace(
    *,
    session: Session,
    entries: Sequence[tuple[Vendor, Sequence[Product], int]],
    acting_user: User | None,
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
def shortlist_approve(*, session: Session, acting_user: User) -> Session:
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


@transaction.atomic
def shortlist_set_vendors(*, session_id: int, vendors: Iterable[Vendor], acting_user: User) -> bool:
    """FAO's pick of the session's vendors, in the order given (the order of presentation).
    Vendors kept keep their products; a vendor new to the list presents, until someone
    chooses otherwise, its products in the categories the session's cities want (the
    next page asks). The shortlist rules (an approval is withdrawn by a change, a closed
    session's list stays) are those of shortlist_replace."""
    session = session_lock_open(session_id)
    vendors = list(vendors)
    inactive = [v for v in vendors if not v.is_active]
    if inactive:
        raise ValidationError(
            _("%(vendor)s is not an active vendor.") % {"vendor": inactive[0].business_name}
        )
    products = {
        entry.vendor_id: list(entry.products.all())
        for entry in session.shortlist.prefetch_related("products")
    }
    newcomers = {v.pk for v in vendors if v.pk not in products}
    if newcomers:
        products.update(default_presented_products(session, newcomers))
    return shortlist_replace(
        session=session,
        entries=[
            (vendor, products.get(vendor.pk, []), position)
            for position, vendor in enumerate(vendors, start=1)
        ],
        acting_user=acting_user,
    )


@transaction.atomic
def shortlist_set_presented_products(
    *,
    session_id: int,
    choices: Mapping[int, Iterable[Product]],
    acting_user: User,
) -> int:
    """The products each vendor of the session presents, keyed by shortlist entry.
    Returns how many entries changed; an entry not of this session is refused."""
    session = Session.objects.select_for_update().get(pk=session_id)
    check_session_open(session)
    entries = {
        e.pk: e for e in session.shortlist.select_related("vendor").prefetch_related("products")
    }
    if set(choices) - set(entries):
        raise ValidationError(
            _("The shortlist changed meanwhile; choose the products again."), code="stale"
        )
    changed = 0
    for entry_id, chosen in choices.items():
        entry = entries[entry_id]
        chosen = _check_products(entry.vendor, chosen)
        if {p.pk for p in chosen} != {p.pk for p in entry.products.all()}:
            entry.products.set(chosen)
            save_audited(entry, acting_user=acting_user, reason="products presented changed")
            changed += 1
    if changed:
        _withdraw_approval(session, acting_user)
    return changed
