"""Read-only queries behind the casework screens: scopes, list rows and the personal-data rule in bulk.

Every function here costs a fixed number of queries whatever the number of cases: lists annotate, join and
read a page's assignments in one query, and nothing is looked up per row.
"""

from django.db.models import Case as CaseWhen
from django.db.models import Exists, F, IntegerField, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Cast

from .. import access
from ..models import (
    ACTIVE_STATES,
    Area,
    Assignment,
    AssistanceRecord,
    CaseState,
    Mechanism,
    Membership,
    MemberUnit,
    Need,
    Role,
    UnitKind,
    Urgency,
)
from ..models.cases import personal_match

QUEUE_STATES = [CaseState.REPORTED, CaseState.ACCEPTED]
QUEUE_ROLES = frozenset({Role.SECRETARIAT, Role.SUPERVISOR})  # who reads a mechanism's queue and supervision list
# Columns a list never shows: not loading them spares decrypting a page of ID numbers and phones.
PERSONAL_COLUMNS = ["id_number", "phone", "address", "narrative", "state_reason", "verification_result"]


def queue_mechanisms(user):
    """Mechanisms whose queue and supervision list the user reads: as secretariat (acting) or supervisor."""
    if not access.is_staff_member(user):
        return Mechanism.objects.none()
    if user.is_superuser:
        return Mechanism.objects.all()
    return Mechanism.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=QUEUE_ROLES).values("unit__mechanism_id")
    )


def report_mechanisms(user):
    """Mechanisms where the user may report a case: the secretariat's, and those of the units it is liaison of."""
    if not access.is_staff_member(user):
        return Mechanism.objects.none()
    liaison = MemberUnit.objects.filter(pk__in=access.acting_unit_ids(user)).values("mechanism_id")
    return Mechanism.objects.filter(Q(pk__in=access.managed_mechanisms(user).values("pk")) | Q(pk__in=liaison))


def reporting_units(user):
    """Units a case may name as its source: all units the secretariat manages, else the liaison's own."""
    managed = access.managed_mechanisms(user).values("pk")
    return MemberUnit.objects.filter(
        Q(mechanism_id__in=managed) | Q(pk__in=access.acting_unit_ids(user))
    ).select_related("mechanism")


def areas_within(mechanisms):
    """The areas of these mechanisms and the areas below them (city and county)."""
    return Area.objects.filter(
        Q(mechanism__in=mechanisms) | Q(parent__mechanism__in=mechanisms) | Q(parent__parent__mechanism__in=mechanisms)
    ).distinct()


def in_area(area):
    return Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area)


def with_need(queryset, need):
    # JSON containment is not available on SQLite; the needs are plain tokens, so match the quoted text.
    return queryset.annotate(needs_text=Cast("needs", TextField())).filter(needs_text__contains=f'"{need}"')


def overdue_exists(today):
    return Exists(Assignment.objects.overdue(today).filter(case=OuterRef("pk")))


def assigned_to_exists(unit):
    return Exists(Assignment.objects.filter(case=OuterRef("pk"), unit=unit))


def case_rows(queryset):
    """Cases for a list: mechanism and area joined; describe_rows adds what their assignments show."""
    return queryset.select_related("mechanism", "area")


def describe_rows(cases, today):
    """What list rows show from their cases' assignments: the units' names and whether one is overdue.

    One query of plain values per list of cases, not a prefetch: on a page of 50 cases the ~200 Assignment and
    MemberUnit instances (django-fsm inits included) cost more than the query. Not annotated on the cases either:
    as an EXISTS in the list's SELECT, PostgreSQL hashes every overdue assignment in the country to flag a page.
    """
    by_pk = {case.pk: case for case in cases}
    names = {pk: set() for pk in by_pk}
    overdue = set()
    rows = Assignment.objects.filter(case_id__in=by_pk).values_list("case_id", "state", "due_on", "unit__short_name")
    for case_id, state, due_on, unit_name in rows:
        names[case_id].add(unit_name)
        if state in ACTIVE_STATES and due_on < today:  # Assignment.is_overdue
            overdue.add(case_id)
    for pk, case in by_pk.items():
        case.unit_names = sorted(names[pk])
        case.has_overdue = pk in overdue


def queue_order(queryset):
    """Reported before accepted, then emergency before urgent before normal, then oldest first."""
    return queryset.annotate(
        state_rank=CaseWhen(
            When(state=CaseState.REPORTED, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        urgency_rank=CaseWhen(
            When(urgency=Urgency.EMERGENCY, then=Value(0)),
            When(urgency=Urgency.URGENT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    ).order_by("state_rank", "urgency_rank", "reported_at", "pk")


def assisted_elsewhere(case):
    """Whether the person of this case has assistance recorded on any other case."""
    match = personal_match(case.id_number_hash, case.phone_hash)
    return AssistanceRecord.objects.filter(match).exclude(case=case).exists()


def need_labels(needs):
    labels = dict(Need.choices)
    return [labels.get(need, need) for need in needs or []]


class PersonalFieldsRule:
    """access.may_see_personal_fields for many cases at once, from one query of the user's memberships."""

    def __init__(self, user):
        self.everything = bool(user.is_superuser)
        self.full, self.with_consent = set(), set()
        if self.everything:
            return
        rows = Membership.objects.filter(user=user).values_list("role", "unit__mechanism_id", "unit__kind")
        for role, mechanism_id, kind in rows:
            if role in (Role.SECRETARIAT, Role.SUPERVISOR) or (role == Role.LIAISON and kind != UnitKind.CHARITY):
                self.full.add(mechanism_id)
            if role == Role.LIAISON:
                self.with_consent.add(mechanism_id)

    def allows(self, case):
        return (
            self.everything
            or case.mechanism_id in self.full
            or (case.consent_given and case.mechanism_id in self.with_consent)
        )


def supervision_rows(mechanisms, today):
    """Overdue active assignments of these mechanisms, most overdue first; no case row is decrypted."""
    return (
        Assignment.objects.overdue(today)
        .filter(mechanism__in=mechanisms)
        .select_related("unit", "mechanism")
        .annotate(reference=F("case__reference"))
        .order_by("due_on", "pk")
    )
