"""Sending meeting notices (filled in by the notices work)."""


def deliver_notices(meeting_pk):
    """Send the meeting's current invitation (REQUEST) or cancellation (CANCEL) to every recipient not yet sent."""
