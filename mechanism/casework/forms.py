"""Forms of the casework screens. They check shape and choices; the services decide what may happen."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access
from ..models import (
    AssistanceKind,
    CaseSource,
    CaseState,
    ConsentMethod,
    FollowUpKind,
    Funding,
    HouseholdCategory,
    MemberUnit,
    Need,
    UnitKind,
    Urgency,
)
from ..services.intake import CaseReport
from . import queries

DATE = {"type": "date"}


def _blank(label, choices):
    return [("", label), *choices]


class Select(forms.Select):
    """A select that writes its options inline, where Django's own renders a template per option: the same HTML
    in about half the time. For flat choices only (no groups), as the filters have. Named as Django's so that
    Wagtail's field wrapper keeps its class (w-field--select)."""

    template_name = "casework/widgets/select.html"


class CaseFilterForm(forms.Form):
    """The filters of the queue and the case list, read from GET; a bad value is reported and ignored."""

    state = forms.ChoiceField(label=_("State"), required=False, widget=Select)
    need = forms.ChoiceField(
        label=_("Need"), required=False, choices=_blank(_("Any need"), Need.choices), widget=Select
    )
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=None, empty_label=_("Any area"), widget=Select
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=None, empty_label=_("Any unit"), widget=Select
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data, *, user, states=None):
        super().__init__(data)
        states = states or CaseState.values
        self.fields["state"].choices = _blank(_("Any state"), [(s, CaseState(s).label) for s in states])
        # The ids as a list: two short queries on them plan faster than two that nest the visibility subquery.
        mechanisms = list(access.visible_mechanisms(user).values_list("pk", flat=True))
        areas = queries.areas_within(mechanisms).order_by("code")
        units = MemberUnit.objects.filter(mechanism__in=mechanisms).order_by("mechanism__area__code", "-is_lead", "pk")
        self.offer("area", areas, ("pk", "name", "code"), "{1} ({2})")
        self.offer("unit", units, ("pk", "name"), "{1}")

    def offer(self, name, queryset, columns, label):
        """Validate against `queryset` but offer its rows read once as plain values, labelled as the models'
        __str__ does: a ModelChoiceField would iterate model instances through a server-side cursor (on
        PostgreSQL a DECLARE ... WITH HOLD and its round trips) every time the select is rendered."""
        field = self.fields[name]
        field.queryset = queryset
        rows = queryset.values_list(*columns)
        field.choices = [("", field.empty_label), *((row[0], label.format(*row)) for row in rows)]

    def apply(self, queryset, today):
        self.is_valid()
        data = self.cleaned_data
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("need"):
            queryset = queries.with_need(queryset, data["need"])
        if data.get("area"):
            queryset = queryset.filter(queries.in_area(data["area"]))
        if data.get("unit"):
            queryset = queryset.filter(queries.assigned_to_exists(data["unit"]))
        if data.get("overdue"):
            queryset = queryset.filter(queries.overdue_exists(today))
        return queryset


# Actions on a case ------------------------------------------------------------------------------


class StateForm(forms.Form):
    """Every action form carries the state the page showed, so an action on an old page is refused."""

    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj
        if obj is not None and not self.is_bound:
            self.initial.setdefault("state", obj.state)


def _text(label, rows=2, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _not_future(day, message):
    if day and day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


class DeclineForm(StateForm):
    reason = _text(_("Reason for declining"))


class TableForm(StateForm):
    note = _text(_("Note for the meeting"), required=False)


class EscalateForm(StateForm):
    reason = _text(_("Why the parent mechanism should take it"))


class ResolveForm(StateForm):
    summary = _text(_("How it was resolved"))


class ReopenForm(StateForm):
    reason = _text(_("Reason for reopening"))


class CloseForm(StateForm):
    verified_on = forms.DateField(
        label=_("Verification call on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    result = _text(_("Result of the verification call"))

    def clean_verified_on(self):
        return _not_future(self.cleaned_data["verified_on"], _("The verification call cannot be in the future."))


class ReferForm(StateForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=MemberUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text=_("Leave empty for the default: 10 working days, 3 if urgent, 1 in an emergency."),
    )
    task = _text(_("What is asked"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.obj
        units = case.mechanism.units.active_on(timezone.localdate()).exclude(
            pk__in=case.assignments.active().values("unit_id")
        )
        if not case.consent_given:
            # Without consent nothing about the person goes to a charity: such units are not offered.
            units = units.exclude(kind=UnitKind.CHARITY)
        self.fields["units"].queryset = units.order_by("-is_lead", "joined_on", "pk")

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on


class AssistanceForm(StateForm):
    unit = forms.ModelChoiceField(label=_("Unit that gave it"), queryset=MemberUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank("---------", AssistanceKind.choices))
    funding = forms.ChoiceField(label=_("Funding"), choices=_blank("---------", Funding.choices))
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, min_value=0.01, max_digits=12, decimal_places=2
    )
    service = forms.CharField(label=_("Service or goods"), required=False, max_length=200)
    confirmed = forms.BooleanField(label=_("I have read the warnings and still record this assistance"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean_given_on(self):
        return _not_future(self.cleaned_data["given_on"], _("Assistance cannot be recorded for a future date."))

    def clean(self):
        data = super().clean()
        if data.get("amount") is None and not (data.get("service") or "").strip() and not self.errors:
            raise forms.ValidationError(_("Give the amount or describe the service or goods."))
        return data


class RevealForm(forms.Form):
    field = forms.ChoiceField(label=_("Show in full"), choices=[("id_number", _("ID number")), ("phone", _("Phone"))])
    reason = forms.CharField(
        label=_("Why you need the full value"), min_length=4, max_length=300, help_text=_("Written to the access log.")
    )


# Actions on an assignment -----------------------------------------------------------------------


class AcknowledgeForm(StateForm):
    pass


class FollowUpForm(StateForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank("---------", FollowUpKind.choices))
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    text = _text(_("What happened"), rows=3)

    def clean_happened_on(self):
        return _not_future(self.cleaned_data["happened_on"], _("The date of a follow-up cannot be in the future."))


class CompleteForm(StateForm):
    outcome = _text(_("Outcome"), rows=3)


class ReturnForm(StateForm):
    reason = _text(_("Reason for returning"))


# Intake -------------------------------------------------------------------------------------------

REPORT_SOURCES = [(value, label) for value, label in CaseSource.choices if value != CaseSource.ESCALATION]


class ReportForm(forms.Form):
    mechanism = forms.ModelChoiceField(label=_("Mechanism"), queryset=None)
    source = forms.ChoiceField(label=_("Source"), choices=_blank("---------", REPORT_SOURCES))
    source_unit = forms.ModelChoiceField(label=_("Reporting unit"), queryset=None, required=False)
    person_name = forms.CharField(label=_("Name of the person or household head"), max_length=100)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=30)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    area = forms.ModelChoiceField(label=_("Area"), queryset=None)
    household_category = forms.ChoiceField(
        label=_("Household category"), choices=HouseholdCategory.choices, initial=HouseholdCategory.NONE
    )
    needs = forms.MultipleChoiceField(label=_("Needs"), choices=Need.choices, widget=forms.CheckboxSelectMultiple)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    narrative = _text(_("Situation"), rows=5, required=False)
    consent_given = forms.BooleanField(label=_("The person consents to sharing their details"), required=False)
    consent_by = forms.CharField(label=_("Consent given by"), required=False, max_length=100)
    consent_method = forms.ChoiceField(
        label=_("Consent given how"), required=False, choices=_blank("---------", ConsentMethod.choices)
    )
    consent_at = forms.DateTimeField(
        label=_("Consent given at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    confirmed = forms.BooleanField(label=_("I have read the warnings and still report this case"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mechanisms = queries.report_mechanisms(user)
        self.fields["mechanism"].queryset = mechanisms
        self.fields["source_unit"].queryset = queries.reporting_units(user).order_by("mechanism__area__code", "pk")
        self.fields["area"].queryset = queries.areas_within(mechanisms).order_by("code")
        if not access.managed_mechanisms(user).exists():
            # A liaison reports for its own unit only.
            self.fields["source_unit"].required = True

    def clean_consent_at(self):
        return _not_future(self.cleaned_data["consent_at"], _("Consent cannot be given in the future."))

    def clean(self):
        data = super().clean()
        if (
            data.get("source") == CaseSource.MEMBER_UNIT
            and not data.get("source_unit")
            and "source_unit" not in self.errors
        ):
            self.add_error("source_unit", _("Choose the member unit that reports the case."))
        return data

    def to_report(self):
        data = self.cleaned_data
        return CaseReport(
            person_name=data["person_name"],
            area=data["area"],
            needs=data["needs"],
            source=data["source"],
            id_number=data["id_number"],
            phone=data["phone"],
            address=data["address"],
            household_category=data["household_category"],
            urgency=data["urgency"],
            narrative=data["narrative"],
            consent_given=data["consent_given"],
            consent_by=data["consent_by"],
            consent_at=data["consent_at"],
            consent_method=data["consent_method"],
            source_unit=data["source_unit"],
        )
