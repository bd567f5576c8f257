"""What every meetings screen shares: the admin furniture, breadcrumbs, who may convene, refusal messages."""

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .. import access


class MeetingsView(WagtailAdminTemplateMixin, View):
    header_icon = "calendar"
    breadcrumb_label = gettext_lazy("Meetings")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("meetings_admin:list"), "label": self.breadcrumb_label},
            {"url": "", "label": self.get_page_title()},
        ]

    def render(self, status=200, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)


def convenable_mechanisms(user):
    """The mechanisms in which the user may convene a meeting now (a list, one query)."""
    return access.convenable_mechanisms(user)


def form_error(request, form):
    errors = [str(e) for e in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            errors += [str(e) for e in field.errors]
    messages.error(request, " ".join([_("Nothing was saved: correct the marked fields."), *errors]))


def refused(request, error):
    messages.error(request, str(error))


def validation_error(request, error):
    """A service's django ValidationError (a field dict or a list) as one message."""
    texts = []
    if hasattr(error, "error_dict"):
        for errors in error.message_dict.values():
            texts += errors
    else:
        texts = list(error.messages)
    messages.error(request, " ".join([_("Nothing was saved."), *texts]))
