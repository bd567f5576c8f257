"""The public help directory: which channels a visitor sees for the filters in the address, and how
they are grouped. The HTML page, the JSON and the CSV all read channels through `find_channels`.

A channel serves area X when X lies within one of the channel's areas, or the channel lists no areas
and X lies within the area of its unit's mechanism: someone in Taiyuan sees the provincial channels
and Taiyuan's.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from mechanism.models import Area, HelpChannel, Need, ServedGroup

GROUPINGS = ("need", "unit")
# Mechanisms from the top down, in each the lead unit first, then by the day units joined.
DIRECTORY_ORDER = (
    "unit__mechanism__area__code",
    "-unit__is_lead",
    "unit__joined_on",
    "unit__pk",
    "display_order",
    "pk",
)


@dataclass
class DirectoryFilters:
    """The filters a visitor chose, checked: unknown values are dropped and explained in `problems`."""

    area: Area | None = None
    group: str = ""
    need: str = ""
    by: str = "need"
    problems: list = field(default_factory=list)

    @property
    def active(self):
        return bool(self.area or self.group or self.need)

    def params(self):
        """The valid filters as GET parameters, in a fixed order (so cache keys and links agree)."""
        params = {}
        if self.area:
            params["area"] = self.area.code
        if self.group:
            params["group"] = self.group
        if self.need:
            params["need"] = self.need
        if self.by != "need":
            params["by"] = self.by
        return params

    def url_with(self, **changes):
        """`?…` for these filters with some replaced; a value of None removes the parameter."""
        params = self.params()
        for key, value in changes.items():
            if value is None or (key == "by" and value == "need"):
                params.pop(key, None)
            else:
                params[key] = value
        query = QueryDict(mutable=True)
        query.update(params)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"


def _single(query, key):
    """One value of a GET parameter, trimmed and bounded; a repeated parameter keeps the last."""
    return (query.get(key) or "").strip()[:50]


def parse_filters(query, scope_area=None):
    """Check the GET parameters; never raises, whatever the visitor typed."""
    filters = DirectoryFilters()
    by = _single(query, "by")
    if by in GROUPINGS:
        filters.by = by
    elif by:
        filters.problems.append(_("The grouping “%(value)s” does not exist; grouped by need.") % {"value": by})

    need = _single(query, "need")
    if need in Need.values:
        filters.need = need
    elif need:
        filters.problems.append(_("The need “%(value)s” does not exist; showing every need.") % {"value": need})

    group = _single(query, "group")
    if group in ServedGroup.values:
        filters.group = group
    elif group:
        filters.problems.append(_("The group “%(value)s” does not exist; showing every group.") % {"value": group})

    code = _single(query, "area")
    if code:
        area = None
        if code.isdigit() and len(code) == 6:
            area = Area.objects.select_related("parent__parent").filter(code=code).first()
        if area is None:
            filters.problems.append(
                _("There is no area with the code “%(value)s”; showing every area.") % {"value": code}
            )
        elif scope_area is not None and not area.is_within(scope_area):
            filters.problems.append(
                _("%(area)s lies outside %(scope)s; showing all of %(scope)s.")
                % {"area": area.name, "scope": scope_area.name}
            )
        else:
            filters.area = area
    return filters


def lineage(area):
    """The primary keys of the area and every area it lies within."""
    keys = []
    while area is not None:
        keys.append(area.pk)
        area = area.parent
    return keys


def serves_area(area):
    """Q for channels that serve the area (see the module docstring)."""
    keys = lineage(area)
    through = HelpChannel.areas.through
    listed = through.objects.filter(area_id__in=keys).values("helpchannel_id")
    any_listed = through.objects.filter(helpchannel_id=OuterRef("pk"))
    return Q(pk__in=listed) | (~Exists(any_listed) & Q(unit__mechanism__area_id__in=keys))


def _serves_group(channel, group):
    groups = channel.groups or []
    return not groups or ServedGroup.EVERYONE in groups or group in groups


def find_channels(filters, scope_area=None, today=None):
    """The public channels of today's member units for these filters, in directory order.

    One query for the channels with their units, one for their areas, whatever the number of rows.
    """
    today = today or timezone.localdate()
    channels = (
        HelpChannel.objects.public().current(today).select_related("unit__mechanism__area").prefetch_related("areas")
    )
    where = filters.area or scope_area
    if where is not None:
        channels = channels.filter(serves_area(where))
    if connection.features.supports_json_field_contains:
        # Narrow in the database where it can look inside JSON; the Python check below stays the rule.
        if filters.need:
            channels = channels.filter(needs__contains=[filters.need])
        if filters.group:
            channels = channels.filter(
                Q(groups__contains=[filters.group]) | Q(groups__contains=[ServedGroup.EVERYONE]) | Q(groups=[])
            )
    found = list(channels)
    if filters.need:
        found = [channel for channel in found if filters.need in (channel.needs or [])]
    if filters.group:
        found = [channel for channel in found if _serves_group(channel, filters.group)]
    return found


def areas_served(channel):
    """The areas a channel serves, for display: its own, or its mechanism's area."""
    listed = list(channel.areas.all())
    return listed or [channel.unit.mechanism.area]


@dataclass
class Section:
    key: str
    heading: str
    channels: list
    unit: object = None


def by_need(channels, only_need=""):
    """One section per need in the need list's order (a channel appears under each of its needs),
    then the channels that name no need."""
    needs = [Need(only_need)] if only_need else list(Need)
    sections = []
    for need in needs:
        listed = [channel for channel in channels if need.value in (channel.needs or [])]
        if listed:
            sections.append(Section(key=f"need-{need.value}", heading=str(need.label), channels=listed))
    if not only_need:
        general = [channel for channel in channels if not any(n in Need.values for n in channel.needs or [])]
        if general:
            sections.append(Section(key="need-general", heading=_("General help"), channels=general))
    return sections


def by_unit(channels):
    """One section per unit, in directory order."""
    sections = {}
    for channel in channels:
        unit = channel.unit
        if unit.pk not in sections:
            sections[unit.pk] = Section(key=f"unit-{unit.pk}", heading=unit.name, channels=[], unit=unit)
        sections[unit.pk].channels.append(channel)
    return list(sections.values())


def units_of(channels):
    """The distinct units of these channels with their channels, in directory order."""
    return [(section.unit, section.channels) for section in by_unit(channels)]
