"""Sending meeting notices: one e-mail per recipient and sequence, never twice.

Each recipient's NoticeDelivery row (meeting, user, method, sequence) is claimed by a conditional
update inside the transaction that sends the e-mail: if the send fails the claim rolls back and
the next run sends it; once committed, a second run (or a second worker) finds nothing to claim.
A raised SEQUENCE (reschedule, cancellation) makes new rows, so everyone hears of the change.

Delivery is at least once at the SMTP boundary: the claim and the send share one transaction, so a worker
killed after the SMTP server accepted the message and before the commit leaves the claim unset and the next run
sends it again. Such a copy carries the same Message-ID (derived from the delivery row, see message_id), so mail
clients and servers recognise it as the same message. Everywhere else it is exactly once: a second run, a second
worker or a retried task finds the committed claim and sends nothing.

Nothing is lost: a send that fails twice gives its claim back, and a task the broker lost with a killed cluster
(Redis has no acknowledgement) is made up by pending_meetings()/deliver_pending_notices, every few minutes: an
invitation until the meeting starts, a cancellation until two weeks after it would have ended. A recipient the
SMTP server refused for good is given up after a few runs (meetings.delivery); the logs name ids, never addresses.
"""

import datetime
import logging
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from mechanism.models import Membership, Role

from ..delivery import GIVE_UP_AFTER, follow_address, permanent, record_failure
from ..models import Answer, Meeting, MeetingState, NoticeDelivery, NoticeMethod
from ..recipients import recipients
from .ics import agenda, invitation
from .mail import build_notice

logger = logging.getLogger(__name__)
ATTEMPTS = 2  # a failed send is tried once more before the claim is given back
SWEEP_BACK = datetime.timedelta(days=14)  # the sweep sends cancellations of meetings from two weeks ago on


def message_id(delivery):
    """The delivery's own Message-ID: the same for every attempt, unique per recipient, method and sequence."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "xianjie.localhost"
    return f"<notice-{delivery.pk}-{delivery.method.lower()}-{delivery.sequence}@{domain}>"


def current_method(meeting):
    """REQUEST for a noticed meeting, CANCEL for a cancelled one that was noticed, else None."""
    if meeting.state == MeetingState.NOTICED:
        return NoticeMethod.REQUEST
    if (
        meeting.state == MeetingState.CANCELLED
        and meeting.deliveries.filter(method=NoticeMethod.REQUEST, sent_at__isnull=False).exists()
    ):
        return NoticeMethod.CANCEL
    return None


def recipients_by_user(meeting):
    """{user: [memberships]}: a liaison of two invited units gets one e-mail with both answer links."""
    grouped = {}
    for membership in recipients(meeting):
        grouped.setdefault(membership.user, []).append(membership)
    return grouped


def deliver_notices(meeting_pk):
    """Send the meeting's current invitation (REQUEST) or cancellation (CANCEL) to every recipient not yet sent."""
    meeting = Meeting.objects.select_related("mechanism").filter(pk=meeting_pk).first()
    method = current_method(meeting) if meeting else None  # a meeting deleted since the job was queued
    if method is None:
        return 0
    grouped = recipients_by_user(meeting)
    if not grouped:
        return 0
    items = agenda(meeting)
    ics = invitation(meeting, grouped, method, items=items)
    sent = 0
    for user, memberships in grouped.items():
        sent += send_one(meeting, user, memberships, method, ics, items)
    logger.info("meeting %s: %d %s notices sent (sequence %d)", meeting.pk, sent, method, meeting.sequence)
    return sent


def send_one(meeting, user, memberships, method, ics, items):
    """Claim and send one recipient's notice; 1 if this call sent it, else 0 (sent before, given up, or failed:
    then one warning with ids and the error's class, never its text, which names the address)."""
    delivery, _created = NoticeDelivery.objects.get_or_create(
        meeting=meeting,
        user=user,
        method=method,
        sequence=meeting.sequence,
        defaults={"unit": memberships[0].unit, "email": user.email},
    )
    follow_address(NoticeDelivery, delivery, user.email)
    failure = None
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                claimed = NoticeDelivery.objects.filter(
                    pk=delivery.pk, sent_at=None, refusals__lt=GIVE_UP_AFTER
                ).update(sent_at=timezone.now())
                if not claimed:
                    return 0
                message = build_notice(meeting, user, memberships, method, ics, items)
                message.extra_headers["Message-ID"] = message_id(delivery)
                message.send()
            return 1
        except Exception as error:  # noted on the row and logged by class; the next run tries again
            failure = error
            if permanent(error):
                break
    name = record_failure(NoticeDelivery, delivery.pk, failure)
    logger.warning("meeting %s: notice delivery %s to user %s not sent: %s", meeting.pk, delivery.pk, user.pk, name)
    return 0


def pending_meetings(now=None):
    """The pks of noticed meetings not yet started, and of cancelled meetings that end at most 14 days ago, that
    have a recipient still without a sent (or given up) notice of the current sequence: what a lost or failed
    deliver_notices task left. An invitation to a meeting that has begun is not sent any more.

    One query however many meetings are in the window (the sweep runs every five minutes): current_method's rule
    and the recipients' deliveries are asked as subqueries of the meeting rows, not meeting by meeting.
    """
    now = now or timezone.now()
    noticed = Q(state=MeetingState.NOTICED, starts_at__gt=now) & waiting_for(NoticeMethod.REQUEST)
    cancelled = (
        Q(state=MeetingState.CANCELLED, ends_at__gte=now - SWEEP_BACK)
        & Exists(
            NoticeDelivery.objects.filter(meeting=OuterRef("pk"), method=NoticeMethod.REQUEST, sent_at__isnull=False)
        )
        & waiting_for(NoticeMethod.CANCEL)
    )
    return list(Meeting.objects.filter(noticed | cancelled).order_by("starts_at", "pk").values_list("pk", flat=True))


def waiting_for(method):
    """Whether the meeting (the outer row) has a recipient without a sent or given-up notice of this method at its
    current sequence. The recipients are meetings.recipients.recipients() written as a subquery: the active
    liaisons with an e-mail address of the invited units."""
    done = NoticeDelivery.objects.filter(
        Q(sent_at__isnull=False) | Q(refusals__gte=GIVE_UP_AFTER, email=OuterRef("user__email")),
        meeting=OuterRef(OuterRef("pk")),
        method=method,
        sequence=OuterRef(OuterRef("sequence")),
        user=OuterRef("user"),
    )
    liaisons = Membership.objects.filter(unit__meetings=OuterRef("pk"), role=Role.LIAISON, user__is_active=True)
    return Exists(liaisons.exclude(user__email="").filter(~Exists(done)))


@dataclass(frozen=True)
class RecipientStatus:
    unit: object
    user: object
    email: str
    method: str | None
    sequence: int | None
    sent_at: object
    answer: Answer | None
    current: bool  # the recipient has the meeting's latest version


def notice_status(meeting):
    """Per current recipient (unit, user): the last notice sent to them and their unit's answer."""
    sent = {}
    for delivery in meeting.deliveries.filter(sent_at__isnull=False).order_by("sequence", "sent_at", "pk"):
        sent[delivery.user_id] = delivery
    answers = {answer.unit_id: answer for answer in meeting.answers.all()}
    rows = []
    for membership in recipients(meeting):
        delivery = sent.get(membership.user_id)
        rows.append(
            RecipientStatus(
                unit=membership.unit,
                user=membership.user,
                email=membership.user.email,
                method=delivery.method if delivery else None,
                sequence=delivery.sequence if delivery else None,
                sent_at=delivery.sent_at if delivery else None,
                answer=answers.get(membership.unit_id),
                current=bool(delivery and delivery.sequence == meeting.sequence),
            )
        )
    return rows
