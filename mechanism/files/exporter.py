"""Write a mechanism as YAML in the schema the importer reads (docs/mechanism-file.md)."""

import yaml
from django.utils import timezone

from ..models import Mechanism


def _moment(value):
    return timezone.localtime(value).isoformat() if value else None


def mechanism_document(mechanism):
    area = mechanism.area
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
        "units": [
            {
                "code": unit.code,
                "name": unit.name,
                "short_name": unit.short_name,
                "kind": unit.kind,
                "joined_on": unit.joined_on,
                "left_on": unit.left_on,
                "lead": unit.is_lead,
            }
            for unit in mechanism.units.order_by("-is_lead", "joined_on", "pk")
        ],
        "convener_terms": [
            {"unit": term.unit.code, "starts_at": _moment(term.starts_at), "ends_at": _moment(term.ends_at)}
            for term in mechanism.convener_terms.select_related("unit").order_by("starts_at")
        ],
    }


def export_mechanism(area_code):
    """The YAML text of the mechanism of this area; Mechanism.DoesNotExist if there is none."""
    mechanism = Mechanism.objects.select_related("area__parent", "parent__area").get(area__code=area_code)
    return yaml.safe_dump(mechanism_document(mechanism), allow_unicode=True, sort_keys=False, width=120)
