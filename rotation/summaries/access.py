"""Who may read and act on annual work summaries. Every reader of the mechanism reads them; the secretariat and
the liaisons of the unit convening now edit and submit them; the secretariat and the convener approve them.
Getters answer 404 for what the user may not see."""

from django.shortcuts import get_object_or_404

from mechanism import access as mechanism_access
from meetings.access import is_convener_liaison

from ..models import AnnualSummary, SummaryState


def visible_summaries(user):
    return AnnualSummary.objects.filter(mechanism__in=mechanism_access.visible_mechanisms(user))


def get_summary_for_user(user, pk):
    related = ("mechanism", "mechanism__area", "convener_unit", "secretariat_approved_by", "convener_approved_by")
    return get_object_or_404(visible_summaries(user).select_related(*related), pk=pk)


def manages(user, mechanism):
    """The mechanism's secretariat (and superusers)."""
    return mechanism_access.can_manage_mechanism(user, mechanism)


def is_editor(user, mechanism, now=None):
    return mechanism_access.is_staff_member(user) and (
        manages(user, mechanism) or is_convener_liaison(user, mechanism, now)
    )


def may_start(user, mechanism):
    return mechanism_access.is_staff_member(user) and manages(user, mechanism)


def may_edit(user, summary, now=None):
    """Edit the narrative, count the figures again and submit: while drafting."""
    return summary.state == SummaryState.DRAFTING and is_editor(user, summary.mechanism, now)


def approver_side(user, summary, now=None):
    """'secretariat', 'convener' or None: a user who is both approves for the secretariat."""
    if not mechanism_access.is_staff_member(user):
        return None
    if manages(user, summary.mechanism):
        return "secretariat"
    if is_convener_liaison(user, summary.mechanism, now):
        return "convener"
    return None


def may_approve(user, summary, now=None):
    """A submitted summary the user's side has not approved yet."""
    if summary.state != SummaryState.SUBMITTED:
        return False
    side = approver_side(user, summary, now)
    return side is not None and getattr(summary, f"{side}_approved_at") is None


def may_return(user, summary, now=None):
    return summary.state == SummaryState.SUBMITTED and approver_side(user, summary, now) is not None
