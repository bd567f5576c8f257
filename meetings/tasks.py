"""django-q2 tasks for meetings: thin, they call the service functions that do the work."""

from .services.series import draft_next_meetings


def draft_series_meetings():
    """Daily: draft the next meeting of every active series that falls within 30 days."""
    return [meeting.pk for meeting in draft_next_meetings()]
