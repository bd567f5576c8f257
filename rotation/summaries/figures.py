"""The figures of an annual work summary, counted from the data of one period.

The summary of `year` covers the whole calendar year, 1 January to 31 December (see services.start_summary): the
days before the January handover signature belong to the year they fall in, so every day is in exactly one
year's summary. Codes and counts only, never words: the screens and the document name them when they show them.
Definitions:
- a day is an Asia/Shanghai day; the period runs from the start of `start` to the end of `end`;
- the period is counted up to and including `as_of`: its last day, or today when the period is not over;
- received: cases reported in the period; resolved: cases whose `resolved_at` is in the period; open at the end:
  cases reported by the end of `as_of`, not declined, and not resolved by then;
- handling time: days from report to resolution of the cases resolved in the period; the median, and the 90th
  percentile by the nearest rank (the smallest duration that at least 90% of them do not exceed), one decimal;
- overdue: assignments (of cases and action items) due in the period before `as_of` that were finished
  (completed or returned) after their due day, or not by the end of `as_of`; days overdue run from the due day to
  the day finished, or to `as_of`;
- action items: assignments without a case (from meeting decisions) made in the period; done when completed,
  returned when sent back, by the end of `as_of`; open otherwise;
- assistance: records given in the period, by funding: how many, the people (cases) helped, the money total,
  and `services` — help without a money amount (a service or goods);
- channels: help channels of the units that are members on `as_of`, and those verified in the period.
"""

import datetime
import math
import statistics
from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from mechanism.models import Assignment, AssignmentState, AssistanceRecord, Case, CaseState, HelpChannel
from meetings.models import Meeting, MeetingState

from ..plans import SHANGHAI

VERSION = 1
NO_UNIT = ""  # the key of cases no member unit reported


def _moment(day):
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)


def local_day(moment):
    """The Asia/Shanghai day of an aware moment."""
    return timezone.localtime(moment, SHANGHAI).date()


def nearest_rank(values, share):
    """The smallest value that at least `share` of the values do not exceed (values sorted)."""
    return values[max(math.ceil(share * len(values)), 1) - 1]


def _days(values):
    return round(values, 1) if values is not None else None


def compute_figures(mechanism, start, end, today=None):
    """A JSON-able dict of the period's figures; a bounded number of queries whatever the amount of data."""
    today = today or timezone.localdate()
    as_of = max(min(end, today), start)
    since, until = _moment(start), _moment(as_of + datetime.timedelta(days=1))
    return {
        "version": VERSION,
        "period": {"start": start.isoformat(), "end": end.isoformat(), "as_of": as_of.isoformat()},
        "meetings": _meetings(mechanism, since, until),
        **_cases(mechanism, since, until),
        "overdue": _overdue(mechanism, start, as_of),
        "action_items": _action_items(mechanism, since, until),
        "assistance": _assistance(mechanism, start, as_of),
        "channels": _channels(mechanism, start, as_of),
    }


def _meetings(mechanism, since, until):
    rows = (
        Meeting.objects.filter(mechanism=mechanism, state=MeetingState.HELD, starts_at__gte=since, starts_at__lt=until)
        .values("kind")
        .annotate(count=Count("pk"))
        .order_by("kind")
    )
    by_kind = {row["kind"]: row["count"] for row in rows}
    return {"held": sum(by_kind.values()), "by_kind": by_kind}


def _breakdown(rows):
    """Counts by source, need (a case may have several) and reporting unit."""
    by_need = Counter(need for row in rows for need in row["needs"] or [])
    return {
        "by_source": dict(sorted(Counter(row["source"] for row in rows).items())),
        "by_need": dict(sorted(by_need.items())),
        "by_unit": dict(sorted(Counter(row["unit"] or NO_UNIT for row in rows).items())),
    }


def _cases(mechanism, since, until):
    """Received, resolved and open at the end, with their breakdowns, the monthly counts and the handling time."""
    touching = Case.objects.filter(mechanism=mechanism, reported_at__lt=until).filter(
        Q(reported_at__gte=since) | Q(resolved_at__gte=since) | Q(resolved_at__isnull=True)
    )
    fields = ("source", "needs", "state", "reported_at", "resolved_at")
    rows = [
        dict(zip((*fields, "unit"), values, strict=True))
        for values in touching.values_list(*fields, "source_unit__code").order_by("pk")
    ]
    received = [row for row in rows if row["reported_at"] >= since]
    resolved = [row for row in rows if row["resolved_at"] and since <= row["resolved_at"] < until]
    still_open = [
        row
        for row in rows
        if row["state"] != CaseState.DECLINED and (row["resolved_at"] is None or row["resolved_at"] >= until)
    ]
    monthly = {"received": [0] * 12, "resolved": [0] * 12}
    for key, group, field in (("received", received, "reported_at"), ("resolved", resolved, "resolved_at")):
        for row in group:
            monthly[key][timezone.localtime(row[field], SHANGHAI).month - 1] += 1
    durations = sorted((row["resolved_at"] - row["reported_at"]).total_seconds() / 86400 for row in resolved)
    return {
        "cases": {
            "received": {"count": len(received), **_breakdown(received)},
            "resolved": {"count": len(resolved), **_breakdown(resolved)},
            "open_at_end": {"count": len(still_open), **_breakdown(still_open)},
            "monthly": monthly,
        },
        "handling_days": {
            "count": len(durations),
            "median": _days(statistics.median(durations)) if durations else None,
            "p90": _days(nearest_rank(durations, 0.9)) if durations else None,
        },
    }


def _overdue(mechanism, start, as_of):
    rows = Assignment.objects.filter(mechanism=mechanism, due_on__gte=start, due_on__lt=as_of).values_list(
        "unit__code", "due_on", "finished_at"
    )
    late, by_unit = [], Counter()
    for unit, due_on, finished_at in rows.order_by("pk"):
        finished = local_day(finished_at) if finished_at else None
        if finished is not None and finished > as_of:
            finished = None  # not finished within the period
        if finished is not None and finished <= due_on:
            continue  # on time
        late.append(((finished or as_of) - due_on).days)
        by_unit[unit] += 1
    late.sort()
    return {
        "count": len(late),
        "median_days": _days(statistics.median(late)) if late else None,
        "max_days": late[-1] if late else None,
        "by_unit": dict(sorted(by_unit.items())),
    }


def _action_items(mechanism, since, until):
    finished = Q(finished_at__lt=until)
    counts = Assignment.objects.filter(
        mechanism=mechanism, case__isnull=True, assigned_at__gte=since, assigned_at__lt=until
    ).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=finished & Q(state=AssignmentState.COMPLETED)),
        returned=Count("pk", filter=finished & Q(state=AssignmentState.RETURNED)),
    )
    return {**counts, "open": counts["total"] - counts["done"] - counts["returned"]}


def _money(amount):
    return str((amount or Decimal(0)).quantize(Decimal("0.01")))


def _assistance(mechanism, start, as_of):
    rows = (
        AssistanceRecord.objects.filter(mechanism=mechanism, given_on__gte=start, given_on__lte=as_of)
        .values("funding")
        .annotate(
            records=Count("pk"),
            cases=Count("case", distinct=True),
            money=Sum("amount"),
            services=Count("pk", filter=Q(amount__isnull=True)),
        )
        .order_by("funding")
    )
    result = {}
    for row in rows:
        funding = row.pop("funding")
        money = row.pop("money")
        result[funding] = {**row, "amount": _money(money)}
    return result


def _channels(mechanism, start, as_of):
    return (
        HelpChannel.objects.filter(unit__mechanism=mechanism)
        .current(today=as_of)
        .aggregate(
            total=Count("pk"),
            verified=Count("pk", filter=Q(last_verified_on__gte=start, last_verified_on__lte=as_of)),
        )
    )
