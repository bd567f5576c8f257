"""The rotation screens: each mechanism the user reads, its coming conveners with the reasons, and the swaps
and defers recorded; the secretariat records a swap or a defer there. A mechanism the user may not see is a 404;
a member who is not its secretariat gets a refusal message and nothing changes."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from mechanism import access
from mechanism.services.errors import ActionRefused

from . import services
from .forms import DeferForm, SwapForm
from .models import RotationEvent
from .plans import mechanism_forecast
from .rules import RotationError
from .wording import reason


class RotationView(WagtailAdminTemplateMixin, View):
    header_icon = "repeat"
    page_title = gettext_lazy("Rotation plan")

    def render(self, **context):
        return self.render_to_response(self.get_context_data(**context))


@method_decorator(never_cache, name="dispatch")
class MechanismsView(RotationView):
    template_name = "rotation/index.html"

    def get(self, request):
        return self.render(mechanisms=list(access.visible_mechanisms(request.user).select_related("area")))


@method_decorator(never_cache, name="dispatch")
class ForecastView(RotationView):
    template_name = "rotation/forecast.html"

    def get_page_title(self):
        return _("Rotation plan of %(mechanism)s") % {"mechanism": self.mechanism.name}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("rotation_admin:index"), "label": _("Rotation plan")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, pk):
        self.mechanism = access.get_mechanism_for_user(request.user, pk)
        return self.show()

    def show(self, **forms):
        rows, error = [], None
        try:
            names, turns = mechanism_forecast(self.mechanism, 10)
            rows = [(turn.year, names.get(turn.unit, turn.unit), reason(turn, names)) for turn in turns]
        except RotationError as refused:
            error = str(refused)
        events = RotationEvent.objects.filter(mechanism=self.mechanism).select_related("unit", "other_unit")
        if access.can_manage_mechanism(self.request.user, self.mechanism):
            today = timezone.localdate()
            forms.setdefault("swap_form", SwapForm(self.mechanism, today))
            forms.setdefault("defer_form", DeferForm(self.mechanism, today))
        return self.render(mechanism=self.mechanism, rows=rows, error=error, events=list(events), **forms)


class RecordEventView(ForecastView):
    """POST a swap or a defer: the forecast again with a message; the form kept when nothing was saved."""

    http_method_names = ["post"]

    def post(self, request, pk):
        self.mechanism = access.get_mechanism_for_user(request.user, pk)
        if not access.can_manage_mechanism(request.user, self.mechanism):
            messages.error(request, _("Only the secretariat of the mechanism may change its rotation plan."))
            return redirect("rotation_admin:forecast", self.mechanism.pk)
        today = timezone.localdate()
        form = self.form_class(self.mechanism, today, data=request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was saved: correct the marked fields."))
            return self.show(**{self.form_name: form})
        try:
            event = self.record(form.cleaned_data, request.user, today)
        except ActionRefused as error:
            messages.error(request, " ".join([_("Nothing was saved."), str(error)]))
            return self.show(**{self.form_name: form})
        messages.success(request, self.done(event))
        for handover in event.refreshed_handovers:
            messages.info(
                request,
                _("The %(year)s handover now goes to %(unit)s, as the forecast says.")
                % {"year": handover.year, "unit": handover.incoming_unit.name},
            )
        return redirect("rotation_admin:forecast", self.mechanism.pk)


class RecordSwapView(RecordEventView):
    form_class, form_name = SwapForm, "swap_form"

    def record(self, data, by, today):
        return services.record_swap(
            self.mechanism, data["first"], data["second"], data["year"], data["reason"], data["decision"], by, today
        )

    def done(self, event):
        return _("Recorded: %(first)s and %(second)s swap their places from %(year)s.") % {
            "first": event.unit.name,
            "second": event.other_unit.name,
            "year": event.year,
        }


class RecordDeferView(RecordEventView):
    form_class, form_name = DeferForm, "defer_form"

    def record(self, data, by, today):
        return services.record_defer(
            self.mechanism, data["unit"], data["year"], data["reason"], data["decision"], by, today
        )

    def done(self, event):
        return _("Recorded: %(unit)s is passed over in %(year)s.") % {"unit": event.unit.name, "year": event.year}


urlpatterns = [
    path("", MechanismsView.as_view(), name="index"),
    path("<int:pk>/", ForecastView.as_view(), name="forecast"),
    path("<int:pk>/swap/", RecordSwapView.as_view(), name="record_swap"),
    path("<int:pk>/defer/", RecordDeferView.as_view(), name="record_defer"),
]


def admin_urls():
    return [path("rotation/", include((urlpatterns, "rotation_admin"), namespace="rotation_admin"))]
