"""List filters whose choices are scoped to what the user may see."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .. import access
from ..models import Area, AreaLevel, ConvenerTerm, Membership, MemberUnit, Role, UnitKind


def _visible_mechanisms(request):
    return access.visible_mechanisms(request.user) if request else access.visible_mechanisms(None)


def _visible_units(request):
    return access.visible_units(request.user) if request else access.visible_units(None)


class AreaFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(label=_("level"), choices=AreaLevel.choices)

    class Meta:
        model = Area
        fields = []


class MemberUnitFilterSet(WagtailFilterSet):
    mechanism = django_filters.ModelChoiceFilter(label=_("mechanism"), queryset=_visible_mechanisms)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=UnitKind.choices)
    is_lead = django_filters.BooleanFilter(label=_("lead unit"))
    has_left = django_filters.BooleanFilter(
        label=_("has left"), field_name="left_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = MemberUnit
        fields = []


class MembershipFilterSet(WagtailFilterSet):
    unit__mechanism = django_filters.ModelChoiceFilter(label=_("mechanism"), queryset=_visible_mechanisms)
    unit = django_filters.ModelChoiceFilter(label=_("member unit"), queryset=_visible_units)
    role = django_filters.ChoiceFilter(label=_("role"), choices=Role.choices)

    class Meta:
        model = Membership
        fields = []


class ConvenerTermFilterSet(WagtailFilterSet):
    mechanism = django_filters.ModelChoiceFilter(label=_("mechanism"), queryset=_visible_mechanisms)
    unit = django_filters.ModelChoiceFilter(label=_("convener unit"), queryset=_visible_units)

    class Meta:
        model = ConvenerTerm
        fields = []
