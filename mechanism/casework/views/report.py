"""The admin intake form: one more entry point to intake.report_case, with the duplicate guard's confirmation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...services.errors import ActionRefused, DuplicateSuspected
from ...services.intake import report_case
from .. import queries
from ..forms import ReportForm
from .base import CaseworkView, form_error, refused


class ReportView(CaseworkView):
    template_name = "casework/report.html"
    page_title = gettext_lazy("Report a case")

    def dispatch(self, request, *args, **kwargs):
        if not queries.report_mechanisms(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = ReportForm(user=request.user)
        mechanisms = list(form.fields["mechanism"].queryset[:2])
        if len(mechanisms) == 1:
            form.initial["mechanism"] = mechanisms[0].pk
        return self.render(form=form)

    def post(self, request):
        form = ReportForm(request.POST, user=request.user)
        if not form.is_valid():
            form_error(request, form)
            return self.render(form=form)
        data = form.cleaned_data
        try:
            case = report_case(data["mechanism"], form.to_report(), by=request.user, confirmed=data["confirmed"])
        except ValidationError as error:
            problems_by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for field, problems in problems_by_field.items():
                form.add_error(field if field in form.fields else None, problems)
            form_error(request, form)
            return self.render(form=form)
        except DuplicateSuspected as suspected:
            refused(request, suspected)
            return self.render(form=form, duplicates=suspected.warnings)
        except ActionRefused as error:
            refused(request, error)
            return self.render(form=form)
        messages.success(request, _("Case %(reference)s reported.") % {"reference": case.reference})
        return redirect("casework:case", case.pk)
