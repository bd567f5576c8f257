"""The rotation screens: each mechanism the user reads, its coming conveners with the reasons, and the swaps
and defers recorded. Reading only; a mechanism the user may not see is a 404."""

from django.urls import include, path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from mechanism import access

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
        rows, error = [], None
        try:
            names, turns = mechanism_forecast(self.mechanism, 10)
            rows = [(turn.year, names.get(turn.unit, turn.unit), reason(turn, names)) for turn in turns]
        except RotationError as refused:
            error = str(refused)
        events = RotationEvent.objects.filter(mechanism=self.mechanism).select_related("unit", "other_unit")
        return self.render(mechanism=self.mechanism, rows=rows, error=error, events=list(events))


urlpatterns = [
    path("", MechanismsView.as_view(), name="index"),
    path("<int:pk>/", ForecastView.as_view(), name="forecast"),
]


def admin_urls():
    return [path("rotation/", include((urlpatterns, "rotation_admin"), namespace="rotation_admin"))]
