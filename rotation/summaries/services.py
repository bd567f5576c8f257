"""The annual work summary's life: started from the data, its figures refreshed while drafting, the narrative
edited by the convener, submitted (the figures counted once more, so the text approved has the figures of the day
it was submitted), approved by the secretariat and by the convener. Row-locked, audit-logged.

The actions taken from a page accept `seen_updated_at`, the `updated_at` the page showed; without it the
caller's copy is the one compared. Either way the comparison is made once, under the row lock (`locked`)."""

import datetime
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism.services.errors import ActionRefused
from mechanism.stamps import check_stamp

from .. import log_actions  # noqa: F401  (registers the audit-log actions written here)
from ..models import AnnualSummary, SummaryState
from ..plans import SHANGHAI
from . import access
from .charts import warm_charts
from .figures import compute_figures, local_day

NARRATIVE_FIELDS = ("achievements", "problems", "plans")
NARRATIVE_MAX = 5000
S = SummaryState


def _count(summary, now):
    summary.figures = compute_figures(summary.mechanism, summary.period_start, summary.period_end, local_day(now))
    summary.figures_at = now
    # The charts of the new figures are drawn once the figures are saved, so that the first reader or
    # download after a count takes them from the cache (drawing all four costs about 200 ms).
    transaction.on_commit(lambda pk=summary.pk: warm_charts(pk))


def start_summary(mechanism, year, by=None, now=None):
    """The summary of `year`'s term, created once with its figures counted; a second call returns it.

    The period is the whole calendar year, 1 January to 31 December of `year`, whenever the term began: the days
    from 1 January to the January handover signature are in this year's summary too, so no day is left out of
    every year's summary. The convener unit is the one whose term is `year`'s."""
    now = now or timezone.now()
    existing = AnnualSummary.objects.filter(mechanism=mechanism, year=year).first()
    if existing is not None:
        return existing
    # A term signed in December is the next year's (see rotation.handovers.services.handover_year).
    december = datetime.datetime(year, 12, 1, tzinfo=SHANGHAI)
    term = mechanism.convener_terms.filter(starts_at__lt=december).order_by("-starts_at").select_related("unit")
    term = term.first()
    with transaction.atomic():
        summary, created = AnnualSummary.objects.get_or_create(
            mechanism=mechanism,
            year=year,
            defaults={
                "convener_unit": term.unit if term else None,
                "period_start": datetime.date(year, 1, 1),
                "period_end": datetime.date(year, 12, 31),
            },
        )
        if created:
            _count(summary, now)
            summary.save(update_fields=["figures", "figures_at", "updated_at"])
            log(summary, "xianjie.summary.create", user=by, data={"year": year})
    return summary


@contextmanager
def locked(summary, seen_updated_at=None):
    """A fresh copy under a row lock; refused when the caller's copy (or the page it showed) is older."""
    with transaction.atomic():
        fresh = AnnualSummary.objects.select_for_update().select_related("mechanism").get(pk=summary.pk)
        check_stamp(fresh, seen_updated_at or summary.updated_at)
        yield fresh
    summary.refresh_from_db()


def check_drafting(summary):
    if summary.state != S.DRAFTING:
        raise ActionRefused(_("The summary has been submitted; return it for changes first."))


def check_editor(user, summary, now=None):
    if user is not None and not access.is_editor(user, summary.mechanism, now):
        raise ActionRefused(_("Only the secretariat and the liaisons of the convening unit may edit the summary."))


def refresh_figures(summary, by, now=None, seen_updated_at=None):
    """Count the figures again (only while drafting)."""
    now = now or timezone.now()
    check_editor(by, summary, now)
    with locked(summary, seen_updated_at) as fresh:
        check_drafting(fresh)
        _count(fresh, now)
        fresh.save(update_fields=["figures", "figures_at", "updated_at"])
        log(fresh, "xianjie.summary.refresh", user=by)
    return summary


def clean_narrative(achievements, problems, plans):
    """The three sections stripped; refused when one is longer than NARRATIVE_MAX characters."""
    values = {"achievements": achievements, "problems": problems, "plans": plans}
    values = {name: (value or "").strip() for name, value in values.items()}
    labels = {"achievements": _("Achievements"), "problems": _("Problems"), "plans": _("Plans for next year")}
    for name, value in values.items():
        if len(value) > NARRATIVE_MAX:
            raise ActionRefused(
                _("%(section)s: %(length)s characters; at most %(max)s are allowed.")
                % {"section": labels[name], "length": len(value), "max": NARRATIVE_MAX}
            )
    return values


def update_narrative(summary, by, achievements, problems, plans, seen_updated_at=None, now=None):
    """Save the narrative sections (only while drafting; the convener's liaisons and the secretariat)."""
    check_editor(by, summary, now)
    values = clean_narrative(achievements, problems, plans)
    with locked(summary, seen_updated_at) as fresh:
        check_drafting(fresh)
        changed = [name for name in NARRATIVE_FIELDS if getattr(fresh, name) != values[name]]
        for name in changed:
            setattr(fresh, name, values[name])
        fresh.save(update_fields=[*NARRATIVE_FIELDS, "updated_at"])
        log(fresh, "xianjie.summary.edit", user=by, data={"fields": changed})
    return summary


def submit_summary(summary, by, now=None, seen_updated_at=None):
    """drafting → submitted, once the narrative says something; the figures are counted again, as of `now`, in
    the same locked transaction, so the summary submitted (and then approved) has the figures of its submission."""
    now = now or timezone.now()
    check_editor(by, summary, now)
    with locked(summary, seen_updated_at) as fresh:
        check_drafting(fresh)
        if not any(getattr(fresh, name).strip() for name in NARRATIVE_FIELDS):
            raise ActionRefused(_("Write the achievements, problems and plans before submitting the summary."))
        _count(fresh, now)
        fresh.submit()
        fresh.save()
        log(fresh, "xianjie.summary.submit", user=by, data={"figures_at": now.isoformat()})
    return summary


def return_summary(summary, by, reason, now=None, seen_updated_at=None):
    """submitted → drafting, with the reason; the approvals given so far are cleared."""
    reason = (reason or "").strip()
    if access.approver_side(by, summary, now) is None:
        raise ActionRefused(_("Only the secretariat and the convener approve or return the summary."))
    if not reason:
        raise ActionRefused(_("Say why the summary is returned."))
    if "\x00" in reason:  # PostgreSQL stores no NUL in text or JSON: refused like a form field refuses it
        raise ActionRefused(_("Null characters are not allowed."))
    with locked(summary, seen_updated_at) as fresh:
        if fresh.state != S.SUBMITTED:
            raise ActionRefused(_("Only a submitted summary can be returned."))
        fresh.return_for_changes()
        fresh.secretariat_approved_at = fresh.secretariat_approved_by = None
        fresh.convener_approved_at = fresh.convener_approved_by = None
        fresh.save()
        log(fresh, "xianjie.summary.return", user=by, data={"reason": reason[:500]})
    return summary


def approve_summary(summary, by, now=None, seen_updated_at=None):
    """The secretariat's or the convener's approval; with both the summary is approved."""
    now = now or timezone.now()
    side = access.approver_side(by, summary, now)
    if side is None:
        raise ActionRefused(_("Only the secretariat and the convener approve or return the summary."))
    with locked(summary, seen_updated_at) as fresh:
        if fresh.state != S.SUBMITTED:
            raise ActionRefused(_("Only a submitted summary can be approved."))
        if getattr(fresh, f"{side}_approved_at") is not None:
            raise ActionRefused(
                _("The secretariat has already approved this summary.")
                if side == "secretariat"
                else _("The convener has already approved this summary.")
            )
        setattr(fresh, f"{side}_approved_at", now)
        setattr(fresh, f"{side}_approved_by", by)
        if fresh.secretariat_approved_at and fresh.convener_approved_at:
            fresh.approve()
            fresh.approved_at = now
        fresh.save()
        log(fresh, "xianjie.summary.approve", user=by, data={"side": side, "approved": fresh.state == S.APPROVED})
    return summary
