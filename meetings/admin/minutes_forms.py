"""Forms of the minutes screen: they parse and check input; the minutes services decide and save.

Every action form carries the state and the revision the page showed, so a step posted from an old page is
refused instead of applied to a text the user has not seen. Choice fields get their choices as plain lists
built once per page, so rendering a form per item and per decision reads nothing more from the database.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mechanism.services.errors import StaleObject
from mechanism.stamps import StampField, check_stamp

from ..models import DecisionKind, MinutesState

DATE = {"type": "date"}


def not_past(day):
    if day and day < timezone.localdate():
        raise forms.ValidationError(_("This date is in the past."), code="past")
    return day


class MinutesStateForm(forms.Form):
    """The minutes' state, revision and `updated_at` as the page showed them (the text changes within a revision)."""

    state = forms.ChoiceField(choices=MinutesState.choices, widget=forms.HiddenInput)
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    updated_at = StampField()

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup(choices or {})

    def setup(self, choices):
        """Give the choice fields their (already read) choices; see Choices in minutes.py."""

    def check_page(self, minutes):
        """StaleObject unless the page showed these minutes as they are (read under their row lock)."""
        data = self.cleaned_data
        if (data["state"], data["revision"]) != (minutes.state, minutes.revision):
            raise StaleObject()
        check_stamp(minutes, data["updated_at"])


class OpeningForm(MinutesStateForm):
    opening = forms.CharField(label=_("Opening paragraph"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SummaryForm(MinutesStateForm):
    item = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class DecisionFields(MinutesStateForm):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the text of the decision.")},
    )
    units = UnitsField(label=_("Responsible units"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs=DATE))
    expected_result = forms.CharField(
        label=_("Expected result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def setup(self, choices):
        # Checked against every unit of the mechanism, offered only the active ones: a unit that has left
        # gets its own message rather than "not one of the available choices".
        self.fields["units"].queryset = choices["all_units"]
        self.fields["units"].widget.choices = choices["unit_choices"]
        self.active_unit_ids = choices["active_unit_ids"]

    def clean_units(self):
        units = list(self.cleaned_data["units"])
        gone = [unit.name for unit in units if unit.pk not in self.active_unit_ids]
        if gone:
            raise forms.ValidationError(
                _("%(units)s no longer belongs to the mechanism.") % {"units": "、".join(gone)}, code="left"
            )
        return units

    def clean_due_on(self):
        return not_past(self.cleaned_data["due_on"])


class AddDecisionForm(DecisionFields):
    item = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices, initial=DecisionKind.DECISION)

    field_order = ["item", "kind", "text", "units", "due_on", "expected_result"]


class EditDecisionForm(DecisionFields):
    decision = forms.IntegerField(widget=forms.HiddenInput)


class RemoveDecisionForm(MinutesStateForm):
    decision = forms.IntegerField(widget=forms.HiddenInput)


class SendForm(MinutesStateForm):
    deadline = forms.DateField(label=_("Comments due by"), widget=forms.DateInput(attrs=DATE))

    def clean_deadline(self):
        return not_past(self.cleaned_data["deadline"])


class ReviseForm(MinutesStateForm):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectForm(MinutesStateForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason.")},
    )


class ReviewerForm(MinutesStateForm):
    """Answers for one of the user's reviewing units (a select only when the user has several)."""

    unit = forms.TypedChoiceField(label=_("For the unit"), coerce=int)

    def setup(self, choices):
        units = choices.get("reviewing", [])
        self.fields["unit"].choices = [(unit.pk, unit.name) for unit in units]
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = units[0].pk
        self.units = {unit.pk: unit for unit in units}

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class AgreeForm(ReviewerForm):
    pass


class CommentForm(ReviewerForm):
    agenda_item = forms.TypedChoiceField(label=_("On"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the comment.")},
    )

    def setup(self, choices):
        super().setup(choices)
        items = choices.get("agenda_items", [])
        self.fields["agenda_item"].choices = [("", _("The minutes as a whole")), *items]


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("Older revision"), coerce=int)
    new = forms.TypedChoiceField(label=_("Newer revision"), coerce=int)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Revision %(number)s") % {"number": n}) for n in numbers]
        self.fields["old"].choices = self.fields["new"].choices = choices
        if len(numbers) > 1:
            self.fields["old"].initial, self.fields["new"].initial = numbers[-2], numbers[-1]
