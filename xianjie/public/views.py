"""The help directory at /help/ (and below each mechanism's home page) and its open data."""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mechanism.models import Area, Need, ServedGroup

from . import opendata
from .directory import by_need, by_unit, find_channels, parse_filters


def _scope(mechanism):
    return mechanism.area if mechanism is not None else None


def area_choices(scope_area=None):
    """Areas that have a mechanism, within the scope (its own area, its cities and their counties)."""
    areas = Area.objects.filter(mechanism__isnull=False)
    if scope_area is not None:
        areas = areas.filter(Q(pk=scope_area.pk) | Q(parent_id=scope_area.pk) | Q(parent__parent_id=scope_area.pk))
    return list(areas.order_by("code").only("code", "name"))


def render_directory(request, mechanism=None, home_page=None):
    """The directory page: all mechanisms at /help/, or the channels serving one mechanism's area."""
    scope_area = _scope(mechanism)
    filters = parse_filters(request.GET, scope_area)
    channels = find_channels(filters, scope_area)
    sections = by_unit(channels) if filters.by == "unit" else by_need(channels, filters.need)
    areas = area_choices(scope_area)
    context = {
        "mechanism": mechanism,
        "home_page": home_page,
        "filters": filters,
        "sections": sections,
        "channel_count": len(channels),
        "filter_menus": filter_menus(filters, areas),
        "grouping_links": [
            _link(filters, _("By need"), by="need", active=filters.by == "need"),
            _link(filters, _("By unit"), by="unit", active=filters.by == "unit"),
        ],
        "active_filters": active_filters(filters),
        "clear_url": filters.url_with(area=None, group=None, need=None),
        "today": timezone.localdate(),
        "json_ld": opendata.json_ld(channels),
        "open_data_query": _open_data_query(filters, scope_area),
    }
    return TemplateResponse(request, "public/directory.html", context)


def _link(filters, label, active, **changes):
    return {"label": label, "url": filters.url_with(**changes), "active": active}


def filter_menus(filters, areas):
    """The three filters as lists of plain links, each with an "all" link that clears it."""
    menus = [
        ("need", _("What is needed"), _("Every need"), filters.need, [(need.value, need.label) for need in Need]),
        (
            "group",
            _("Who it is for"),
            _("Everyone"),
            filters.group,
            [(group.value, group.label) for group in ServedGroup if group != ServedGroup.EVERYONE],
        ),
        (
            "area",
            _("Where you live"),
            _("Every area"),
            filters.area.code if filters.area else "",
            [(area.code, area.name) for area in areas],
        ),
    ]
    return [
        {
            "key": key,
            "heading": heading,
            "links": [_link(filters, everything, active=not current, **{key: None})]
            + [_link(filters, label, active=current == value, **{key: value}) for value, label in options],
        }
        for key, heading, everything, current, options in menus
    ]


def active_filters(filters):
    """The filters in force, each with the link that removes it."""
    active = []
    if filters.need:
        active.append({"label": Need(filters.need).label, "url": filters.url_with(need=None)})
    if filters.group:
        active.append({"label": ServedGroup(filters.group).label, "url": filters.url_with(group=None)})
    if filters.area:
        active.append({"label": filters.area.name, "url": filters.url_with(area=None)})
    return active


def _open_data_query(filters, scope_area):
    """The same rows as open data: a mechanism's directory is the whole directory filtered by its area."""
    params = filters.params()
    params.pop("by", None)
    if scope_area is not None and "area" not in params:
        params = {"area": scope_area.code, **params}
    return f"?{urlencode(params)}" if params else ""


@require_GET
def directory(request):
    return render_directory(request)


@require_GET
def channels_json(request):
    filters = parse_filters(request.GET)
    page = opendata.services_page(find_channels(filters), filters.problems)
    response = JsonResponse(page, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


@require_GET
def channels_csv(request):
    filters = parse_filters(request.GET)
    response = HttpResponse(opendata.services_csv(find_channels(filters)), content_type="text/csv; charset=utf-8")
    name = f"help-channels-{filters.area.code}" if filters.area else "help-channels"
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
