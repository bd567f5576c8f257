"""The summary's actions: edit the narrative (a form), count the figures again, submit, return with a reason,
approve. Each POST carries the `updated_at` the page showed, handed to the service, which refuses a page older
than the summary (a missing or garbled stamp is refused the same way); an action the user may not take and a
narrative that is not valid are refused too, each with a message and nothing changed."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import View

from mechanism.services.errors import ActionRefused
from mechanism.stamps import StampField, seen_stamp, stamp

from . import access, services
from .views import SummaryView


def section(label, rows):
    return forms.CharField(
        label=label, required=False, max_length=services.NARRATIVE_MAX, widget=forms.Textarea(attrs={"rows": rows})
    )


class NarrativeForm(forms.Form):
    """The three sections, each may be empty but must be sent: a section missing from the POST is an error, not
    an empty section (saving it would wipe what was written)."""

    updated_at = StampField()
    achievements = section(gettext_lazy("Main achievements"), 8)
    problems = section(gettext_lazy("Problems"), 6)
    plans = section(gettext_lazy("Work plan for next year"), 6)

    def clean(self):
        for name in services.NARRATIVE_FIELDS:
            if name not in self.data:
                self.add_error(name, _("This section was not sent; nothing is saved. Reload the page."))
        return self.cleaned_data


def error_messages(form):
    """One message per error, naming the section."""
    return [
        _("%(section)s: %(error)s") % {"section": form.fields[name].label, "error": error}
        if name in form.fields
        else error
        for name, errors in form.errors.items()
        for error in errors
    ]


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
        form = NarrativeForm(initial={**initial, "updated_at": stamp(summary)})
        return self.render(summary=summary, form=form, max_length=services.NARRATIVE_MAX)

    def post(self, request, pk):
        self.summary = summary = access.get_summary_for_user(request.user, pk)
        refused = self.refuse_unless_editor(request)
        if refused:
            return refused
        form = NarrativeForm(request.POST)
        try:
            seen = seen_stamp(request.POST)
            if not form.is_valid():
                for message in error_messages(form):
                    messages.error(request, message)
                return self.invalid(form)
            data = form.cleaned_data
            services.update_narrative(
                summary, request.user, data["achievements"], data["problems"], data["plans"], seen_updated_at=seen
            )
        except ActionRefused as error:
            messages.error(request, str(error))
            return self.invalid(form)
        messages.success(request, _("The narrative is saved."))
        return redirect("rotation_summaries:detail", summary.pk)

    def invalid(self, form):
        """The form again with what was written and its errors; nothing saved."""
        return self.render(status=400, summary=self.summary, form=form, max_length=services.NARRATIVE_MAX)


@method_decorator(never_cache, name="dispatch")
class ActionView(View):
    """One POST action on the summary: `run(summary, user, post, seen)` (given to as_view), `seen` the
    `updated_at` the page showed, returns the success message."""

    run = None

    def post(self, request, pk):
        summary = access.get_summary_for_user(request.user, pk)
        try:
            message = self.run(summary, request.user, request.POST, seen_stamp(request.POST))
        except ActionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect("rotation_summaries:detail", summary.pk)


def refresh(summary, user, post, seen):
    services.refresh_figures(summary, user, seen_updated_at=seen)
    return _("The figures are counted again.")


def submit(summary, user, post, seen):
    services.submit_summary(summary, user, seen_updated_at=seen)
    return _("The summary is submitted for approval by the secretariat and the convener.")


def return_for_changes(summary, user, post, seen):
    services.return_summary(summary, user, post.get("reason", ""), seen_updated_at=seen)
    return _("The summary is returned for changes.")


def approve(summary, user, post, seen):
    services.approve_summary(summary, user, seen_updated_at=seen)
    if summary.approved_at:
        return _("The summary is approved.")
    return _("Your approval is recorded; the summary awaits the other approval.")
