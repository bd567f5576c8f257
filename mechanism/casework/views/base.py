"""What every casework screen shares: the admin furniture, breadcrumbs, and the refusal messages."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from ...services.errors import ActionRefused, DuplicateSuspected, StaleObject


class CaseworkView(WagtailAdminTemplateMixin, View):
    header_icon = "clipboard-list"
    breadcrumb_label = gettext_lazy("Casework")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("casework:cases"), "label": self.breadcrumb_label},
            {"url": "", "label": self.get_page_title()},
        ]

    def render(self, status=200, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)


def form_error(request, form=None):
    """The one message for a form that came back with errors; the errors stand beside their fields."""
    errors = form.non_field_errors() if form is not None else []
    text = _("Nothing was saved: correct the marked fields.")
    messages.error(request, " ".join([text, *errors]))


def not_now(request, obj):
    """The page offered a step the object's state no longer allows (an old page, or a forged request)."""
    messages.error(
        request,
        _("%(object)s is “%(state)s”; that step is not possible now. Nothing was saved.")
        % {"object": obj, "state": obj.get_state_display()},
    )


def refused(request, error):
    """Show a service's refusal; a suspected duplicate is a warning to confirm, not an error."""
    if isinstance(error, DuplicateSuspected):
        messages.warning(request, str(error))
    else:
        messages.error(request, str(error))


def run_posted_action(view, obj, spec, action, possible, url_name):
    """The shared POST path of a case or assignment action: stale page, impossible step, bad form, refusal."""
    request = view.request
    if request.POST.get("state") != obj.state:
        messages.error(request, str(StaleObject()))
        return view.show()
    if not possible:
        not_now(request, obj)
        return view.show()
    form = spec.form(request.POST, obj=obj, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        form_error(request, form)
        return view.show(bound={action: form})
    try:
        done = spec.run(obj, form.cleaned_data, request.user)
    except ActionRefused as error:
        refused(request, error)
        return view.show(bound={action: form})
    messages.success(request, done)
    return redirect(url_name, obj.pk)
