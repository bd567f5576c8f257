"""The lists: the secretariat's triage queue, all visible cases (with a CSV export), the supervision list (督办)."""

import csv
import itertools

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ... import access
from ...models import AccessKind, Case, PersonalDataAccess
from ...personal import mask_id_number, mask_phone
from .. import keyset, queries
from ..forms import CaseFilterForm
from .base import CaseworkView

PAGE_SIZE = 50


class CaseListView(CaseworkView):
    """All the cases the user may see, newest first, with the filters and the export.

    Paged by keyset (see keyset.py): a superuser's or a province's list runs to millions of cases.
    """

    template_name = "casework/case_list.html"
    pagination_template = "casework/includes/keyset_pagination.html"
    page_title = gettext_lazy("Cases")
    states = None
    exportable = True
    help_text = ""

    def base_queryset(self):
        return access.visible_cases(self.request.user)

    def order(self, queryset):
        return queryset.order_by("-reported_at", "-pk")

    def paginate(self, queryset):
        return keyset.paginate(self.request, queryset)

    def get(self, request):
        today = timezone.localdate()
        filters = CaseFilterForm(request.GET, user=request.user, states=self.states)
        queryset = self.order(queries.case_rows(filters.apply(self.base_queryset(), today)))
        rule = queries.PersonalFieldsRule(request.user)
        if self.exportable and request.GET.get("export") == "csv":
            return export_csv(request.user, queryset, rule, today)
        page = self.paginate(queryset.defer(*queries.PERSONAL_COLUMNS))
        queries.describe_rows(page, today)
        for case in page:
            case.show_person = rule.allows(case)
            case.need_labels = queries.need_labels(case.needs)
        return self.render(
            page=page,
            pagination_template=self.pagination_template,
            filters=filters,
            exportable=self.exportable,
            help_text=self.help_text,
        )

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class QueueView(CaseListView):
    """Reported cases, then accepted ones, of the mechanisms the user runs or supervises."""

    page_title = gettext_lazy("Triage queue")
    pagination_template = "casework/includes/pagination.html"
    states = queries.QUEUE_STATES
    exportable = False
    help_text = gettext_lazy(
        "Reported cases come before accepted ones; within each, emergencies first, then urgent cases, "
        "then the oldest first."
    )

    def get(self, request):
        if not queries.queue_mechanisms(request.user).exists():
            # A liaison has no queue: its work is on the dashboard.
            return redirect("wagtailadmin_home")
        return super().get(request)

    def base_queryset(self):
        mechanisms = queries.queue_mechanisms(self.request.user)
        return Case.objects.filter(mechanism__in=mechanisms, state__in=self.states)

    def order(self, queryset):
        return queries.queue_order(queryset)

    def paginate(self, queryset):
        """Numbered pages by offset, kept on purpose: the queue holds only the cases not yet referred (reported,
        accepted) of the user's mechanisms, a working set that triage keeps small, and its order is computed
        (state and urgency ranks) so no index serves it: every page sorts the whole queue whether it skips rows
        by offset or seeks by keyset, and the count is over the same rows the sort reads anyway."""
        return Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("p"))


EXPORT_HEADER = [
    gettext_lazy("reference number"),
    gettext_lazy("mechanism"),
    gettext_lazy("state"),
    gettext_lazy("urgency"),
    gettext_lazy("reported at"),
    gettext_lazy("area code"),
    gettext_lazy("area"),
    gettext_lazy("household category"),
    gettext_lazy("needs"),
    gettext_lazy("units"),
    gettext_lazy("overdue"),
    gettext_lazy("name"),
    gettext_lazy("ID number (masked)"),
    gettext_lazy("phone (masked)"),
]


def cell(value):
    """Text a spreadsheet will not run as a formula (a name typed as =HYPERLINK(...) stays text)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def described(queryset, today, chunk_size=500):
    """The cases of `queryset` read in chunks (never the whole list in memory), each chunk described at once."""
    cases = queryset.iterator(chunk_size=chunk_size)
    while chunk := list(itertools.islice(cases, chunk_size)):
        queries.describe_rows(chunk, today)
        yield from chunk


def export_csv(user, queryset, rule, today):
    """The filtered list as CSV with masked ID numbers and phones; people the user may not see stay blank."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y%m%d}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read it as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(title) for title in EXPORT_HEADER])
    shown = set()
    for case in described(queryset, today):
        person = ["", "", ""]
        if rule.allows(case):
            person = [case.person_name, mask_id_number(case.id_number), mask_phone(case.phone)]
            shown.add(case.mechanism_id)
        row = [
            case.reference,
            case.mechanism.name,
            case.get_state_display(),
            case.get_urgency_display(),
            timezone.localtime(case.reported_at).strftime("%Y-%m-%d %H:%M"),
            case.area.code,
            case.area.name,
            case.get_household_category_display(),
            "、".join(str(label) for label in queries.need_labels(case.needs)),
            "、".join(case.unit_names),
            _("yes") if case.has_overdue else "",
            *person,
        ]
        writer.writerow([cell(value) for value in row])
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(user=user, mechanism_id=mechanism_id, kind=AccessKind.EXPORT)
        for mechanism_id in sorted(shown)
    )
    return response


class SupervisionView(CaseworkView):
    """Overdue active assignments (督办) of the mechanisms the user runs or supervises, most overdue first.

    Paged by keyset: a superuser's list (every mechanism) can hold a great many overdue assignments.
    """

    template_name = "casework/supervision.html"
    page_title = gettext_lazy("Supervision list")

    def get(self, request):
        mechanisms = queries.queue_mechanisms(request.user)
        if not mechanisms.exists():
            return redirect("wagtailadmin_home")
        today = timezone.localdate()
        page = keyset.paginate(request, queries.supervision_rows(mechanisms, today))
        for assignment in page:
            assignment.days_overdue = (today - assignment.due_on).days
        return self.render(page=page, today=today)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]
