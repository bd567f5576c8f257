"""One case: the person (masked), needs, consent, escalation, assignments, assistance, the guard's warnings,
the timeline, and the secretariat's actions. Every showing is written to the access log."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_fsm import can_proceed

from ... import access
from ...models import Case, CaseState, FollowUp, MemberUnit
from ...personal import mask_id_number, mask_phone
from ...services import assistance as assistance_service
from ...services import triage
from ...services.errors import ActionRefused, DuplicateSuspected, StaleObject
from ...services.guard import check_person
from .. import forms, queries
from ..timeline import build_timeline
from .base import CaseworkView, form_error, refused, run_posted_action


def _accept(case, data, by):
    triage.accept_case(case, by=by)
    return _("Case %(reference)s accepted.") % {"reference": case.reference}


def _decline(case, data, by):
    triage.decline_case(case, data["reason"], by=by)
    return _("Case %(reference)s declined.") % {"reference": case.reference}


def _refer(case, data, by):
    created = triage.refer_case(case, list(data["units"]), by=by, due_on=data["due_on"], task=data["task"])
    names = "、".join(assignment.unit.short_name for assignment in created)
    return _("Case %(reference)s referred to %(units)s.") % {"reference": case.reference, "units": names}


def _table(case, data, by):
    triage.table_case(case, by=by, note=data["note"])
    return _("Case %(reference)s tabled for the next meeting.") % {"reference": case.reference}


def _escalate(case, data, by):
    upper = triage.escalate_case(case, data["reason"], by=by)
    return _("Case %(reference)s escalated; the parent mechanism's case is %(upper)s.") % {
        "reference": case.reference,
        "upper": upper.reference,
    }


def _resolve(case, data, by):
    triage.resolve_case(case, data["summary"], by=by)
    return _("Case %(reference)s resolved.") % {"reference": case.reference}


def _close(case, data, by):
    triage.close_case(case, data["verified_on"], data["result"], by=by)
    return _("Case %(reference)s closed.") % {"reference": case.reference}


def _reopen(case, data, by):
    triage.reopen_case(case, data["reason"], by=by)
    return _("Case %(reference)s reopened.") % {"reference": case.reference}


@dataclass(frozen=True)
class CaseAction:
    form: type
    transition: str
    title: str
    run: object


CASE_ACTIONS = {
    "accept": CaseAction(forms.StateForm, "accept", gettext_lazy("Accept"), _accept),
    "decline": CaseAction(forms.DeclineForm, "decline", gettext_lazy("Decline"), _decline),
    "refer": CaseAction(forms.ReferForm, "refer", gettext_lazy("Refer to units"), _refer),
    "table": CaseAction(forms.TableForm, "table", gettext_lazy("Table for the next meeting"), _table),
    "escalate": CaseAction(forms.EscalateForm, "escalate", gettext_lazy("Escalate to the parent mechanism"), _escalate),
    "resolve": CaseAction(forms.ResolveForm, "resolve", gettext_lazy("Resolve"), _resolve),
    "close": CaseAction(forms.CloseForm, "close", gettext_lazy("Close after the verification call"), _close),
    "reopen": CaseAction(forms.ReopenForm, "reopen", gettext_lazy("Reopen"), _reopen),
}


@method_decorator(never_cache, name="dispatch")
class CaseDetailView(CaseworkView):
    template_name = "casework/case_detail.html"

    def get_page_title(self):
        return self.case.reference

    def get(self, request, pk):
        self.case = access.get_case_for_user(request.user, pk)
        return self.show()

    def post(self, request, pk):
        self.case = case = access.get_case_for_user(request.user, pk)
        action = request.POST.get("action", "")
        if action == "assistance":
            return self.record_assistance()
        spec = CASE_ACTIONS.get(action)
        if spec is None:
            messages.error(request, _("Unknown action; nothing was saved."))
            return self.show()
        if not self.may_triage:
            raise PermissionDenied
        possible = can_proceed(getattr(case, spec.transition))
        return run_posted_action(self, case, spec, action, possible, "casework:case")

    def record_assistance(self):
        request, case = self.request, self.case
        units = self.assistance_units
        if units is None:
            raise PermissionDenied
        if request.POST.get("state") != case.state:
            messages.error(request, str(StaleObject()))
            return self.show()
        form = forms.AssistanceForm(request.POST, obj=case, units=units, auto_id="id_assistance_%s")
        if not form.is_valid():
            form_error(request, form)
            return self.show(bound={"assistance": form})
        data = form.cleaned_data
        try:
            assistance_service.record_assistance(
                case, data["unit"], data["kind"], data["given_on"], data["funding"], amount=data["amount"],
                service=data["service"], by=request.user, confirmed=data["confirmed"],
            )  # fmt: skip
        except DuplicateSuspected as suspected:
            refused(request, suspected)
            return self.show(bound={"assistance": form}, duplicates=suspected.warnings)
        except ActionRefused as error:
            refused(request, error)
            return self.show(bound={"assistance": form})
        messages.success(request, _("Assistance recorded for case %(reference)s.") % {"reference": case.reference})
        return redirect("casework:case", case.pk)

    @cached_property
    def may_triage(self):
        return access.triaged_cases(self.request.user).filter(pk=self.case.pk).exists()

    @cached_property
    def assistance_units(self):
        """Units the user may record assistance for here, or None: all active units for the secretariat,
        else the liaison's units that hold an assignment of this case."""
        if self.may_triage:
            return self.case.mechanism.units.active_on(timezone.localdate()).order_by("-is_lead", "joined_on", "pk")
        acting = access.acting_assignments(self.request.user).filter(case=self.case).values("unit_id")
        units = MemberUnit.objects.filter(pk__in=acting)
        return units if units.exists() else None

    def show(self, bound=None, duplicates=None, reveal_form=None, revealed=None):
        """The page; every showing is logged, whichever request led to it."""
        bound = bound or {}
        case, user = self.case, self.request.user
        assistance_service.log_case_view(case, user)
        may_see = access.may_see_personal_fields(user, case)
        assignments, records = self.load_rows(may_see)
        context = {
            "case": case,
            "may_see": may_see,
            "may_triage": self.may_triage,
            "person": self.person(may_see),
            "need_labels": queries.need_labels(case.needs),
            "assignments": assignments,
            "assistance": records,
            "timeline": build_timeline(case, assignments, records, may_see),
            "guard_warnings": self.guard_warnings() if may_see else [],
            "escalation": self.escalation(),
            "actions": self.action_forms(bound) if self.may_triage else [],
            "assistance_form": self.assistance_form(bound),
            "duplicates": duplicates or [],
            "reveal_form": (reveal_form or forms.RevealForm()) if may_see and (case.id_number or case.phone) else None,
            "revealed": revealed,
        }
        return self.render(**context)

    def person(self, may_see):
        if not may_see:
            return None
        case = self.case
        return {
            "name": case.person_name,
            "id_number": mask_id_number(case.id_number),
            "phone": mask_phone(case.phone),
            "address": case.address,
            "narrative": case.narrative,
        }

    def load_rows(self, may_see):
        user, case = self.request.user, self.case
        visible = set(access.visible_assignments(user).filter(case=case).values_list("pk", flat=True))
        follow_ups = FollowUp.objects.filter(assignment_id__in=visible).select_related("by")
        assignments = list(
            case.assignments.select_related("unit", "assigned_by")
            .prefetch_related(Prefetch("follow_ups", queryset=follow_ups, to_attr="shown_follow_ups"))
            .order_by("assigned_at", "pk")
        )
        for assignment in assignments:
            assignment.visible = assignment.pk in visible
        whole = user.is_superuser or queries.queue_mechanisms(user).filter(pk=case.mechanism_id).exists()
        own_units = set() if whole else set(access.acting_unit_ids(user).values_list("unit_id", flat=True))
        records = list(case.assistance.select_related("unit", "recorded_by"))
        for record in records:
            record.visible = may_see and (whole or record.unit_id in own_units)
        return assignments, records

    def guard_warnings(self):
        case = self.case
        if not (case.id_number_hash or case.phone_hash):
            return []
        warnings = check_person(case.mechanism, case.id_number_hash, case.phone_hash, exclude_case=case)
        if not queries.assisted_elsewhere(case):
            # check_person leaves out this case's open-case match but not its own assistance records.
            warnings = [warning for warning in warnings if warning.reference]
        return warnings

    def escalation(self):
        """Where the case went (the parent's case and its state) or where it came from."""
        case, fields = self.case, ("pk", "reference", "state", "mechanism__name")
        upper = Case.objects.filter(escalated_from=case).values(*fields).first()
        lower = (
            Case.objects.filter(pk=case.escalated_from_id).values(*fields).first() if case.escalated_from_id else None
        )
        linked = [row for row in (upper, lower) if row]
        if not linked:
            return None
        visible = set(
            access.visible_cases(self.request.user)
            .filter(pk__in=[row["pk"] for row in linked])
            .values_list("pk", flat=True)
        )
        for row in linked:
            row["state_label"] = CaseState(row["state"]).label
            row["visible"] = row["pk"] in visible
        return {"upper": upper, "lower": lower}

    def action_forms(self, bound):
        case = self.case
        shown = []
        for name, spec in CASE_ACTIONS.items():
            if can_proceed(getattr(case, spec.transition)):
                form = bound.get(name) or spec.form(obj=case, auto_id=f"id_{name}_%s")
                shown.append({"name": name, "title": spec.title, "form": form, "open": name in bound})
        return shown

    def assistance_form(self, bound):
        if "assistance" in bound:
            return bound["assistance"]
        units = self.assistance_units
        if units is None:
            return None
        return forms.AssistanceForm(
            obj=self.case, units=units, initial={"given_on": timezone.localdate()}, auto_id="id_assistance_%s"
        )


class RevealView(CaseDetailView):
    """Shows one full value once, on this page only (never in a URL), and writes the access log."""

    http_method_names = ["post"]

    def post(self, request, pk):
        self.case = access.get_case_for_user(request.user, pk)
        form = forms.RevealForm(request.POST)
        if not form.is_valid():
            form_error(request, form)
            return self.show(reveal_form=form)
        field = form.cleaned_data["field"]
        try:
            value = assistance_service.reveal_personal_field(
                self.case, field, form.cleaned_data["reason"], request.user
            )
        except ActionRefused as error:
            refused(request, error)
            return self.show(reveal_form=form)
        label = dict(form.fields["field"].choices)[field]
        return self.show(revealed={"label": label, "value": value or _("(empty)")})
