"""The minutes' e-mails: the review request to the liaisons of the attending units, and the publication to the
liaisons of every active member unit with the minutes attached. Each recipient's copy is claimed (a MailDelivery
row keyed by the round or the publication) by a conditional update in the transaction that sends it, so a task run
twice mails once, and a batch that failed half-way sends only the rest when it runs again. The round's
review_mailed_at (the minutes' publication_mailed_at) is set once every copy went out (or was given up, see
meetings.delivery).

An incomplete batch is run again by the 5-minute sweep (meetings.tasks.deliver_pending_notices, see
pending_minutes_mail). The ORM broker also hands a failed or killed task back after Q_CLUSTER["retry"] seconds (up
to max_attempts runs); the Redis broker pops a task and never hands it back, so there only the sweep completes it."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mechanism.documents import registry
from mechanism.models import Membership, Role

from .delivery import GIVE_UP_AFTER, follow_address, record_failure
from .models import Decision, MailDelivery, Minutes, MinutesRevision, MinutesState

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SWEEP_BACK = datetime.timedelta(days=14)  # the sweep completes batches of rounds sent or minutes published since
logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """Some copies of a batch failed. The message names the batch, the count and the error classes, never an
    address: django-q2 keeps it in django_q_task.result."""


def minutes_link(meeting):
    try:
        path = reverse("meetings_admin:minutes", args=[meeting.pk])
    except NoReverseMatch:  # a deployment without the minutes screen: the meeting's screen lists them
        path = reverse("meetings_admin:meeting", args=[meeting.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def liaisons_of(units):
    """{user: [unit, ...]} for the active liaisons with an e-mail address of these units."""
    rows = (
        Membership.objects.filter(unit__in=units, role=Role.LIAISON, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "unit")
        .order_by("user__pk", "unit__pk")
    )
    found = defaultdict(list)
    for membership in rows:
        found[membership.user].append(membership.unit)
    return found


def _send_each(key, messages):
    """Send each (user, message) not yet sent (nor given up) under `key`, claiming it in the sending transaction;
    the count sent. A failed copy's claim rolls back and the others are still tried; then MailNotSent is raised
    (the task fails, the batch stays incomplete) and the next sweep sends what is left."""
    sent, failed = 0, []
    for user, message in messages:
        delivery, _created = MailDelivery.objects.get_or_create(key=key, user=user, defaults={"email": user.email})
        follow_address(MailDelivery, delivery, user.email)
        try:
            with transaction.atomic():
                claim = MailDelivery.objects.filter(pk=delivery.pk, sent_at=None, refusals__lt=GIVE_UP_AFTER)
                if not claim.update(sent_at=timezone.now()):
                    continue
                message.send()
        except Exception as error:  # noted on the row and logged by class; the others are still sent
            failed.append(record_failure(MailDelivery, delivery.pk, error))
            logger.warning("%s: e-mail delivery %s to user %s not sent: %s", key, delivery.pk, user.pk, failed[-1])
            continue
        sent += 1
    if failed:
        raise MailNotSent(f"{key}: {len(failed)} e-mail(s) not sent ({', '.join(sorted(set(failed)))})")
    return sent


def pending_minutes_mail(now=None):
    """(review round pks, minutes pks) whose batch a lost or failed task left incomplete, from the last 14 days:
    the current round of minutes still in review, and minutes still published."""
    since = (now or timezone.now()) - SWEEP_BACK
    rounds = MinutesRevision.objects.filter(
        review_mailed_at=None,
        sent_at__gte=since,
        minutes__state=MinutesState.IN_REVIEW,
        number=F("minutes__revision"),
    )
    published = Minutes.objects.filter(
        state=MinutesState.PUBLISHED, publication_mailed_at=None, published_at__gte=since
    )
    return [list(rows.order_by("pk").values_list("pk", flat=True)) for rows in (rounds, published)]


def send_review_mail(revision_pk):
    """Mail the review request of one round; returns how many e-mails went out (0 when already sent)."""
    revision = MinutesRevision.objects.select_related("minutes__meeting").filter(pk=revision_pk).first()
    if revision is None or revision.review_mailed_at:
        return 0
    meeting = revision.minutes.meeting
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Minutes for review: %(meeting)s") % {"meeting": meeting.name}
        for user, units in liaisons_of(revision.reviewers.all()).items():
            context = {
                "subject": subject,
                "meeting_name": meeting.name,
                "units": "、".join(unit.name for unit in units),
                "deadline": revision.comment_deadline.isoformat() if revision.comment_deadline else "",
                "link": minutes_link(meeting),
            }
            body = render_to_string("mail/minutes_review.txt", context)
            messages.append((user, EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])))
    sent = _send_each(f"minutes-review:{revision_pk}", messages)
    MinutesRevision.objects.filter(pk=revision_pk, review_mailed_at=None).update(review_mailed_at=timezone.now())
    return sent


def minutes_document(meeting):
    """(filename, bytes) of the minutes as .docx, or None while no "minutes" document kind is registered."""
    try:
        kind = registry.get_kind("minutes")
    except LookupError:
        return None
    obj = kind.get(meeting.pk)
    return kind.filename(obj), registry.render(kind, obj)


def _work_by_unit(minutes):
    """{unit pk: [line, ...]}: each unit's decisions and action items, for its liaisons' publication mail."""
    lines = defaultdict(list)
    decisions = Decision.objects.filter(item__minutes=minutes).prefetch_related("units").order_by("item", "order")
    for decision in decisions:
        due = _("due %(date)s") % {"date": decision.due_on.isoformat()} if decision.due_on else ""
        for unit in decision.units.all():
            lines[unit.pk].append(f"{decision.text} ({due})" if due else decision.text)
    return lines


def send_publication_mail(minutes_pk):
    """Mail the published minutes to the liaisons of every active member unit; returns the number of e-mails."""
    minutes = Minutes.objects.select_related("meeting__mechanism").filter(pk=minutes_pk).first()
    if minutes is None or minutes.publication_mailed_at:
        return 0
    meeting = minutes.meeting
    document = minutes_document(meeting)
    work = _work_by_unit(minutes)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Minutes published: %(meeting)s") % {"meeting": meeting.name}
        for user, units in liaisons_of(meeting.mechanism.active_units()).items():
            context = {
                "subject": subject,
                "meeting_name": meeting.name,
                "attached": document is not None,
                "action_items": [line for unit in units for line in work.get(unit.pk, [])],
                "link": minutes_link(meeting),
            }
            body = render_to_string("mail/minutes_published.txt", context)
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            if document is not None:
                message.attach(document[0], document[1], DOCX)
            messages.append((user, message))
    published = minutes.published_at.isoformat() if minutes.published_at else "-"  # each publication mails once
    sent = _send_each(f"minutes-published:{minutes_pk}:{published}", messages)
    Minutes.objects.filter(pk=minutes_pk, publication_mailed_at=None, published_at=minutes.published_at).update(
        publication_mailed_at=timezone.now()
    )
    return sent
