"""Answer links: a signed token per meeting, unit and liaison, no login needed; the unit's last answer counts.

The token carries the meeting, unit and user keys under a salted signature, so a token of one meeting
can never answer another. It has no age limit of its own: it is refused once the meeting has ended
or was cancelled, or when the user is no longer a liaison of the unit. Using a token again is
allowed and simply replaces the unit's answer (every answer stays in the audit log).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from mechanism.models import Membership, MemberUnit, Role

from . import log_actions  # noqa: F401 — registers xianjie.meeting.answer before the first answer is logged
from .models import Answer, AnswerKind, Meeting, MeetingState

SALT = "xianjie.meetings.answer"
OPEN_STATES = (MeetingState.NOTICED, MeetingState.HELD)
NOT_VALID = _("This answer link is not valid. Please use the link in your notice e-mail.")


class TokenRefused(Exception):
    """A token that cannot be used: `status` 404 (never valid) or 410 (no longer valid), `message` to show."""

    def __init__(self, status, message):
        super().__init__(str(message))
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Grant:
    meeting: Meeting
    unit: MemberUnit
    user: object


def make_token(meeting, membership):
    return signing.dumps({"m": meeting.pk, "u": membership.unit_id, "p": membership.user_id}, salt=SALT)


def answer_url(meeting, membership):
    path = reverse("meeting_answers:answer", args=[make_token(meeting, membership)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def answers_closed(meeting, now=None):
    """Why the meeting takes no answers any more (a message), or None while it does."""
    if meeting.state == MeetingState.CANCELLED:
        return _("This meeting was cancelled; no answer is needed.")
    if meeting.state not in OPEN_STATES:
        return _("This meeting has not been noticed yet.")
    if (now or timezone.now()) >= meeting.ends_at:
        return _("This meeting is over; answers are closed.")
    return None


def read_token(token):
    """The Grant a token gives, or TokenRefused."""
    try:
        value = signing.loads(token, salt=SALT)
        meeting_pk, unit_pk, user_pk = int(value["m"]), int(value["u"]), int(value["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise TokenRefused(404, NOT_VALID) from None
    meeting = Meeting.objects.select_related("mechanism").filter(pk=meeting_pk).first()
    unit = MemberUnit.objects.filter(pk=unit_pk, mechanism_id=getattr(meeting, "mechanism_id", None)).first()
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if meeting is None or unit is None or user is None:
        raise TokenRefused(404, NOT_VALID)
    closed = answers_closed(meeting)
    if closed:
        raise TokenRefused(410, closed)
    if not Membership.objects.filter(user=user, unit=unit, role=Role.LIAISON).exists():
        raise TokenRefused(410, _("You no longer answer for this unit. Please ask its current liaison."))
    if not meeting.invited_units.filter(pk=unit.pk).exists():
        raise TokenRefused(410, _("Your unit is no longer invited to this meeting."))
    return Grant(meeting, unit, user)


def clean_answer(kind, attendee, reason):
    """The answer's fields, checked: a deputy needs a name, a decline needs a reason."""
    attendee, reason = (attendee or "").strip(), (reason or "").strip()
    errors = {}
    if kind not in AnswerKind.values:
        errors["kind"] = _("Choose whether your unit attends, sends a deputy or declines.")
    elif kind == AnswerKind.DEPUTY and not attendee:
        errors["attendee"] = _("Give the name of the deputy.")
    elif kind == AnswerKind.DECLINE and not reason:
        errors["reason"] = _("Give the reason for declining.")
    if errors:
        raise ValidationError(errors)
    if kind == AnswerKind.DECLINE:
        attendee = ""
    return attendee, reason


def record_answer(meeting, unit, kind, attendee="", reason="", by=None):
    """Record the unit's answer, replacing an earlier one, and log it; ValidationError on bad input."""
    closed = answers_closed(meeting)
    if closed:
        raise ValidationError({"kind": closed})
    attendee, reason = clean_answer(kind, attendee, reason)
    if kind == AnswerKind.ATTEND and not attendee and by is not None:
        attendee = by.get_full_name() or by.get_username()
    with transaction.atomic():
        answer, _created = Answer.objects.update_or_create(
            meeting=meeting,
            unit=unit,
            defaults={
                "kind": kind,
                "attendee": attendee,
                "reason": reason,
                "answered_by": by,
                "answered_at": timezone.now(),
            },
        )
        log(
            meeting,
            "xianjie.meeting.answer",
            user=by,
            data={"unit": unit.name, "kind": kind, "attendee": attendee, "reason": reason},
        )
    return answer
