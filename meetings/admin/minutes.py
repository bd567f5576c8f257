"""The minutes of one held meeting: header, the actions their state allows, the text per agenda item, the
review round and every revision; and the comparison of two revisions.

Every action is a POST to its own URL (see minutes_actions.py): 404 for minutes the user may not see, a
message (and nothing changed) for a user who may see but not act, for a page older than the minutes' state and
revision, and for bad input.
"""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mechanism.models import Assignment, MemberUnit
from mechanism.services.errors import ActionRefused, StaleObject
from mechanism.stamps import stamp

from .. import minutes_text, services
from ..access import (
    get_meeting_for_user,
    get_minutes_for_user,
    may_approve_minutes,
    may_draft_minutes,
    reviewing_units,
)
from ..models import Decision, ItemMinutes, MeetingState, Minutes, MinutesComment, MinutesState
from ..notices.ics import item_label
from . import minutes_forms
from .base import MeetingsView, form_error, refused, validation_error
from .forms import StateForm
from .minutes_actions import ACTIONS, APPROVE, DRAFT, REFUSED, REVIEW

M = MinutesState
DOCUMENT_KINDS = ("notice", "agenda", "signin")


def document_url(kind, meeting):
    try:
        return reverse("xianjie_documents:download", args=[kind, meeting.pk])
    except NoReverseMatch:  # the documents app may not be installed
        return None


def document_links(meeting, with_minutes=False):
    """The meeting's official documents as (kind, url) pairs, the minutes only when they exist and are visible."""
    kinds = (*DOCUMENT_KINDS, "minutes") if with_minutes else DOCUMENT_KINDS
    return [(kind, url) for kind in kinds if (url := document_url(kind, meeting))]


def minutes_panel(user, meeting):
    """What the meeting screen shows of a held meeting's minutes: start them, or open them with their state."""
    if meeting.state != MeetingState.HELD:
        return None
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        may_start = may_draft_minutes(user, meeting.mechanism)
        return {"minutes": None, "may_start": may_start, "form": StateForm(initial={"state": meeting.state})}
    try:
        get_minutes_for_user(user, meeting.pk)
    except Http404:
        return {"minutes": None, "may_start": False, "hidden": True}
    return {"minutes": minutes}


class Choices:
    """The choices the page's forms offer, read once whatever the number of items and decisions."""

    def __init__(self, minutes, reviewing):
        mechanism = minutes.meeting.mechanism
        active = list(mechanism.active_units(timezone.localdate()).order_by("pk"))
        self.values = {
            "all_units": MemberUnit.objects.filter(mechanism=mechanism),
            "unit_choices": [(unit.pk, unit.name) for unit in active],
            "active_unit_ids": {unit.pk for unit in active},
            "reviewing": reviewing,
        }

    def with_items(self, items):
        self.values["agenda_items"] = [(row.agenda_item_id, row.label) for row in items]
        return self.values


@method_decorator(never_cache, name="dispatch")
class MinutesView(MeetingsView):
    template_name = "meetings/admin/minutes.html"

    def get_page_title(self):
        return _("Minutes of %(meeting)s") % {"meeting": self.minutes.meeting.name}

    def get(self, request, pk):
        self.minutes = get_minutes_for_user(request.user, pk)
        return self.show()

    @cached_property
    def may_draft(self):
        return may_draft_minutes(self.request.user, self.minutes.meeting.mechanism)

    @cached_property
    def may_approve(self):
        return may_approve_minutes(self.request.user, self.minutes.meeting.mechanism)

    @cached_property
    def reviewing(self):
        return list(reviewing_units(self.request.user, self.minutes))

    def allowed(self, who):
        return {DRAFT: self.may_draft, APPROVE: self.may_approve, REVIEW: bool(self.reviewing)}[who]

    def initial(self):
        minutes = self.minutes
        return {"state": minutes.state, "revision": minutes.revision, "updated_at": stamp(minutes)}

    def make_form(self, name, key=None, data=None, initial=None):
        spec = ACTIONS[name]
        suffix = f"{name}_{key}" if key else name
        return spec.form(
            data, initial={**self.initial(), **(initial or {})}, auto_id=f"id_{suffix}_%s", choices=self.choices
        )

    def items(self):
        decisions = Decision.objects.prefetch_related(
            "units", Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("pk"))
        ).order_by("order", "pk")
        rows = list(
            ItemMinutes.objects.filter(minutes=self.minutes, agenda_item__removed_at=None)
            .select_related("agenda_item__case", "agenda_item__assignment__case", "agenda_item__presenter")
            .prefetch_related(Prefetch("decisions", queryset=decisions))
            .order_by("agenda_item__order", "agenda_item__pk")
        )
        for row in rows:
            row.label = item_label(row.agenda_item)
        return rows

    def attach_forms(self, rows, bound, editable):
        """Each item gets its summary and add forms, each decision its edit and remove forms (or the bound one)."""

        def form(name, key, initial):
            if bound and (bound["name"], bound["key"]) == (name, key):
                return bound["form"]
            return self.make_form(name, key, initial=initial)

        for row in rows:
            row.decision_list = list(row.decisions.all())
            if not editable:
                continue
            row.summary_form = form("summary", row.pk, {"item": row.pk, "summary": row.summary})
            row.add_form = form("add_decision", row.pk, {"item": row.pk})
            for decision in row.decision_list:
                if decision.is_applied:
                    continue
                units = list(decision.units.all())
                decision.edit_form = form("edit_decision", decision.pk, {
                    "decision": decision.pk, "text": decision.text, "units": [u.pk for u in units],
                    "due_on": decision.due_on, "expected_result": decision.expected_result,
                })  # fmt: skip
                gone = [(u.pk, u.name) for u in units if u.pk not in self.choices["active_unit_ids"]]
                if gone:  # shown checked, so the editor sees the unit that left and takes it off
                    decision.edit_form.fields["units"].widget.choices = self.choices["unit_choices"] + gone
                decision.remove_form = form("remove_decision", decision.pk, {"decision": decision.pk})

    def page_forms(self, bound):
        names = ("opening", "send", "revise", "approve", "publish", "correct", "agree", "comment")
        built = {name: self.make_form(name, initial={"opening": self.minutes.opening}) for name in names}
        if bound and bound["key"] is None:
            built[bound["name"]] = bound["form"]
        return built

    def can(self):
        state, draft = self.minutes.state, self.may_draft
        return {
            "edit": draft and state in (M.DRAFTED, M.REVISED),
            "send": draft and state in (M.DRAFTED, M.REVISED),
            "revise": draft and state == M.IN_REVIEW,
            "approve": self.may_approve and state in (M.IN_REVIEW, M.REVISED),
            "publish": draft and state == M.APPROVED,
            "correct": draft and state in (M.APPROVED, M.PUBLISHED),
            "review": bool(self.reviewing) and state == M.IN_REVIEW,
        }

    def show(self, bound=None, status=200):
        minutes, meeting = self.minutes, self.minutes.meeting
        can = self.can()
        rows = self.items()
        self.choices = Choices(minutes, self.reviewing).with_items(rows)
        self.attach_forms(rows, bound, can["edit"])
        revisions = revision_list(minutes)
        return self.render(
            status=status,
            minutes=minutes,
            meeting=meeting,
            quorum=services.quorum(meeting),
            attendance=attendance_summary(meeting),
            can=can,
            rows=rows,
            revisions=revisions,
            any_comments=any(revision.comments.all() for revision in revisions),
            round=review_round(revisions),
            reviewing=self.reviewing,
            forms=self.page_forms(bound),
            compare_form=minutes_forms.CompareForm(numbers=[r.number for r in revisions], auto_id="id_compare_%s"),
            documents=document_links(meeting, with_minutes=True),
        )


def attendance_summary(meeting):
    """Units present (with their people) and invited units absent."""
    present = {}
    for row in meeting.attendance.select_related("unit").order_by("unit__pk", "pk"):
        present.setdefault(row.unit_id, (row.unit, []))[1].append(row.person)
    absent = [unit for unit in meeting.invited_units.order_by("pk") if unit.pk not in present]
    return {"present": list(present.values()), "absent": absent}


def revision_list(minutes):
    """Every revision with its reviewers, answers and comments (all rounds are kept and shown)."""
    comments = MinutesComment.objects.select_related("unit", "agenda_item__case", "agenda_item__assignment__case", "by")
    revisions = list(
        minutes.revisions.prefetch_related(
            Prefetch("reviewers", queryset=MemberUnit.objects.order_by("pk")),
            "responses",
            Prefetch("comments", queryset=comments.order_by("created_at", "pk")),
        ).order_by("number")
    )
    for revision in revisions:
        for comment in revision.comments.all():
            comment.label = item_label(comment.agenda_item) if comment.agenda_item_id else ""
    return revisions


def review_round(revisions):
    """The last round sent: each unit asked with its answer (agreed, commented or pending)."""
    sent = [revision for revision in revisions if revision.sent_at]
    if not sent:
        return None
    revision = sent[-1]
    answers = {response.unit_id: response for response in revision.responses.all()}
    commented = {comment.unit_id for comment in revision.comments.all()}
    rows = []
    for unit in revision.reviewers.all():
        response = answers.get(unit.pk)
        if response and response.agreed:
            answer = "agreed"
        elif response or unit.pk in commented:
            answer = "commented"
        else:
            answer = "pending"
        rows.append({"unit": unit, "answer": answer, "at": response.at if response else None})
    return {"revision": revision, "rows": rows}


class MinutesActionView(MinutesView):
    """POST one action; the minutes screen again (with the errors) or a redirect to it."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        spec = ACTIONS[action]
        self.minutes = minutes = get_minutes_for_user(request.user, pk)
        target = self.target(spec, request.POST)
        if not self.allowed(spec.who):
            messages.error(request, REFUSED[spec.who])
            return redirect("meetings_admin:minutes", minutes.meeting_id)
        self.choices = Choices(minutes, self.reviewing).with_items(self.items())
        form = self.make_form(action, target.pk if target else None, data=request.POST)
        bound = {"name": action, "key": target.pk if target else None, "form": form}
        if not form.is_valid():
            if "updated_at" in form.errors:  # a page without the minutes' stamp, or a garbled one
                refused(request, StaleObject())
                return redirect("meetings_admin:minutes", minutes.meeting_id)
            form_error(request, form)
            return self.show(bound=bound)
        try:
            with transaction.atomic():  # the page's stamp compared with the minutes under their row lock
                current = Minutes.objects.select_for_update().select_related("meeting__mechanism").get(pk=minutes.pk)
                form.check_page(current)
                done = spec.run(current, target, form.cleaned_data, request.user)
        except StaleObject as error:
            refused(request, error)
            return redirect("meetings_admin:minutes", minutes.meeting_id)
        except ValidationError as error:
            validation_error(request, error)
            return self.refreshed(bound)
        except ActionRefused as error:
            refused(request, error)
            return self.refreshed(bound)
        messages.success(request, done)
        return redirect("meetings_admin:minutes", minutes.meeting_id)

    def target(self, spec, data):
        """The item's minutes or the decision a hidden field names, within these minutes; 404 for an odd id."""
        if spec.target is None:
            return None
        raw = data.get(spec.field, "")
        if not re.fullmatch(r"[0-9]{1,18}", raw):  # str.isdigit() also takes "²", which int() refuses
            raise Http404
        if spec.target is ItemMinutes:
            return get_object_or_404(ItemMinutes.objects.select_related("agenda_item"), pk=raw, minutes=self.minutes)
        return get_object_or_404(Decision, pk=raw, item__minutes=self.minutes)

    def refreshed(self, bound):
        self.minutes.refresh_from_db()
        return self.show(bound=bound)


class MinutesStartView(MeetingsView):
    """Start the minutes of a held meeting (from the meeting screen)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        if not may_draft_minutes(request.user, meeting.mechanism):
            messages.error(request, REFUSED[DRAFT])
            return redirect("meetings_admin:meeting", meeting.pk)
        form = StateForm(request.POST)
        if not form.is_valid() or form.cleaned_data["state"] != meeting.state:
            refused(request, StaleObject())
            return redirect("meetings_admin:meeting", meeting.pk)
        try:
            services.start_minutes(meeting, by=request.user)
        except ActionRefused as error:
            refused(request, error)
            return redirect("meetings_admin:meeting", meeting.pk)
        messages.success(request, _("The minutes of %(meeting)s are started.") % {"meeting": meeting.name})
        return redirect("meetings_admin:minutes", meeting.pk)


@method_decorator(never_cache, name="dispatch")
class MinutesCompareView(MeetingsView):
    """Two revisions side by side: per item, each field that differs, old and new."""

    template_name = "meetings/admin/minutes_compare.html"

    def get_page_title(self):
        return _("Compare revisions of the minutes of %(meeting)s") % {"meeting": self.minutes.meeting.name}

    def get(self, request, pk):
        self.minutes = minutes = get_minutes_for_user(request.user, pk)
        revisions = {revision.number: revision for revision in minutes.revisions.order_by("number")}
        form = minutes_forms.CompareForm(request.GET or None, numbers=list(revisions), auto_id="id_compare_%s")
        differences = old = new = None
        if request.GET:
            if not form.is_valid():
                raise Http404  # a revision that does not exist, or no number at all
            old, new = revisions[form.cleaned_data["old"]], revisions[form.cleaned_data["new"]]
            differences = minutes_text.compare(self.content(old), self.content(new))
        return self.render(minutes=minutes, meeting=minutes.meeting, form=form, old=old, new=new,
                           differences=differences)  # fmt: skip

    def content(self, revision):
        """What a revision keeps; the revision being edited now is read from the current text."""
        if revision.content:
            return revision.content
        if revision.number == self.minutes.revision and not self.minutes.is_final:
            return minutes_text.snapshot(self.minutes)
        return {"opening": "", "items": []}
