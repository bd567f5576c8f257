"""The annual work summary's life: started from the data, its figures refreshed while drafting, the narrative
edited by the convener, submitted, approved by the secretariat and by the convener."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .. import log_actions  # noqa: F401  (registers the audit-log actions written here)
from ..models import AnnualSummary
from ..plans import SHANGHAI


def start_summary(mechanism, year, by=None, now=None):
    """The summary of `year`'s term, created once with its figures counted; a second call returns it."""
    now = now or timezone.now()
    existing = AnnualSummary.objects.filter(mechanism=mechanism, year=year).first()
    if existing is not None:
        return existing
    term = mechanism.convener_terms.filter(starts_at__year__lte=year).order_by("-starts_at").first()
    start = timezone.localtime(term.starts_at, SHANGHAI).date() if term else datetime.date(year, 1, 1)
    with transaction.atomic():
        summary, created = AnnualSummary.objects.get_or_create(
            mechanism=mechanism,
            year=year,
            defaults={
                "convener_unit": term.unit if term else None,
                "period_start": max(start, datetime.date(year, 1, 1)),
                "period_end": datetime.date(year, 12, 31),
            },
        )
        if created:
            log(summary, "xianjie.summary.create", user=by, data={"year": year})
    return summary
