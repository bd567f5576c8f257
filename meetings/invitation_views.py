"""The meeting's current invitation as an .ics download, for those who may see the meeting."""

from django.http import HttpResponse
from django.urls import path

from .access import get_meeting_for_user
from .models import MeetingState, NoticeMethod
from .notices.ics import invitation
from .recipients import recipients


def invitation_download(request, pk):
    """METHOD:REQUEST, or CANCEL once cancelled, with the same UID and SEQUENCE as the e-mails; 404 for others."""
    meeting = get_meeting_for_user(request.user, pk)
    method = NoticeMethod.CANCEL if meeting.state == MeetingState.CANCELLED else NoticeMethod.REQUEST
    body = invitation(meeting, recipients(meeting), method)
    response = HttpResponse(body, content_type=f"text/calendar; method={method}; charset=UTF-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.year}-{meeting.number}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# Included under the admin (register_admin_urls) by the meetings admin: /admin/meetings/<pk>/invitation.ics
invitation_urlpatterns = [
    path("meetings/<int:pk>/invitation.ics", invitation_download, name="meeting_invitation"),
]
