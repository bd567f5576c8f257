"""A new meeting: the form, then create_meeting; the convener follows from the date (shown on the meeting screen)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mechanism.models import Mechanism, MemberUnit
from mechanism.services.errors import ActionRefused

from .. import services
from .base import MeetingsView, convenable_mechanisms, form_error, refused
from .forms import MeetingForm


class NewMeetingView(MeetingsView):
    template_name = "meetings/admin/meeting_new.html"
    page_title = gettext_lazy("New meeting")
    header_icon = "plus"

    def setup_form(self, data=None):
        mechanisms = convenable_mechanisms(self.request.user)
        if not mechanisms:
            raise PermissionDenied
        ids = [m.pk for m in mechanisms]
        units = MemberUnit.objects.filter(mechanism_id__in=ids).select_related("mechanism").order_by("mechanism", "pk")
        active = MemberUnit.objects.filter(mechanism_id__in=ids).active_on(timezone.localdate())
        queryset = Mechanism.objects.filter(pk__in=ids).order_by("pk")
        initial = {"invited_units": list(active.values_list("pk", flat=True))}
        return MeetingForm(data, mechanisms=queryset, units=units, initial=initial)

    def get(self, request):
        return self.render(form=self.setup_form())

    def post(self, request):
        form = self.setup_form(request.POST)
        if not form.is_valid():
            form_error(request, form)
            return self.render(form=form)
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                data["mechanism"], kind=data["kind"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                place=data["place"], video_link=data["video_link"], chair=data["chair"], title=data["title"],
                invited_units=list(data["invited_units"]), guests=data["guests"], by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_errors(error)
            form_error(request, form)
            return self.render(form=form)
        except ActionRefused as error:
            refused(request, error)
            return self.render(form=form)
        messages.success(request, _("%(meeting)s created as a draft.") % {"meeting": meeting.name})
        return redirect("meetings_admin:meeting", meeting.pk)
