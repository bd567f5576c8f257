"""The handover screens: the handovers of the user's mechanisms, and one handover with its checklist, the open
items, the units' contacts, the signatures and the buttons for what this user may do now.

Reading follows the mechanism (404 otherwise); every change is a POST to its own URL (views_actions.py).
"""

from django.contrib import messages
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
from mechanism.models import Membership, Role
from mechanism.services.errors import ActionRefused

from ..models import Handover, HandoverState
from ..plans import local_date
from . import access
from .checklist import checklist_shown
from .services import coming_handover_year, create_handover, too_early_to_sign

H = HandoverState


class HandoversView(WagtailAdminTemplateMixin, View):
    header_icon = "repeat"
    page_title = gettext_lazy("Handovers")

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("rotation_handovers:index"), "label": _("Handovers")}]
        if self.get_page_title() != _("Handovers"):
            items.append({"url": "", "label": self.get_page_title()})
        return items

    def render(self, **context):
        return self.render_to_response(self.get_context_data(**context))


@method_decorator(never_cache, name="dispatch")
class IndexView(HandoversView):
    template_name = "rotation/handovers/index.html"

    def get(self, request):
        handovers = list(
            access.visible_handovers(request.user)
            .select_related("mechanism", "outgoing_unit", "incoming_unit")
            .order_by("-year", "-created_at", "-pk")
        )
        year = coming_handover_year(timezone.now())
        taken = {h.mechanism_id for h in handovers if h.year == year}
        creatable = [m for m in mechanism_access.managed_mechanisms(request.user).order_by("pk") if m.pk not in taken]
        return self.render(handovers=handovers, creatable=creatable, coming_year=year)


@method_decorator(never_cache, name="dispatch")
class CreateView(View):
    def post(self, request):
        try:
            pk = int(request.POST.get("mechanism_pk", ""))
        except ValueError:
            messages.error(request, _("Choose a mechanism."))
            return redirect("rotation_handovers:index")
        mechanism = mechanism_access.get_mechanism_for_user(request.user, pk)
        if not mechanism_access.can_manage_mechanism(request.user, mechanism):
            messages.error(request, _("Only the secretariat creates the handover."))
            return redirect("rotation_handovers:index")
        now = timezone.now()
        year = coming_handover_year(now)
        existed = Handover.objects.filter(mechanism=mechanism, year=year).first()
        try:
            handover = create_handover(mechanism, year, by=request.user, now=now)
        except ActionRefused as refused:
            messages.error(request, str(refused))
            return redirect("rotation_handovers:index")
        if existed:
            messages.info(request, _("The %(year)s handover already exists.") % {"year": year})
        else:
            messages.success(request, _("The %(year)s handover is created.") % {"year": year})
        return redirect("rotation_handovers:detail", pk=handover.pk)


def unit_rows(user, handover, manage, today):
    """The active units with their contacts' verification day and whether this user may verify them."""
    own = set(Membership.objects.filter(user=user, role=Role.LIAISON).values_list("unit_id", flat=True))
    units = list(handover.mechanism.units.active_on(today).order_by("-is_lead", "joined_on", "pk"))
    for unit in units:
        unit.may_verify = manage or unit.pk in own or user.is_superuser
    return units


@method_decorator(never_cache, name="dispatch")
class DetailView(HandoversView):
    template_name = "rotation/handovers/detail.html"

    def get_page_title(self):
        return str(self.handover)

    def get(self, request, pk):
        user, now = request.user, timezone.now()
        self.handover = handover = access.get_handover_for_user(user, pk)
        items = checklist_shown(handover, now)  # once signed: as it stood when signed
        missing = [item.label for item in items if not item.done]
        manage = access.may_manage(user, handover)
        state, prepare = handover.state, access.may_prepare(user, handover, now)
        # A signer sees the button from the start; before 1 January of the handover's year it is disabled.
        can = {
            "meeting_held": state == H.PREPARING and prepare,
            "open_items": state in (H.PLANNED, H.PREPARING, H.MEETING_HELD) and prepare,
            "sign_outgoing": state in (H.PREPARING, H.MEETING_HELD) and access.is_outgoing_signer(user, handover, now),
            "sign_incoming": state == H.SIGNED_OUTGOING and access.is_incoming_signer(user, handover),
        }
        too_early = too_early_to_sign(handover, now)
        outgoing_blocked, incoming_blocked = [], []
        if can["sign_outgoing"]:
            outgoing_blocked = [too_early] if too_early else []
            if state != H.MEETING_HELD:
                outgoing_blocked.append(_("The handover meeting has not been recorded as held."))
            if missing:
                outgoing_blocked.append(_("Not yet done: %(items)s.") % {"items": "; ".join(missing)})
        if can["sign_incoming"] and too_early:
            incoming_blocked = [too_early]
        return self.render(
            handover=handover,
            items=items,
            complete=not missing,
            units=unit_rows(user, handover, manage, local_date(now)),
            can=can,
            outgoing_blocked=outgoing_blocked,
            incoming_blocked=incoming_blocked,
            stamp=handover.updated_at.isoformat(),
            document_url=reverse("xianjie_documents:download", args=["handover", handover.pk]),
        )
