"""Writes of the buyers' app: FAO's showcase links and rates, the visit counter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import SisterCity
from core.audit import save_audited
from meetings.models import Session

from .models import ExchangeRate, ShowcaseLink, ShowcaseVisit, new_token

# A link may stay open for at most a year: long enough for orders after the session,
# short enough that a forwarded link does not live forever.
MAX_OPEN_DAYS = 366


@transaction.atomic
def showcase_link_enable(
    *,
    session: Session,
    city: SisterCity,
    expires_on: dt.date,
    acting_user: AbstractBaseUser | None,
) -> ShowcaseLink:
    """Turn on (or extend) the showcase link of a session and city. A revoked link gets
    a new token: whoever had the old one keeps being refused."""
    today = timezone.localdate()
    if not session.cities.filter(pk=city.pk).exists():
        raise ValidationError(_("This city does not take part in the session."))
    if expires_on < today:
        raise ValidationError(_("The end date is in the past."))
    if expires_on > today + dt.timedelta(days=MAX_OPEN_DAYS):
        raise ValidationError(_("A showcase link stays open for at most a year."))
    link = ShowcaseLink.objects.select_for_update().filter(session=session, city=city).first()
    if link is None:
        link = ShowcaseLink(session=session, city=city, created_by=acting_user)
    elif link.revoked_at is not None:
        link.token = new_token()
        link.revoked_at = None
        link.revoked_by = None
    link.enabled = True
    link.expires_on = expires_on
    save_audited(link, acting_user=acting_user, reason="showcase link enabled")
    return link


@transaction.atomic
def showcase_link_revoke(
    *, link: ShowcaseLink, acting_user: AbstractBaseUser | None
) -> ShowcaseLink:
    link = ShowcaseLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = acting_user
        link.enabled = False
        save_audited(link, acting_user=acting_user, reason="showcase link revoked")
    return link


@transaction.atomic
def exchange_rate_record(
    *,
    currency: str,
    thb_per_unit: Decimal,
    rate_on: dt.date,
    acting_user: AbstractBaseUser | None,
) -> ExchangeRate:
    """FAO's rate of a day; entering the same day again corrects it."""
    if thb_per_unit <= 0:
        raise ValidationError(_("A rate is more than zero."))
    rate = ExchangeRate.objects.filter(currency=currency.upper(), rate_on=rate_on).first()
    if rate is None:
        rate = ExchangeRate(currency=currency.upper(), rate_on=rate_on)
    rate.thb_per_unit = thb_per_unit
    rate.entered_by = acting_user
    save_audited(rate, acting_user=acting_user, reason="exchange rate entered")
    return rate


def showcase_visit_count(*, link: ShowcaseLink, day: dt.date | None = None) -> None:
    """One more visit of the link today: one UPDATE, or one INSERT for the day's first."""
    day = day or timezone.localdate()
    if ShowcaseVisit.objects.filter(link=link, day=day).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ShowcaseVisit.objects.create(link=link, day=day, count=1)
    except IntegrityError:
        # Two first visits at once: the other one inserted the row.
        ShowcaseVisit.objects.filter(link=link, day=day).update(count=F("count") + 1)
