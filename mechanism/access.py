"""Who may see and change what: the one place that owns the rules.

Superusers see everything. Everyone else sees the mechanisms of the units they belong to:
the secretariat manages its mechanism, the supervisor reads all of it, a liaison reads its
mechanism and units but only the people of its own unit. Nobody sees another mechanism's
units or people. Getters answer 404 for what the user may not see.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import (
    Area,
    Assignment,
    BrandProject,
    Case,
    ConvenerTerm,
    HelpChannel,
    Mechanism,
    Membership,
    MemberUnit,
    PersonalDataAccess,
    Role,
    UnitKind,
)

READERS = (Role.SECRETARIAT, Role.SUPERVISOR, Role.LIAISON)


def roles_of(user):
    """The set of roles the user holds in any unit, cached on the user object for the request."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, "_xianjie_roles", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("role", flat=True).distinct())
        user._xianjie_roles = cached
    return cached


def is_staff_member(user):
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or roles_of(user)))


def _mechanism_ids(user, roles):
    return Membership.objects.filter(user=user, role__in=roles).values("unit__mechanism_id")


def visible_mechanisms(user):
    if not is_staff_member(user):
        return Mechanism.objects.none()
    if user.is_superuser:
        return Mechanism.objects.all()
    return Mechanism.objects.filter(pk__in=_mechanism_ids(user, READERS))


def managed_mechanisms(user):
    if not is_staff_member(user):
        return Mechanism.objects.none()
    if user.is_superuser:
        return Mechanism.objects.all()
    return Mechanism.objects.filter(pk__in=_mechanism_ids(user, [Role.SECRETARIAT]))


def visible_units(user):
    return MemberUnit.objects.filter(mechanism__in=visible_mechanisms(user))


def managed_units(user):
    return MemberUnit.objects.filter(mechanism__in=managed_mechanisms(user))


def visible_memberships(user):
    if not is_staff_member(user):
        return Membership.objects.none()
    if user.is_superuser:
        return Membership.objects.all()
    whole_mechanism = _mechanism_ids(user, [Role.SECRETARIAT, Role.SUPERVISOR])
    own_units = Membership.objects.filter(user=user, role=Role.LIAISON).values("unit_id")
    return Membership.objects.filter(Q(unit__mechanism_id__in=whole_mechanism) | Q(unit_id__in=own_units))


def managed_memberships(user):
    return Membership.objects.filter(unit__mechanism__in=managed_mechanisms(user))


def visible_terms(user):
    return ConvenerTerm.objects.filter(mechanism__in=visible_mechanisms(user))


def managed_terms(user):
    return ConvenerTerm.objects.filter(mechanism__in=managed_mechanisms(user))


def visible_areas(user):
    """Areas are reference data kept by the superuser; others see the areas of their mechanisms."""
    if user and user.is_active and user.is_superuser:
        return Area.objects.all()
    return Area.objects.filter(mechanism__in=visible_mechanisms(user))


def managed_areas(user):
    if user and user.is_active and user.is_superuser:
        return Area.objects.all()
    return Area.objects.none()


def can_manage_mechanism(user, mechanism):
    return managed_mechanisms(user).filter(pk=mechanism.pk).exists()


def get_mechanism_for_user(user, pk):
    return get_object_or_404(visible_mechanisms(user), pk=pk)


def get_unit_for_user(user, pk):
    return get_object_or_404(visible_units(user).select_related("mechanism"), pk=pk)


# Cases and assignments --------------------------------------------------------------------------


def _liaison_unit_ids(user):
    return Membership.objects.filter(user=user, role=Role.LIAISON).values("unit_id")


def acting_unit_ids(user):
    """The units a user acts for as liaison (a values queryset of unit_id)."""
    return _liaison_unit_ids(user)


def visible_cases(user):
    """Secretariat and supervisors: their mechanisms' cases; a liaison: cases assigned to or reported by its unit."""
    if not is_staff_member(user):
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    whole = _mechanism_ids(user, [Role.SECRETARIAT, Role.SUPERVISOR])
    if Role.LIAISON not in roles_of(user):
        return Case.objects.filter(mechanism_id__in=whole)
    # The ids are read first (one query), as one UNION: PostgreSQL serves neither an OR of IN-subqueries nor a
    # join against a subquery whose size it cannot know from an index, and would read every case.
    units = _liaison_unit_ids(user)
    ids = (
        Assignment.objects.filter(unit_id__in=units, case__isnull=False)
        .order_by()
        .values("case_id")
        .union(Case.objects.filter(source_unit_id__in=units).order_by().values("pk"))
    )
    if roles_of(user) & {Role.SECRETARIAT, Role.SUPERVISOR}:
        ids = ids.union(Case.objects.filter(mechanism_id__in=whole).order_by().values("pk"))
    return Case.objects.filter(pk__in=list(ids.values_list("case_id", flat=True)))


def triaged_cases(user):
    """Cases whose life cycle the user may move: the secretariat's own mechanisms."""
    return Case.objects.filter(mechanism__in=managed_mechanisms(user))


def visible_assignments(user):
    """Whole mechanism for secretariat and supervisors; a liaison sees only its own unit's assignments."""
    if not is_staff_member(user):
        return Assignment.objects.none()
    if user.is_superuser:
        return Assignment.objects.all()
    whole = _mechanism_ids(user, [Role.SECRETARIAT, Role.SUPERVISOR])
    roles = roles_of(user)
    # Only the parts that apply: an OR of IN-subqueries is served by no index on PostgreSQL.
    if Role.LIAISON not in roles:
        return Assignment.objects.filter(mechanism_id__in=whole)
    if not roles & {Role.SECRETARIAT, Role.SUPERVISOR}:
        return Assignment.objects.filter(unit_id__in=_liaison_unit_ids(user))
    return Assignment.objects.filter(Q(mechanism_id__in=whole) | Q(unit_id__in=_liaison_unit_ids(user)))


def acting_assignments(user):
    """Assignments the user acts on as its unit's liaison (superusers act on all)."""
    if user and user.is_active and user.is_superuser:
        return Assignment.objects.all()
    if not is_staff_member(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(unit_id__in=_liaison_unit_ids(user))


def may_see_personal_fields(user, case):
    """Charity units never see a person's details without consent; the mechanism's own staff do."""
    if user.is_superuser or managed_mechanisms(user).filter(pk=case.mechanism_id).exists():
        return True
    if _mechanism_ids(user, [Role.SUPERVISOR]).filter(unit__mechanism_id=case.mechanism_id).exists():
        return True
    units = MemberUnit.objects.filter(pk__in=_liaison_unit_ids(user), mechanism_id=case.mechanism_id)
    if case.consent_given:
        return units.exists()
    return units.exclude(kind=UnitKind.CHARITY).exists()


def get_case_for_user(user, pk):
    return get_object_or_404(visible_cases(user).select_related("mechanism", "area", "source_unit"), pk=pk)


def get_assignment_for_user(user, pk):
    return get_object_or_404(visible_assignments(user).select_related("case", "unit", "mechanism"), pk=pk)


def visible_access_log(user):
    """The personal-data access log: read by the supervisors and the secretariat of the mechanism."""
    if not is_staff_member(user):
        return PersonalDataAccess.objects.none()
    if user.is_superuser:
        return PersonalDataAccess.objects.all()
    return PersonalDataAccess.objects.filter(mechanism_id__in=_mechanism_ids(user, [Role.SECRETARIAT, Role.SUPERVISOR]))


# Help channels and brand projects: the unit's liaisons keep their own, the secretariat all of its mechanism --


def channel_units(user):
    """Units whose help channels and projects the user may edit (a MemberUnit queryset)."""
    if not is_staff_member(user):
        return MemberUnit.objects.none()
    if user.is_superuser:
        return MemberUnit.objects.all()
    return MemberUnit.objects.filter(
        Q(mechanism_id__in=_mechanism_ids(user, [Role.SECRETARIAT])) | Q(pk__in=_liaison_unit_ids(user))
    )


def visible_channels(user):
    return HelpChannel.objects.filter(unit__mechanism__in=visible_mechanisms(user))


def managed_channels(user):
    return HelpChannel.objects.filter(unit__in=channel_units(user))


def visible_projects(user):
    return BrandProject.objects.filter(unit__mechanism__in=visible_mechanisms(user))


def managed_projects(user):
    return BrandProject.objects.filter(unit__in=channel_units(user))
