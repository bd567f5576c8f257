"""The filing export in the admin: resolved cases of a period, CSV or XLSX, masked unless allowed and reasoned."""

import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from ... import access
from ...filing import export_filing
from ...services.errors import ActionRefused
from .base import CaseworkView, form_error, refused

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class FilingForm(forms.Form):
    mechanism = forms.ModelChoiceField(label=_("mechanism"), queryset=None)
    start = forms.DateField(label=_("resolved from"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("resolved up to"), widget=forms.DateInput(attrs={"type": "date"}))
    fmt = forms.ChoiceField(label=_("format"), choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")])
    full_ids = forms.BooleanField(label=_("full ID numbers (written to the access log)"), required=False)
    reason = forms.CharField(label=_("reason for full ID numbers"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].queryset = access.visible_mechanisms(user)


class FilingView(CaseworkView):
    template_name = "casework/filing.html"
    page_title = _("Filing export")

    def dispatch(self, request, *args, **kwargs):
        if not access.visible_mechanisms(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(form=FilingForm(user=request.user))

    def post(self, request):
        form = FilingForm(request.POST, user=request.user)
        if not form.is_valid():
            form_error(request, form)
            return self.render(form=form)
        data = form.cleaned_data
        stream = io.StringIO() if data["fmt"] == "csv" else io.BytesIO()
        try:
            export_filing(
                data["mechanism"], data["start"], data["end"], stream, by=request.user, fmt=data["fmt"],
                full_ids=data["full_ids"], reason=data["reason"],
            )  # fmt: skip
        except ActionRefused as error:
            refused(request, error)
            return self.render(form=form)
        body = stream.getvalue()
        response = HttpResponse(
            body.encode("utf-8") if isinstance(body, str) else body, content_type=CONTENT_TYPES[data["fmt"]]
        )
        name = f"filing-{data['mechanism'].area.code}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.{data['fmt']}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
