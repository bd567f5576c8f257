"""django-q2 tasks for meetings: thin, they call the service functions that do the work."""

import logging

from .minutes_mail import send_publication_mail, send_review_mail
from .notices.sending import deliver_notices, pending_meetings
from .services.series import draft_next_meetings

logger = logging.getLogger(__name__)


def draft_series_meetings():
    """Daily: draft the next meeting of every active series that falls within 30 days."""
    return [meeting.pk for meeting in draft_next_meetings()]


def mail_minutes_review(revision_pk):
    """After a round is sent: the review request to the liaisons of the attending units (once)."""
    return send_review_mail(revision_pk)


def mail_minutes_published(minutes_pk):
    """After publication: the minutes to the liaisons of every active member unit (once per publication)."""
    return send_publication_mail(minutes_pk)


def deliver_pending_notices():
    """Every 5 minutes: send what a lost or failed notice task left unsent (the Redis broker has no
    acknowledgement: a task popped by a killed cluster is gone). Returns {meeting pk: notices sent}."""
    done = {}
    for meeting_pk in pending_meetings():
        try:
            done[meeting_pk] = deliver_notices(meeting_pk)
        except Exception:  # one meeting must not stop the others
            logger.exception("notice sweep: meeting %s could not be delivered", meeting_pk)
    return done
