"""django-q2 tasks for meetings: thin, they call the service functions that do the work."""

import logging

from .minutes_mail import pending_minutes_mail, send_publication_mail, send_review_mail
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
    """Every 5 minutes: send what a lost or failed mail task left unsent: meeting notices (pending_meetings) and
    the minutes' review and publication batches (pending_minutes_mail). The ORM broker hands a failed or killed
    task back after Q_CLUSTER["retry"] seconds, up to max_attempts runs; the Redis broker pops a task and never
    hands it back. (The name is older than the minutes part; the schedule migration refers to it.)

    Returns {meeting pk: notices sent, "minutes-review:<round pk>" or "minutes-published:<minutes pk>": e-mails}.
    """
    rounds, published = pending_minutes_mail()
    jobs = [(pk, deliver_notices, pk) for pk in pending_meetings()]
    jobs += [(f"minutes-review:{pk}", send_review_mail, pk) for pk in rounds]
    jobs += [(f"minutes-published:{pk}", send_publication_mail, pk) for pk in published]
    done = {}
    for label, job, pk in jobs:
        try:
            done[label] = job(pk)
        except Exception as error:  # one batch must not stop the others; the class only: the text may name an address
            logger.warning("mail sweep: %s not completed: %s", label, type(error).__name__)
    return done
