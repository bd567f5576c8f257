"""The actions of the minutes screen: which form parses each, who may run it, and the service call it makes.

Each run function takes the minutes (fresh from the database), the object the action names (an item's
minutes or a decision, or None), the cleaned data and the user, and returns the success message.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import services
from ..models import AgendaItem, Decision, ItemMinutes
from . import minutes_forms as forms

# Who may run an action: checked in the view before the service is called (the service checks again, with
# the same words for drafting and approving: meetings.services.minutes.check_drafter and check_approver).
DRAFT, APPROVE, REVIEW = "draft", "approve", "review"

REFUSED = {
    DRAFT: gettext_lazy(
        "Only the secretariat and the liaisons of the convening unit may draft and publish the minutes."
    ),
    APPROVE: gettext_lazy("Only the convener approves the minutes."),
    REVIEW: gettext_lazy("Only a liaison of a unit asked to review this round may agree or comment."),
}


def _opening(minutes, target, data, by):
    services.update_minutes_opening(minutes, data["opening"], by=by)
    return _("Opening paragraph saved.")


def _summary(minutes, item, data, by):
    services.update_item_summary(item, data["summary"].strip(), by=by)
    return _("Summary of “%(title)s” saved.") % {"title": item.agenda_item.title}


def _add_decision(minutes, item, data, by):
    services.add_decision(
        item,
        data["kind"],
        data["text"],
        units=data["units"],
        due_on=data["due_on"],
        expected_result=data["expected_result"],
        by=by,
    )
    return _("Added to “%(title)s”.") % {"title": item.agenda_item.title}


def _edit_decision(minutes, decision, data, by):
    services.update_decision(
        decision,
        data["text"],
        units=data["units"],
        due_on=data["due_on"],
        expected_result=data["expected_result"],
        by=by,
    )
    return _("Decision saved.")


def _remove_decision(minutes, decision, data, by):
    services.remove_decision(decision, by=by)
    return _("Decision removed.")


def _send(minutes, target, data, by):
    services.send_minutes_for_review(minutes, data["deadline"], by=by)
    return _("The minutes are sent for review; comments are due by %(date)s.") % {"date": data["deadline"].isoformat()}


def _revise(minutes, target, data, by):
    revision = services.revise_minutes(minutes, by=by, reason=data["reason"])
    return _("Revision %(number)s started.") % {"number": revision.number}


def _approve(minutes, target, data, by):
    created = services.approve_minutes(minutes, by=by)
    count = len(created)
    return ngettext(
        "The minutes are approved; %(count)d assignment was created.",
        "The minutes are approved; %(count)d assignments were created.",
        count,
    ) % {"count": count}


def _publish(minutes, target, data, by):
    services.publish_minutes(minutes, by=by)
    return _("The minutes are published to all member units.")


def _correct(minutes, target, data, by):
    revision = services.correct_minutes(minutes, data["reason"], by=by)
    return _("Correction started as revision %(number)s.") % {"number": revision.number}


def _agree(minutes, target, data, by):
    services.agree_to_minutes(minutes, data["unit"], by=by)
    return _("%(unit)s agrees to the minutes.") % {"unit": data["unit"].name}


def _comment(minutes, target, data, by):
    item = None
    if data["agenda_item"]:
        item = AgendaItem.objects.filter(meeting_id=minutes.meeting_id, pk=data["agenda_item"]).first()
    services.comment_on_minutes(minutes, data["unit"], data["text"], agenda_item=item, by=by)
    return _("Comment of %(unit)s recorded.") % {"unit": data["unit"].name}


@dataclass(frozen=True)
class Action:
    form: type
    run: object
    who: str = DRAFT
    target: type = None  # the model a hidden id of the form names: an item's minutes or a decision
    field: str = ""  # that hidden field


ON_ITEM = {"target": ItemMinutes, "field": "item"}
ON_DECISION = {"target": Decision, "field": "decision"}

ACTIONS = {
    "opening": Action(forms.OpeningForm, _opening),
    "summary": Action(forms.SummaryForm, _summary, **ON_ITEM),
    "add_decision": Action(forms.AddDecisionForm, _add_decision, **ON_ITEM),
    "edit_decision": Action(forms.EditDecisionForm, _edit_decision, **ON_DECISION),
    "remove_decision": Action(forms.RemoveDecisionForm, _remove_decision, **ON_DECISION),
    "send": Action(forms.SendForm, _send),
    "revise": Action(forms.ReviseForm, _revise),
    "approve": Action(forms.MinutesStateForm, _approve, who=APPROVE),
    "publish": Action(forms.MinutesStateForm, _publish),
    "correct": Action(forms.CorrectForm, _correct),
    "agree": Action(forms.AgreeForm, _agree, who=REVIEW),
    "comment": Action(forms.CommentForm, _comment, who=REVIEW),
}
