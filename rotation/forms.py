"""The forms of the rotation screen: a swap and a defer, each with its reason and the decision that approved it.
They parse the input; rotation.services checks it against the rules and saves."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import Decision, DecisionKind, MinutesState

from .services import first_open_year

YEARS_AHEAD = 10
DECISION_LENGTH = 200  # RotationEvent.decision
LEFT_UNIT = gettext_lazy("Choose a unit that is a member of the mechanism today (a unit that has left cannot).")


class UnitField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=None, error_messages={"invalid_choice": LEFT_UNIT}, **kwargs)

    def label_from_instance(self, unit):
        return unit.name


class DecisionField(forms.ModelChoiceField):
    def label_from_instance(self, decision):
        return decision_reference(decision, 60)


def decision_reference(decision, length=DECISION_LENGTH):
    """“2026年第2次联席会议：<the decision's text>”, cut to `length` characters."""
    text = _("%(meeting)s: %(decision)s") % {"meeting": decision.item.minutes.meeting.name, "decision": decision.text}
    return text if len(text) <= length else text[: length - 1] + "…"


def approved_decisions(mechanism):
    """The decisions in the approved (or published) minutes of the mechanism, newest meeting first."""
    return (
        Decision.objects.filter(
            kind=DecisionKind.DECISION,
            item__minutes__meeting__mechanism=mechanism,
            item__minutes__state__in=[MinutesState.APPROVED, MinutesState.PUBLISHED],
        )
        .select_related("item__minutes__meeting")
        .order_by("-item__minutes__meeting__starts_at", "item__agenda_item__order", "order", "pk")
    )


class RotationEventForm(forms.Form):
    """What a swap and a defer share: the year, the reason and the decision (typed, or one picked from the
    approved minutes)."""

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.CharField(
        label=gettext_lazy("Decided by"),
        required=False,
        max_length=DECISION_LENGTH,
        help_text=gettext_lazy("The meeting decision or the document that approved it."),
    )
    meeting_decision = DecisionField(
        label=gettext_lazy("Or pick a decision from approved minutes"), queryset=None, required=False
    )

    def __init__(self, mechanism, today, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = first_open_year(mechanism, today)  # a year whose convener term has started cannot change
        self.fields["year"].choices = [(year, year) for year in range(first, first + YEARS_AHEAD + 1)]
        self.fields["meeting_decision"].queryset = approved_decisions(mechanism)
        for name in self.unit_fields:
            self.fields[name].queryset = mechanism.active_units(today)

    def clean(self):
        data = super().clean()
        if not (data.get("decision") or "").strip():
            picked = data.get("meeting_decision")
            if picked is None:
                self.add_error("decision", _("Name the decision that approved it (a meeting decision or a document)."))
            else:
                data["decision"] = decision_reference(picked)
        return data


class SwapForm(RotationEventForm):
    prefix = "swap"
    unit_fields = ("first", "second")

    first = UnitField(label=gettext_lazy("Unit"))
    second = UnitField(label=gettext_lazy("Swapped with"))
    field_order = ["first", "second", "year", "reason", "decision", "meeting_decision"]


class DeferForm(RotationEventForm):
    prefix = "defer"
    unit_fields = ("unit",)

    unit = UnitField(label=gettext_lazy("Unit"))
    field_order = ["unit", "year", "reason", "decision", "meeting_decision"]
