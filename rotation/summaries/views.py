"""The annual work summaries in the admin: the list of the user's mechanisms' summaries (and starting this
year's), one summary with its figures, charts, narrative and approvals, and the charts as PNG images.
A summary the user may not see is a 404; the actions are in views_actions.py."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from mechanism import access as mechanism_access
from mechanism.models import ConvenerTerm
from mechanism.services.errors import ActionRefused

from ..handovers.services import handover_year
from . import access, labels, services
from .charts import CHARTS, chart_png


class SummaryView(WagtailAdminTemplateMixin, View):
    header_icon = "doc-full"
    page_title = gettext_lazy("Annual work summaries")

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("rotation_summaries:index"), "label": self.page_title}]
        if getattr(self, "summary", None) is not None:
            items.append({"url": "", "label": self.get_page_title()})
        return items

    def render(self, status=200, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)


def current_years(mechanisms, now):
    """{mechanism pk: the year of its term covering `now`} (a term signed in December is the next year's); a
    mechanism without a convener now is left out. One query however many mechanisms."""
    terms = ConvenerTerm.objects.covering(now).filter(mechanism__in=mechanisms).order_by("mechanism", "starts_at")
    return {
        mechanism_pk: handover_year(starts_at)
        for mechanism_pk, starts_at in terms.values_list("mechanism", "starts_at")
    }


def current_year(mechanism, now):
    """The year of the mechanism's term covering `now`, or None."""
    return current_years([mechanism], now).get(mechanism.pk)


@method_decorator(never_cache, name="dispatch")
class IndexView(SummaryView):
    template_name = "rotation/summaries/index.html"

    def get(self, request):
        summaries = access.visible_summaries(request.user).select_related("mechanism__area", "convener_unit")
        summaries = list(summaries)
        existing = {(summary.mechanism_id, summary.year) for summary in summaries}
        managed = list(mechanism_access.managed_mechanisms(request.user).order_by("pk"))
        years = current_years(managed, timezone.now())
        startable = [
            (mechanism, years[mechanism.pk])
            for mechanism in managed
            if mechanism.pk in years and (mechanism.pk, years[mechanism.pk]) not in existing
        ]
        return self.render(summaries=summaries, startable=startable)


@method_decorator(never_cache, name="dispatch")
class StartView(View):
    def post(self, request, mechanism_pk):
        mechanism = mechanism_access.get_mechanism_for_user(request.user, mechanism_pk)
        if not access.may_start(request.user, mechanism):
            messages.error(request, _("Only the secretariat starts the annual work summary."))
            return redirect("rotation_summaries:index")
        year = current_year(mechanism, timezone.now())
        if year is None:
            messages.error(request, _("No unit holds the convener term now; there is no term to summarise."))
            return redirect("rotation_summaries:index")
        try:
            summary = services.start_summary(mechanism, year, by=request.user)
        except ActionRefused as error:
            messages.error(request, str(error))
            return redirect("rotation_summaries:index")
        messages.success(request, _("The %(year)s summary is started.") % {"year": year})
        return redirect("rotation_summaries:detail", summary.pk)


def permissions(user, summary):
    now = timezone.now()
    editor = access.may_edit(user, summary, now)
    return {
        "edit": editor,
        "approve": access.may_approve(user, summary, now),
        "return": access.may_return(user, summary, now),
    }


@method_decorator(never_cache, name="dispatch")
class DetailView(SummaryView):
    template_name = "rotation/summaries/detail.html"

    def get_page_title(self):
        return str(self.summary)

    def get(self, request, pk):
        self.summary = summary = access.get_summary_for_user(request.user, pk)
        figures = summary.figures or {}
        names = labels.unit_names(summary.mechanism) if figures else {}
        charts = [(str(title), reverse("rotation_summaries:chart", args=[pk, name])) for name, title in CHARTS.items()]
        return self.render(
            summary=summary,
            key_figures=labels.key_figures(figures) if figures else [],
            tables=labels.tables(figures, names) if figures else [],
            charts=charts if figures else [],
            can=permissions(request.user, summary),
            document_url=reverse("xianjie_documents:download", args=["summary", summary.pk]),
            updated_at=summary.updated_at.isoformat(),
        )


@method_decorator(never_cache, name="dispatch")
class ChartView(View):
    def get(self, request, pk, name):
        summary = access.get_summary_for_user(request.user, pk)
        if name not in CHARTS:
            raise Http404("No such chart.")
        response = HttpResponse(chart_png(summary, name), content_type="image/png")
        response["Cache-Control"] = "private, no-store"
        return response
