"""Write a mechanism as YAML in the schema the importer reads (docs/mechanism-file.md)."""

import yaml
from django.db.models import Prefetch
from django.utils import timezone

from ..models import BrandProject, HelpChannel, Mechanism
from . import sections
from .channels import channel_document, project_document


class _Dumper(yaml.SafeDumper):
    pass


def _represent_list(dumper, data):
    # Lists of plain values stay on one line, as people write them: needs: [basic_living, housing].
    flow = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def _moment(value):
    return timezone.localtime(value).isoformat() if value else None


def unit_document(unit):
    document = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "joined_on": unit.joined_on,
        "left_on": unit.left_on,
        "lead": unit.is_lead,
    }
    if channels := [channel_document(channel) for channel in unit.channels.all()]:
        document["channels"] = channels
    if projects := [project_document(project) for project in unit.projects.all()]:
        document["projects"] = projects
    return document


def mechanism_document(mechanism):
    document = _core_document(mechanism)
    for section in sections.registered():
        if (data := section.write(mechanism)) is not None:
            document[section.name] = data
    return document


def _core_document(mechanism):
    area = mechanism.area
    units = mechanism.units.order_by("-is_lead", "joined_on", "pk").prefetch_related(
        Prefetch("channels", HelpChannel.objects.order_by("display_order", "pk").prefetch_related("areas")),
        Prefetch("projects", BrandProject.objects.order_by("display_order", "pk")),
    )
    return {
        "version": 1,
        "area": {
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "parent": area.parent.code if area.parent_id else None,
        },
        "mechanism": {
            "name": mechanism.name,
            "parent": mechanism.parent.area.code if mechanism.parent_id else None,
            "quorum_rule": mechanism.quorum_rule,
        },
        "units": [unit_document(unit) for unit in units],
        "convener_terms": [
            {"unit": term.unit.code, "starts_at": _moment(term.starts_at), "ends_at": _moment(term.ends_at)}
            for term in mechanism.convener_terms.select_related("unit").order_by("starts_at")
        ],
    }


def export_mechanism(area_code):
    """The YAML text of the mechanism of this area; Mechanism.DoesNotExist if there is none."""
    mechanism = Mechanism.objects.select_related("area__parent", "parent__area").get(area__code=area_code)
    return yaml.dump(mechanism_document(mechanism), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
