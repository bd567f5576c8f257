"""The meeting's current invitation as an .ics download, for those who may see the meeting."""

from django.http import Http404, HttpResponse
from django.urls import path

from mechanism import access as mechanism_access

from .access import get_meeting_for_user, may_convene
from .models import MeetingState, NoticeMethod
from .notices.ics import invitation
from .recipients import recipients


def may_receive_invitation(user, meeting):
    """The invitation names every recipient: only those who convene, and the invited units' people once noticed."""
    if may_convene(user, meeting.mechanism) or mechanism_access.can_manage_mechanism(user, meeting.mechanism):
        return True
    if meeting.state == MeetingState.DRAFT:
        return False
    return meeting.invited_units.filter(memberships__user=user).exists()


def invitation_download(request, pk):
    """METHOD:REQUEST, or CANCEL once cancelled, with the same UID and SEQUENCE as the e-mails; 404 for others."""
    meeting = get_meeting_for_user(request.user, pk)
    if not may_receive_invitation(request.user, meeting):
        raise Http404
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
