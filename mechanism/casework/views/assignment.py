"""One assignment, as its unit's liaison works it: acknowledge (签收), follow up, complete (办结), return (退回).

Others who may see it (the secretariat, supervisors) read it; of the case's other assignments only the
units' names are shown.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_fsm import can_proceed

from ... import access
from ...models import Assignment
from ...personal import mask_id_number, mask_phone
from ...services import assignments as work
from ...services.assistance import log_case_view
from .. import forms, queries
from .base import CaseworkView, run_posted_action


@dataclass(frozen=True)
class AssignmentAction:
    form: type
    title: str
    possible: object
    run: object


def _acknowledge(assignment, data, by):
    work.acknowledge_assignment(assignment, by=by)
    return _("Assignment acknowledged.")


def _follow_up(assignment, data, by):
    work.add_follow_up(assignment, data["kind"], data["happened_on"], data["text"], by=by)
    return _("Follow-up recorded.")


def _complete(assignment, data, by):
    work.complete_assignment(assignment, data["outcome"], by=by)
    return _("Assignment completed.")


def _return(assignment, data, by):
    work.return_assignment(assignment, data["reason"], by=by)
    return _("Assignment returned to the secretariat.")


ASSIGNMENT_ACTIONS = {
    "acknowledge": AssignmentAction(
        forms.AcknowledgeForm, gettext_lazy("Acknowledge receipt"), lambda a: can_proceed(a.acknowledge), _acknowledge
    ),
    "follow_up": AssignmentAction(
        forms.FollowUpForm, gettext_lazy("Add a follow-up"), lambda a: a.is_active, _follow_up
    ),
    "complete": AssignmentAction(
        forms.CompleteForm, gettext_lazy("Complete"), lambda a: can_proceed(a.complete), _complete
    ),
    "return": AssignmentAction(
        forms.ReturnForm, gettext_lazy("Return to the secretariat"), lambda a: can_proceed(a.send_back), _return
    ),
}


@method_decorator(never_cache, name="dispatch")
class AssignmentView(CaseworkView):
    template_name = "casework/assignment.html"

    def get_page_title(self):
        assignment = self.assignment
        what = assignment.case.reference if assignment.case_id else _("Assignment #%(pk)s") % {"pk": assignment.pk}
        return f"{what} → {assignment.unit.short_name}"

    def get(self, request, pk):
        self.assignment = access.get_assignment_for_user(request.user, pk)
        return self.show()

    def post(self, request, pk):
        self.assignment = assignment = access.get_assignment_for_user(request.user, pk)
        if not self.may_act:
            raise PermissionDenied
        action = request.POST.get("action", "")
        spec = ASSIGNMENT_ACTIONS.get(action)
        if spec is None:
            messages.error(request, _("Unknown action; nothing was saved."))
            return self.show()
        return run_posted_action(self, assignment, spec, action, spec.possible(assignment), "casework:assignment")

    @cached_property
    def may_act(self):
        return access.acting_assignments(self.request.user).filter(pk=self.assignment.pk).exists()

    def show(self, bound=None):
        bound = bound or {}
        assignment, user = self.assignment, self.request.user
        case = assignment.case
        context = {
            "assignment": assignment,
            "today": timezone.localdate(),
            "follow_ups": list(assignment.follow_ups.select_related("by")),
            "may_act": self.may_act,
            "actions": self.action_forms(bound) if self.may_act else [],
            "case": case,
        }
        if case is not None:
            log_case_view(case, user)
            may_see = access.may_see_personal_fields(user, case)
            context.update(
                may_see=may_see,
                case_visible=access.visible_cases(user).filter(pk=case.pk).exists(),
                need_labels=queries.need_labels(case.needs),
                person=self.person(case) if may_see else None,
                other_units=sorted(
                    set(
                        Assignment.objects.filter(case=case)
                        .exclude(unit=assignment.unit)
                        .values_list("unit__short_name", flat=True)
                    )
                ),
            )
        else:
            context["source"] = assignment.source
        return self.render(**context)

    @staticmethod
    def person(case):
        return {
            "name": case.person_name,
            "id_number": mask_id_number(case.id_number),
            "phone": mask_phone(case.phone),
            "address": case.address,
            "narrative": case.narrative,
        }

    def action_forms(self, bound):
        assignment = self.assignment
        shown = []
        for name, spec in ASSIGNMENT_ACTIONS.items():
            if spec.possible(assignment):
                form = bound.get(name) or spec.form(obj=assignment, auto_id=f"id_{name}_%s")
                if name == "follow_up" and name not in bound:
                    form.initial.setdefault("happened_on", timezone.localdate())
                shown.append({"name": name, "title": spec.title, "form": form, "open": name in bound})
        return shown
