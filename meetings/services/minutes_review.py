"""The review round of the minutes, then approval by the convener, publication and correction.

A round goes to the units that attended; each answers by agreeing or commenting (per item or on the
whole) until the comment deadline. Revising starts a new revision; every round keeps its text, answers
and comments. After approval the text changes only through a correction, which starts a revision too.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from mechanism.models import Membership, MemberUnit, Role
from mechanism.services.common import after_commit, require_reason, run_transition
from mechanism.services.errors import ActionRefused

from .. import minutes_text
from ..access import may_approve_minutes, may_draft_minutes
from ..models import Attendance, MinutesComment, MinutesRevision, MinutesState, ReviewResponse
from ..notices.ics import item_label
from .minutes import check_approver, check_drafter, current_revision, locked_minutes
from .minutes_apply import apply_decisions, check_decisions_applicable

S = MinutesState
REVIEW_MAIL = "meetings.tasks.mail_minutes_review"
PUBLICATION_MAIL = "meetings.tasks.mail_minutes_published"


def _today(today):
    return today or timezone.localdate()


def send_minutes_for_review(minutes, deadline, by=None, today=None):
    """Send the current text to the units that attended, with a comment deadline; returns the revision."""
    check_drafter(by, minutes.meeting.mechanism)
    if not isinstance(deadline, datetime.date):
        raise ActionRefused(_("Give the comment deadline."))
    if deadline < _today(today):
        raise ActionRefused(_("The comment deadline cannot be in the past."))
    with locked_minutes(minutes) as fresh:
        if fresh.state not in (S.DRAFTED, S.REVISED):
            raise ActionRefused(_("Only drafted or revised minutes are sent for review."))
        reviewers = list(
            MemberUnit.objects.filter(
                Exists(Attendance.objects.filter(meeting_id=fresh.meeting_id, unit=OuterRef("pk")))
            ).order_by("pk")
        )
        if not reviewers:
            raise ActionRefused(_("Record the attendance first: the minutes go to the units that attended."))
        revision = current_revision(fresh, lock=True)
        revision.content = minutes_text.snapshot(fresh)
        revision.sent_at, revision.comment_deadline = timezone.now(), deadline
        revision.save(update_fields=["content", "sent_at", "comment_deadline"])
        revision.reviewers.set(reviewers)
        fresh.comment_deadline = deadline
        data = {"revision": revision.number, "deadline": deadline.isoformat(), "units": [u.name for u in reviewers]}
        run_transition(fresh, "send_for_review", by, "xianjie.minutes.review", data)
        after_commit(REVIEW_MAIL, revision.pk)
    return revision


def _answers_for(user, unit):
    """None is the system; a superuser may answer for any unit, a liaison for its own."""
    if user is None or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, unit=unit, role=Role.LIAISON).exists()


def _check_answer(minutes, unit, by, today):
    """The current round, if `unit` may still answer it and `by` answers for that unit."""
    if not _answers_for(by, unit):
        raise ActionRefused(_("Only a liaison of %(unit)s may answer for it.") % {"unit": unit.name})
    if minutes.state != S.IN_REVIEW:
        raise ActionRefused(_("The minutes are not in review."))
    revision = current_revision(minutes)
    if not revision.reviewers.filter(pk=unit.pk).exists():
        raise ActionRefused(_("%(unit)s was not asked to review these minutes.") % {"unit": unit.name})
    if revision.comment_deadline and _today(today) > revision.comment_deadline:
        raise ActionRefused(_("The comment deadline has passed."))
    return revision


def _answer(revision, unit, agreed, by):
    response, _created = ReviewResponse.objects.update_or_create(
        revision=revision, unit=unit, defaults={"agreed": agreed, "by": by}
    )
    return response


def agree_to_minutes(minutes, unit, by=None, today=None):
    with locked_minutes(minutes) as fresh:
        revision = _check_answer(fresh, unit, by, today)
        response = _answer(revision, unit, True, by)
        log(fresh, "xianjie.minutes.agree", user=by, data={"revision": revision.number, "unit": unit.name})
    return response


def comment_on_minutes(minutes, unit, text, agenda_item=None, by=None, today=None):
    """A comment on one agenda item, or on the whole when agenda_item is None; the unit's answer is 'commented'."""
    text = (text or "").strip()
    if not text:
        raise ActionRefused(_("Write the comment."))
    if agenda_item is not None and agenda_item.meeting_id != minutes.meeting_id:
        raise ActionRefused(_("The agenda item is not one of this meeting's."))
    with locked_minutes(minutes) as fresh:
        revision = _check_answer(fresh, unit, by, today)
        comment = MinutesComment.objects.create(revision=revision, unit=unit, agenda_item=agenda_item, text=text, by=by)
        _answer(revision, unit, False, by)
        # The label, not the title: a hand-typed case item's title may name the person.
        data = {"revision": revision.number, "unit": unit.name, "item": item_label(agenda_item) if agenda_item else ""}
        log(fresh, "xianjie.minutes.comment", user=by, data=data)
    return comment


def pending_reviewers(minutes):
    """Units asked in the current round that have not answered yet (empty when no round is open)."""
    revision = MinutesRevision.objects.filter(minutes=minutes, number=minutes.revision, sent_at__isnull=False).first()
    if revision is None:
        return []
    answered = ReviewResponse.objects.filter(revision=revision).values("unit_id")
    return list(revision.reviewers.exclude(pk__in=answered).order_by("pk"))


def _new_revision(minutes, by, reason, is_correction=False):
    minutes.revision += 1
    minutes.comment_deadline = None
    return MinutesRevision.objects.create(
        minutes=minutes, number=minutes.revision, reason=reason, is_correction=is_correction, created_by=by
    )


def revise_minutes(minutes, by=None, reason="", today=None):
    """Close the round and open a new revision for editing; the round's text and answers stay with its revision.

    Not while units may still answer: the revision could then be approved without the review it skipped.
    """
    check_drafter(by, minutes.meeting.mechanism)
    reason = (reason or "").strip()
    with locked_minutes(minutes) as fresh:
        if fresh.state != S.IN_REVIEW:
            raise ActionRefused(_("Only minutes in review are revised; edit drafted minutes directly."))
        count, deadline = _round_open(fresh, _today(today))
        if count:
            raise ActionRefused(
                ngettext(
                    "%(count)d unit has not answered yet; the comment deadline is %(date)s.",
                    "%(count)d units have not answered yet; the comment deadline is %(date)s.",
                    count,
                )
                % {"count": count, "date": deadline.isoformat()}
            )
        revision = _new_revision(fresh, by, reason)
        run_transition(fresh, "revise", by, "xianjie.minutes.revise", {"revision": revision.number, "reason": reason})
    return revision


def _round_open(minutes, today):
    """(units yet to answer, deadline) while the current round still waits for answers; (0, None) once closed."""
    pending = pending_reviewers(minutes)
    deadline = current_revision(minutes).comment_deadline
    if pending and deadline and today <= deadline:
        return len(pending), deadline
    return 0, None


def _check_round_closed(minutes, today):
    count, deadline = _round_open(minutes, today)
    if count:
        raise ActionRefused(
            ngettext(
                "%(count)d unit has not answered yet; approve once it has, or after the comment deadline "
                "(%(deadline)s).",
                "%(count)d units have not answered yet; approve once they have, or after the comment deadline "
                "(%(deadline)s).",
                count,
            )
            % {"count": count, "deadline": deadline.isoformat()}
        )


def approve_minutes(minutes, by=None, today=None):
    """The convener approves: the text is kept with the revision and the decisions become assignments."""
    today = _today(today)
    check_approver(by, minutes.meeting.mechanism)
    with locked_minutes(minutes) as fresh:
        if fresh.state in (S.APPROVED, S.PUBLISHED):
            raise ActionRefused(_("The minutes are approved already."))
        if fresh.state == S.DRAFTED:
            raise ActionRefused(_("Send the minutes for review before approving them."))
        if fresh.state == S.IN_REVIEW:
            _check_round_closed(fresh, today)
        check_decisions_applicable(fresh, today)
        now = timezone.now()
        fresh.approved_at, fresh.approved_by = now, by
        run_transition(fresh, "approve", by, "xianjie.minutes.approve", {"revision": fresh.revision})
        created = apply_decisions(fresh, by, today=today)
        # Kept after applying, so that the approved text says which decisions were carried out.
        revision = current_revision(fresh, lock=True)
        revision.content, revision.approved_at = minutes_text.snapshot(fresh), now
        revision.save(update_fields=["content", "approved_at"])
    return created


def publish_minutes(minutes, by=None):
    """Publish approved minutes to every member unit (mailed after commit, once per publication)."""
    mechanism = minutes.meeting.mechanism
    if by is not None and not (may_draft_minutes(by, mechanism) or may_approve_minutes(by, mechanism)):
        raise ActionRefused(_("Only the secretariat and the convener's liaisons may publish the minutes."))
    with locked_minutes(minutes) as fresh:
        if fresh.state != S.APPROVED:
            raise ActionRefused(_("Only approved minutes are published."))
        fresh.published_at, fresh.publication_mailed_at = timezone.now(), None
        run_transition(fresh, "publish", by, "xianjie.minutes.publish", {"revision": fresh.revision})
        after_commit(PUBLICATION_MAIL, fresh.pk)
    return minutes


def correct_minutes(minutes, reason, by=None):
    """Reopen approved or published minutes as a recorded correction: a new revision with its reason.

    Decisions already carried out stay so; only decisions added now are applied at the next approval.
    """
    check_drafter(by, minutes.meeting.mechanism)
    reason = require_reason(reason)
    with locked_minutes(minutes) as fresh:
        if fresh.state not in (S.APPROVED, S.PUBLISHED):
            raise ActionRefused(_("Only approved minutes are corrected; edit the text directly."))
        revision = _new_revision(fresh, by, reason, is_correction=True)
        run_transition(fresh, "correct", by, "xianjie.minutes.correct", {"revision": revision.number, "reason": reason})
    return revision
