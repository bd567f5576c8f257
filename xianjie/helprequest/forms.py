"""The public help request form: what a person tells, checked before it goes to the intake service."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mechanism import personal
from mechanism.models import CaseSource, ConsentMethod, HouseholdCategory, Need
from mechanism.services.intake import CaseReport

from .areas import area_choices, served_areas

# A field people never see; bots fill it. Its value is never rendered back.
HONEYPOT = "website"

# Fields of the intake service's ValidationError and where the form shows them (None: at the top).
SERVICE_FIELDS = {
    "person_name": "name",
    "phone": "phone",
    "area": "area",
    "needs": "needs",
    "household_category": "household_category",
    "consent_by": "name",
}

# Labels that are questions or sentences; the error summary names these fields shortly.
SUMMARY_LABELS = {
    "needs": _("What is needed"),
    "household_category": _("Household category"),
    "consent": _("Consent to share"),
}


class TelInput(forms.TextInput):
    input_type = "tel"


def household_choices():
    others = [choice for choice in HouseholdCategory.choices if choice[0] != HouseholdCategory.NONE]
    return [(HouseholdCategory.NONE, _("None of these, or not sure")), *others]


class HelpRequestForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Your name, or the name of the head of the household that needs help."),
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        help_text=_(
            "A mobile, or a landline with its area code, such as 138 0000 0000 or 0351-1234567. "
            "The secretariat calls you on this number."
        ),
        error_messages={"required": _("Enter a phone number the secretariat can call.")},
        widget=TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    area = forms.ChoiceField(
        label=_("Where the household lives"),
        help_text=_("Choose the county or district; if you are not sure, choose the city."),
        error_messages={
            "required": _("Choose the area where the household lives."),
            "invalid_choice": _("Choose the area where the household lives from the list."),
        },
    )
    needs = forms.MultipleChoiceField(
        label=_("What do you need help with?"),
        help_text=_("Choose one or more."),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one thing you need help with."),
            "invalid_choice": _("Choose at least one thing you need help with."),
            "invalid_list": _("Choose at least one thing you need help with."),
        },
    )
    needs_detail = forms.CharField(
        label=_("More about what you need"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    situation = forms.CharField(
        label=_("The household's situation"),
        required=False,
        max_length=2000,
        help_text=_("Who lives in the household, its income, illness or disability, and what has happened."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    household_category = forms.ChoiceField(
        label=_("Does the household already receive one of these?"),
        required=False,
        choices=household_choices,
        initial=HouseholdCategory.NONE,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the name, phone number, area and situation given here are shared with the secretariat "
            "of the joint mechanism for this area and with the member units it assigns the request to, "
            "only to help with this request."
        ),
        error_messages={"required": _("Tick the box to agree to share, or the request cannot be passed on.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.served = {entry.area.code: entry for entry in served_areas().values()}
        self.fields["area"].choices = [("", _("Choose the area")), *area_choices(self.served)]

    @classmethod
    def refilled(cls, data):
        """An unbound form showing what was posted (not the honeypot), for a request that was not processed."""
        initial = {}
        for name, field in cls.base_fields.items():
            initial[name] = data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else data.get(name)
        return cls(initial=initial)

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        personal.normalize_phone(phone)
        return phone

    def clean_area(self):
        return self.served[self.cleaned_data["area"]]

    def case_report(self):
        data = self.cleaned_data
        return CaseReport(
            person_name=data["name"],
            area=data["area"].area,
            needs=data["needs"],
            source=CaseSource.ONLINE_FORM,
            phone=data["phone"],
            household_category=data["household_category"] or HouseholdCategory.NONE,
            narrative=self.narrative(),
            consent_given=data["consent"],
            consent_by=data["name"],
            consent_method=ConsentMethod.ONLINE,
        )

    def narrative(self):
        """The free texts under headings in the site's default language, which the secretariat reads."""
        with translation.override(settings.LANGUAGE_CODE):
            headings = {"needs_detail": gettext("What is needed"), "situation": gettext("Household situation")}
        texts = [(headings[name], self.cleaned_data.get(name)) for name in headings]
        return "\n\n".join(f"{heading}:\n{text}" for heading, text in texts if text)

    def add_service_errors(self, error):
        """Show the intake service's ValidationError on the fields it concerns."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(SERVICE_FIELDS.get(name), ValidationError(messages))

    def error_links(self):
        """(anchor, label, message) for the error summary: each error links to its field."""
        links = [("request-form", "", message) for message in self.non_field_errors()]
        for field in self:
            anchor = f"{field.auto_id}_0" if field.use_fieldset else field.auto_id
            label = SUMMARY_LABELS.get(field.name, field.label)
            links += [(anchor, label, message) for message in field.errors]
        return links
