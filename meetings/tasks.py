"""django-q2 tasks for meetings: thin, they call the service functions that do the work."""

from .minutes_mail import send_publication_mail, send_review_mail
from .services.series import draft_next_meetings


def draft_series_meetings():
    """Daily: draft the next meeting of every active series that falls within 30 days."""
    return [meeting.pk for meeting in draft_next_meetings()]


def mail_minutes_review(revision_pk):
    """After a round is sent: the review request to the liaisons of the attending units (once)."""
    return send_review_mail(revision_pk)


def mail_minutes_published(minutes_pk):
    """After publication: the minutes to the liaisons of every active member unit (once per publication)."""
    return send_publication_mail(minutes_pk)
