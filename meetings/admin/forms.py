"""Forms of the meetings back office: they parse and check input; the services decide and save."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from mechanism.stamps import StampField

from ..models import AgendaItemKind, MeetingKind, MeetingState

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENDS_AFTER_START = _("A meeting ends after it starts.")


def aware(day, at):
    return datetime.datetime.combine(day, at, tzinfo=SHANGHAI)


def local(moment):
    return moment.astimezone(SHANGHAI)


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class TimesForm(forms.Form):
    """A date with a start and an end time in Asia/Shanghai; the end after the start."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))

    # Where a service's ValidationError on a model field is shown.
    FIELD_OF = {"starts_at": "date", "ends_at": "end_time"}

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", ENDS_AFTER_START)
            else:
                data["starts_at"], data["ends_at"] = aware(day, start), aware(day, end)
        return data

    def add_service_errors(self, error):
        """Put a service's ValidationError beside the fields it names (or above the form)."""
        named = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages in named.items():
            field = self.FIELD_OF.get(name, name)
            self.add_error(field if field in self.fields else None, messages)


class MeetingForm(TimesForm):
    """A new meeting; the convener follows from the date and is never typed."""

    mechanism = forms.ModelChoiceField(label=_("Mechanism"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, initial=MeetingKind.REGULAR)
    title = forms.CharField(label=_("Subject"), max_length=200, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    chair = forms.CharField(label=_("Chair"), max_length=100, required=False)
    invited_units = UnitChoiceField(
        label=_("Invited units"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    guests = forms.CharField(
        label=_("Guests"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One guest per line: name and organisation."),
    )  # fmt: skip

    field_order = ["mechanism", "kind", "title", "date", "start_time", "end_time", "place", "video_link", "chair"]

    def __init__(self, *args, mechanisms, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].queryset = mechanisms
        self.fields["invited_units"].queryset = units
        if len(mechanisms) == 1:
            self.fields["mechanism"].widget = forms.HiddenInput()
            self.fields["mechanism"].initial = mechanisms[0].pk

    def clean(self):
        data = super().clean()
        mechanism, units = data.get("mechanism"), data.get("invited_units")
        if mechanism and units and any(unit.mechanism_id != mechanism.pk for unit in units):
            self.add_error("invited_units", _("Invite only member units of this mechanism."))
        return data


class StateForm(forms.Form):
    """The state the page showed: a step posted from an old page is refused, not applied twice."""

    state = forms.ChoiceField(choices=MeetingState.choices, widget=forms.HiddenInput)


class StampedForm(StateForm):
    """Also the meeting's `updated_at` as the page showed it: a step on the meeting itself (notice, hold, cancel, a
    new time or place) from a page older than a change of its time or place is refused, not applied over it."""

    updated_at = StampField()


class RescheduleForm(StampedForm, TimesForm):
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class ReasonForm(StateForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class CancelForm(StampedForm, ReasonForm):
    pass


class AddItemForm(StateForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItemKind.choices, initial=AgendaItemKind.TOPIC)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600, initial=10)
    presenter = forms.ModelChoiceField(label=_("Presenter unit"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = units


class MoveForm(StateForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], widget=forms.HiddenInput)


class AttendanceForm(StateForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    person = forms.CharField(label=_("Person present"), max_length=100)
    arrived_late = forms.BooleanField(label=_("Arrived late"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ProposeTopicForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Your unit"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Topic"), max_length=300)
    minutes = forms.IntegerField(label=_("Minutes asked for"), min_value=1, max_value=600, initial=10)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MeetingFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["state"].choices = everything + list(MeetingState.choices)
        self.fields["kind"].choices = everything + list(MeetingKind.choices)
        self.fields["year"].choices = everything + [(str(y), str(y)) for y in years]

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        for name in ("state", "kind", "year"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        return queryset
