"""The summary's actions: edit the narrative (a form), count the figures again, submit, return with a reason,
approve. Each POST carries the `updated_at` the page showed: a page older than the summary is refused, and so
is an action the user may not take, each with a message and nothing changed."""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import View

from mechanism.services.errors import ActionRefused, StaleObject

from . import access, services
from .views import SummaryView


class NarrativeForm(forms.Form):
    updated_at = forms.CharField(widget=forms.HiddenInput)
    achievements = forms.CharField(
        label=gettext_lazy("Main achievements"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    problems = forms.CharField(label=gettext_lazy("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    plans = forms.CharField(
        label=gettext_lazy("Work plan for next year"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


def seen_updated_at(request, summary):
    """The `updated_at` the page showed; StaleObject when missing, malformed or older than the summary's."""
    try:
        seen = datetime.datetime.fromisoformat(request.POST.get("updated_at", ""))
    except ValueError:
        raise StaleObject() from None
    if seen != summary.updated_at:
        raise StaleObject()
    return seen


@method_decorator(never_cache, name="dispatch")
class EditView(SummaryView):
    template_name = "rotation/summaries/edit.html"

    def get_page_title(self):
        return _("Edit %(summary)s") % {"summary": self.summary}

    def refuse_unless_editor(self, request):
        if access.may_edit(request.user, self.summary, timezone.now()):
            return None
        messages.error(request, _("Only the secretariat and the convener's liaisons edit a summary being drafted."))
        return redirect("rotation_summaries:detail", self.summary.pk)

    def get(self, request, pk):
        self.summary = summary = access.get_summary_for_user(request.user, pk)
        refused = self.refuse_unless_editor(request)
        if refused:
            return refused
        initial = {name: getattr(summary, name) for name in services.NARRATIVE_FIELDS}
        form = NarrativeForm(initial={**initial, "updated_at": summary.updated_at.isoformat()})
        return self.render(summary=summary, form=form, max_length=services.NARRATIVE_MAX)

    def post(self, request, pk):
        self.summary = summary = access.get_summary_for_user(request.user, pk)
        refused = self.refuse_unless_editor(request)
        if refused:
            return refused
        form = NarrativeForm(request.POST)
        try:
            if not form.is_valid():
                raise StaleObject()
            seen = seen_updated_at(request, summary)
            data = form.cleaned_data
            services.update_narrative(
                summary, request.user, data["achievements"], data["problems"], data["plans"], seen_updated_at=seen
            )
        except ActionRefused as error:
            messages.error(request, str(error))
            return self.render(status=400, summary=summary, form=form, max_length=services.NARRATIVE_MAX)
        messages.success(request, _("The narrative is saved."))
        return redirect("rotation_summaries:detail", summary.pk)


@method_decorator(never_cache, name="dispatch")
class ActionView(View):
    """One POST action on the summary: `run(summary, user, post)` (given to as_view) returns the success message."""

    run = None

    def post(self, request, pk):
        summary = access.get_summary_for_user(request.user, pk)
        try:
            seen_updated_at(request, summary)
            message = self.run(summary, request.user, request.POST)
        except ActionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect("rotation_summaries:detail", summary.pk)


def refresh(summary, user, post):
    services.refresh_figures(summary, user)
    return _("The figures are counted again.")


def submit(summary, user, post):
    services.submit_summary(summary, user)
    return _("The summary is submitted for approval by the secretariat and the convener.")


def return_for_changes(summary, user, post):
    services.return_summary(summary, user, post.get("reason", ""))
    return _("The summary is returned for changes.")


def approve(summary, user, post):
    services.approve_summary(summary, user)
    if summary.approved_at:
        return _("The summary is approved.")
    return _("Your approval is recorded; the summary awaits the other approval.")
