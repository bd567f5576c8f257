"""One meeting: header, the actions its state allows, the agenda, notice status and answers, attendance, quorum.

Every action is a POST to its own URL: 404 for a meeting the user may not see, a message (and nothing
changed) for one they may see but not convene, for a page older than the meeting's state, and for bad input.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from mechanism.models import Membership, Role
from mechanism.services.errors import ActionRefused, StaleObject
from mechanism.stamps import check_stamp, stamp

from .. import services
from ..access import get_meeting_for_user, may_convene
from ..models import AgendaItem, Attendance, MeetingState
from ..notices.sending import notice_status
from . import forms
from .base import MeetingsView, form_error, refused, validation_error
from .forms import local
from .minutes import document_links, minutes_panel

S = MeetingState
PREPARING = (S.DRAFT, S.NOTICED)
RECORDING = (S.NOTICED, S.HELD)
# The same words as the services' refusal (meetings.services.common.check_convener).
NOT_CONVENER = gettext_lazy(
    "Only the secretariat and the liaisons of the convening unit may convene and prepare meetings."
)


def _units(meeting):
    return meeting.mechanism.units.order_by("pk")


def _notice(meeting, item, data, by):
    if services.send_notice(meeting, by=by):
        return _("The notice of %(meeting)s is being sent.") % {"meeting": meeting.name}
    return _("Everyone invited already has this notice; nothing was sent.")


def _reschedule(meeting, item, data, by):
    changed = services.reschedule_meeting(meeting, data["starts_at"], data["ends_at"], place=data["place"], by=by)
    if changed:
        return _("%(meeting)s rescheduled; the new notice is being sent.") % {"meeting": meeting.name}
    return _("The time and place are unchanged; nothing was sent.")


def _edit(meeting, item, data, by):
    services.update_meeting(meeting, by, starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"])
    return _("The time and place of %(meeting)s are changed.") % {"meeting": meeting.name}


def _cancel(meeting, item, data, by):
    services.cancel_meeting(meeting, data["reason"], by=by)
    return _("%(meeting)s cancelled.") % {"meeting": meeting.name}


def _hold(meeting, item, data, by):
    services.hold_meeting(meeting, by=by)
    return _("%(meeting)s marked as held.") % {"meeting": meeting.name}


def _build(meeting, item, data, by):
    added = services.build_agenda(meeting, by=by)
    return _("Agenda built: %(count)d items added.") % {"count": len(added)}


def _add_item(meeting, item, data, by):
    services.add_item(meeting, data["title"], data["kind"], data["minutes"], presenter=data["presenter"], by=by)
    return _("Item “%(title)s” added to the agenda.") % {"title": data["title"]}


def _remove(meeting, item, data, by):
    services.remove_item(item, data["reason"], by=by)
    return _("Item “%(title)s” removed from the agenda.") % {"title": item.title}


def _move(meeting, item, data, by):
    ids = list(
        AgendaItem.objects.filter(meeting=meeting, removed_at=None).order_by("order", "pk").values_list("pk", flat=True)
    )
    if item.pk not in ids:
        raise ActionRefused(_("This item was removed from the agenda."))
    here = ids.index(item.pk)
    there = here - 1 if data["direction"] == "up" else here + 1
    if not 0 <= there < len(ids):
        return _("The item is already at that end of the agenda.")
    ids[here], ids[there] = ids[there], ids[here]
    services.reorder_items(meeting, ids, by=by)
    return _("Agenda reordered.")


def _attendance(meeting, item, data, by):
    services.record_attendance(
        meeting, data["unit"], data["person"], arrived_late=data["arrived_late"], note=data["note"], by=by
    )
    return _("Attendance of %(person)s (%(unit)s) recorded.") % {"person": data["person"], "unit": data["unit"].name}


def _remove_attendance(meeting, item, data, by):
    services.remove_attendance(item, by=by)
    return _("Attendance of %(person)s (%(unit)s) removed.") % {"person": item.person, "unit": item.unit.name}


@dataclass(frozen=True)
class Action:
    form: type
    run: object
    units: bool = False  # the form offers the mechanism's units
    on_item: bool = False
    target: type = AgendaItem  # what the item id of an item action names


ACTIONS = {
    "notice": Action(forms.StampedForm, _notice),
    "reschedule": Action(forms.RescheduleForm, _reschedule),
    "edit": Action(forms.RescheduleForm, _edit),
    "cancel": Action(forms.CancelForm, _cancel),
    "hold": Action(forms.StampedForm, _hold),
    "build": Action(forms.StateForm, _build),
    "add_item": Action(forms.AddItemForm, _add_item, units=True),
    "attendance": Action(forms.AttendanceForm, _attendance, units=True),
}
ITEM_ACTIONS = {
    "remove": Action(forms.ReasonForm, _remove, on_item=True),
    "move": Action(forms.MoveForm, _move, on_item=True),
}
ATTENDANCE_ACTIONS = {
    "remove_attendance": Action(forms.StateForm, _remove_attendance, on_item=True, target=Attendance),
}


def make_form(name, spec, meeting, data=None, initial=None):
    kwargs = {"units": _units(meeting)} if spec.units else {}
    shown = {"state": meeting.state, "updated_at": stamp(meeting)}
    return spec.form(data, initial={**shown, **(initial or {})}, auto_id=f"id_{name}_%s", **kwargs)


def check_page(meeting, seen):
    """StaleObject unless the page showed the meeting's state (and its stamp, for a step on the meeting itself);
    under the lock, services.locked_meeting compares the copy read here."""
    if seen["state"] != meeting.state:
        raise StaleObject()
    if "updated_at" in seen:
        check_stamp(meeting, seen["updated_at"])


def invitation_url(meeting):
    try:
        return reverse("meeting_invitation", args=[meeting.pk])
    except NoReverseMatch:  # the invitation download is wired in meetings/wagtail_hooks.py
        return None


@method_decorator(never_cache, name="dispatch")
class MeetingView(MeetingsView):
    template_name = "meetings/admin/meeting.html"

    def get_page_title(self):
        return str(self.meeting.name)

    def get(self, request, pk):
        self.meeting = get_meeting_for_user(request.user, pk)
        return self.show()

    def recipients_shown(self, meeting):
        """Everyone's notice status and answer for those who convene or read the whole mechanism; a liaison
        sees only its own units' rows (the people of other units are not a liaison's to see)."""
        rows = notice_status(meeting)
        user = self.request.user
        if self.may_act or reads_whole_mechanism(user, meeting.mechanism):
            return rows
        own = set(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
        return [row for row in rows if row.unit.pk in own]

    @cached_property
    def may_act(self):
        return may_convene(self.request.user, self.meeting.mechanism)

    def forms(self, bound):
        meeting = self.meeting
        start, end = local(meeting.starts_at), local(meeting.ends_at)
        times = {"date": start.date(), "start_time": start.time(), "end_time": end.time(), "place": meeting.place}
        initial = {"reschedule": times, "edit": times}
        built = {name: make_form(name, spec, meeting, initial=initial.get(name)) for name, spec in ACTIONS.items()}
        return {**built, **(bound or {})}

    def show(self, bound=None, status=200):
        meeting = self.meeting
        items = list(meeting.agenda_items.select_related("presenter", "case", "removed_by").order_by("order", "pk"))
        total, length = services.agenda_time(meeting)
        state = meeting.state
        minutes = minutes_panel(self.request.user, meeting)
        return self.render(
            status=status,
            meeting=meeting,
            start=local(meeting.starts_at),
            end=local(meeting.ends_at),
            convener=meeting.convener,
            quorum=services.quorum(meeting),
            may_act=self.may_act,
            can={
                "notice": state in PREPARING,
                "reschedule": state == S.NOTICED,
                "edit": state == S.DRAFT,
                "cancel": state in PREPARING,
                "hold": state == S.NOTICED,
                "agenda": state in PREPARING,
                "attendance": state in RECORDING,
            },
            items=[i for i in items if not i.is_removed],
            removed=[i for i in items if i.is_removed],
            agenda_total=total,
            agenda_length=length,
            agenda_over=total > length,
            invited=list(meeting.invited_units.order_by("pk")),
            recipients=self.recipients_shown(meeting),
            attendance=list(meeting.attendance.select_related("unit").order_by("unit", "pk")),
            invitation_url=invitation_url(meeting),
            minutes_panel=minutes,
            documents=document_links(meeting, with_minutes=bool(minutes and minutes["minutes"])),
            forms=self.forms(bound),
            bound_item=(bound or {}).get("remove_item"),
        )


def reads_whole_mechanism(user, mechanism):
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, unit__mechanism=mechanism, role__in=[Role.SECRETARIAT, Role.SUPERVISOR]
        ).exists()
    )


class MeetingActionView(MeetingView):
    """POST one action; the meeting's screen again (with the errors) or a redirect to it."""

    http_method_names = ["post"]

    def post(self, request, pk, action, item_pk=None):
        self.meeting = meeting = get_meeting_for_user(request.user, pk)
        spec = (ACTIONS if item_pk is None else {**ITEM_ACTIONS, **ATTENDANCE_ACTIONS})[action]
        item = get_object_or_404(spec.target, pk=item_pk, meeting=meeting) if spec.on_item else None
        if not self.may_act:
            messages.error(request, NOT_CONVENER)
            return redirect("meetings_admin:meeting", meeting.pk)
        form = make_form(action, spec, meeting, data=request.POST)
        bound = {"remove_item": item.pk} if action == "remove" else {action: form}
        if not form.is_valid():
            if "updated_at" in form.errors:  # a page without the meeting's stamp, or a garbled one
                refused(request, StaleObject())
                return redirect("meetings_admin:meeting", meeting.pk)
            form_error(request, form)
            return self.show(bound=bound)
        try:
            check_page(meeting, form.cleaned_data)
        except StaleObject as error:
            refused(request, error)
            return redirect("meetings_admin:meeting", meeting.pk)
        try:
            done = spec.run(meeting, item, form.cleaned_data, request.user)
        except ValidationError as error:
            if hasattr(form, "add_service_errors"):
                form.add_service_errors(error)
                form_error(request, form)
            else:
                validation_error(request, error)
            return self.show(bound=bound)
        except ActionRefused as error:
            refused(request, error)
            return self.show(bound=bound)
        messages.success(request, done)
        return redirect("meetings_admin:meeting", meeting.pk)
