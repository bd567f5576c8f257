"""Proposed topics: a liaison proposes one for its unit; the secretariat sees them all, and where they went."""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mechanism import access as mechanism_access
from mechanism.models import Membership, MemberUnit, Role
from mechanism.services.errors import ActionRefused

from .. import services
from ..models import AgendaItem, TopicProposal
from .base import MeetingsView, form_error, refused
from .forms import ProposeTopicForm


def proposing_units(user):
    """Active units the user may propose for: its own as liaison, every unit of a mechanism it runs."""
    units = MemberUnit.objects.filter(
        Q(pk__in=mechanism_access.acting_unit_ids(user)) | Q(mechanism__in=mechanism_access.managed_mechanisms(user))
    )
    return units.active_on(timezone.localdate()).select_related("mechanism").order_by("mechanism", "pk")


def visible_proposals(user):
    """The secretariat and supervisors: their mechanisms' proposals; a liaison: its own units'."""
    if not mechanism_access.is_staff_member(user):
        return TopicProposal.objects.none()
    if user.is_superuser:
        return TopicProposal.objects.all()
    whole = Membership.objects.filter(user=user, role__in=[Role.SECRETARIAT, Role.SUPERVISOR])
    return TopicProposal.objects.filter(
        Q(mechanism_id__in=whole.values("unit__mechanism_id")) | Q(unit_id__in=mechanism_access.acting_unit_ids(user))
    )


class TopicsView(MeetingsView):
    template_name = "meetings/admin/topics.html"
    page_title = gettext_lazy("Proposed topics")
    header_icon = "list-ul"

    def form(self, data=None):
        units = proposing_units(self.request.user)
        return ProposeTopicForm(data, units=units) if units.exists() else None

    def show(self, form):
        on_agenda = Prefetch(
            "agenda_items", queryset=AgendaItem.objects.select_related("meeting").order_by("pk"), to_attr="placed"
        )
        proposals = (
            visible_proposals(self.request.user)
            .select_related("unit", "mechanism", "proposed_by")
            .prefetch_related(on_agenda)
            .order_by("-proposed_at", "-pk")
        )
        return self.render(form=form, proposals=proposals)

    def get(self, request):
        return self.show(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form is None:
            messages.error(request, _("Only the secretariat or a liaison of the unit may propose a topic for it."))
            return redirect("meetings_admin:topics")
        if not form.is_valid():
            form_error(request, form)
            return self.show(form)
        data = form.cleaned_data
        try:
            services.propose_topic(
                data["unit"].mechanism, data["unit"], data["title"], data["minutes"], by=request.user
            )
        except ActionRefused as error:
            refused(request, error)
            return self.show(form)
        messages.success(request, _("Topic “%(title)s” proposed.") % {"title": data["title"]})
        return redirect("meetings_admin:topics")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]
