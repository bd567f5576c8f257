"""The areas a help request may name, each with the joint mechanism whose secretariat receives it."""

from dataclasses import dataclass

from mechanism.models import Area, AreaLevel, Mechanism


@dataclass(frozen=True)
class ServedArea:
    area: Area
    mechanism: Mechanism


def served_areas():
    """Every area that has a mechanism or lies within one, by id, with the mechanism of the deepest such area.

    Walks down from the mechanisms' areas one level per query: an area keeps its own mechanism, any
    other takes its parent's, so a county without one goes to its city's, else to the province's.
    """
    served = {
        mechanism.area_id: ServedArea(mechanism.area, mechanism)
        for mechanism in Mechanism.objects.select_related("area__parent__parent")
    }
    frontier = list(served)
    while frontier:
        children = Area.objects.filter(parent_id__in=frontier).select_related("parent__parent")
        frontier = []
        for child in children:
            if child.pk not in served:
                served[child.pk] = ServedArea(child, served[child.parent_id].mechanism)
                frontier.append(child.pk)
    return served


def _group_of(area):
    """The province or city under which an area is listed: itself, unless it is a county."""
    return area.parent if area.level == AreaLevel.COUNTY and area.parent else area


def _group_label(area):
    return f"{area.parent.name} {area.name}" if area.parent else area.name


def area_choices(served):
    """Grouped choices (code, name) for a select: one group per province or city, that area first."""
    groups = {}
    for entry in served.values():
        group = _group_of(entry.area)
        groups.setdefault(group.code, (group, []))[1].append(entry.area)
    choices = []
    for code in sorted(groups):
        group, areas = groups[code]
        areas.sort(key=lambda area: (area.pk != group.pk, area.code))
        choices.append((_group_label(group), [(area.code, area.name) for area in areas]))
    return choices
