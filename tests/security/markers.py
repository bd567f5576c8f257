"""The texts of a mechanism's business as markers: what the crawler looks for on every screen.

Meetings (title, place, guests, reason for cancelling), agenda items, proposed topics, meeting series, minutes
(opening, item summaries, decisions, comments, reasons for revisions), annual summaries (narrative) and the
channels a unit keeps out of the public directory. Not unit names, public channels and brand projects: the public
pages show them to anyone (xianjie.models.MechanismHomePage, the directory).

A marker is the start of a text's first line (templates truncate and break lines), long enough not to be a
common word; a text the role may see on a screen of its own (the same words in its own mechanism) is no marker.
"""

from mechanism.models import HelpChannel
from meetings.models import AgendaItem, Decision, ItemMinutes, Meeting, MeetingSeries, MinutesComment, TopicProposal
from meetings.models import MinutesRevision as Revision
from rotation.models import AnnualSummary, RotationEvent

MIN_LENGTH = 6
MAX_LENGTH = 20


def fragment(text):
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    start = lines[0][:MAX_LENGTH] if lines else ""
    return start if len(start) >= MIN_LENGTH else ""


def _fragments(*querysets_and_fields):
    found = set()
    for queryset, fields in querysets_and_fields:
        for row in queryset.values_list(*fields):
            found.update(fragment(text) for text in row)
    return found - {""}


def mechanism_texts(mechanism_ids):
    """Fragments of the business of these mechanisms, minutes excluded (see minutes_texts)."""
    meetings = Meeting.objects.filter(mechanism_id__in=mechanism_ids)
    return _fragments(
        (meetings, ("title", "place", "guests", "cancel_reason")),
        (AgendaItem.objects.filter(meeting__in=meetings), ("title", "description", "removed_reason")),
        (TopicProposal.objects.filter(mechanism_id__in=mechanism_ids), ("title",)),
        (MeetingSeries.objects.filter(mechanism_id__in=mechanism_ids), ("name",)),
        (AnnualSummary.objects.filter(mechanism_id__in=mechanism_ids), ("achievements", "problems", "plans")),
        (RotationEvent.objects.filter(mechanism_id__in=mechanism_ids), ("reason",)),
        (HelpChannel.objects.filter(unit__mechanism_id__in=mechanism_ids, is_public=False), ("value", "description")),
    )


def minutes_texts(minutes):
    """Fragments of these minutes (a Minutes queryset)."""
    return _fragments(
        (minutes, ("opening",)),
        (ItemMinutes.objects.filter(minutes__in=minutes), ("summary",)),
        (Decision.objects.filter(item__minutes__in=minutes), ("text", "expected_result")),
        (MinutesComment.objects.filter(revision__minutes__in=minutes), ("text",)),
        (Revision.objects.filter(minutes__in=minutes), ("reason",)),
    )
