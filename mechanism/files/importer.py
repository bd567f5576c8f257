"""Import a mechanism from its YAML file (schema: docs/mechanism-file.md).

Keyed by area code, unit short code, term start, a channel's kind and normalised value and a
project's name, so a second import of the same file changes nothing. The whole file is one
transaction: an error anywhere refuses all of it. Higher layers add sections through files.sections.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import (
    Area,
    AreaLevel,
    BrandProject,
    ConvenerTerm,
    HelpChannel,
    Mechanism,
    MemberUnit,
    QuorumRule,
    UnitKind,
)
from . import fields as f
from . import sections
from .channels import read_channel, read_project
from .yaml_lines import FileError, load

TOP_KEYS = {"version", "area", "mechanism", "units", "convener_terms"}
AREA_KEYS = {"code", "name", "level", "parent"}
MECHANISM_KEYS = {"name", "parent", "quorum_rule"}
UNIT_KEYS = {"code", "name", "short_name", "kind", "joined_on", "left_on", "lead", "channels", "projects"}
TERM_KEYS = {"unit", "starts_at", "ends_at"}


@dataclass
class ImportReport:
    mechanism: Mechanism = None
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self):
        return bool(self.created or self.updated)


def import_mechanism(text, user=None):
    """Apply a mechanism file; returns an ImportReport or raises FileError naming the line."""
    document = load(text)
    with transaction.atomic():
        return _Importer(document, user).run()


class _Importer:
    def __init__(self, document, user):
        self.doc = document
        self.user = user
        self.report = ImportReport()
        self.file_terms = {}  # the starts of the file's convener_terms -> their units, for sections to agree with

    def run(self):
        extra = sections.registered()
        f.check_keys(self.doc, TOP_KEYS | {section.name for section in extra})
        if self.doc.get("version", 1) != 1:
            raise FileError(self.doc.line_of("version"), _("only version 1 of the mechanism file is known"))
        area = self.area(f.mapping(self.doc, "area"))
        mechanism = self.mechanism(f.mapping(self.doc, "mechanism"), area)
        units = self.units(f.sequence(self.doc, "units"), mechanism)
        self.terms(f.sequence(self.doc, "convener_terms"), mechanism, units)
        for section in extra:
            if (item := f.mapping(self.doc, section.name, required=False)) is not None:
                section.read(self, item, mechanism, units)
        self.report.mechanism = mechanism
        return self.report

    def area(self, item):
        f.check_keys(item, AREA_KEYS)
        code = f.area_code(item, "code")
        parent_code = f.area_code(item, "parent", required=False)
        parent = None
        if parent_code:
            parent = Area.objects.filter(code=parent_code).first()
            if parent is None:
                raise FileError(
                    item.line_of("parent"),
                    _("the parent area %(code)s is not known yet; import it first") % {"code": parent_code},
                )
        values = {
            "name": f.text(item, "name"),
            "level": f.choice(item, "level", AreaLevel),
            "parent": parent,
        }
        return self.upsert(Area, {"code": code}, values, item.line)

    def mechanism(self, item, area):
        f.check_keys(item, MECHANISM_KEYS)
        parent_code = f.area_code(item, "parent", required=False)
        parent = None
        if parent_code:
            parent = Mechanism.objects.filter(area__code=parent_code).first()
            if parent is None:
                raise FileError(
                    item.line_of("parent"),
                    _("no mechanism is known for the parent area %(code)s; import it first") % {"code": parent_code},
                )
        values = {
            "name": f.text(item, "name"),
            "parent": parent,
            "quorum_rule": f.choice(item, "quorum_rule", QuorumRule, default=QuorumRule.MORE_THAN_HALF),
        }
        return self.upsert(Mechanism, {"area": area}, values, item.line)

    def units(self, items, mechanism):
        parsed = []
        for item in items:
            f.check_keys(item, UNIT_KEYS)
            code = f.text(item, "code")
            if any(code == seen for seen, _values, _item in parsed):
                raise FileError(item.line_of("code"), _("the unit code %(code)s appears twice") % {"code": code})
            values = {
                "name": f.text(item, "name"),
                "short_name": f.text(item, "short_name", required=False) or f.text(item, "name")[:50],
                "kind": f.choice(item, "kind", UnitKind),
                "joined_on": f.date(item, "joined_on"),
                "left_on": f.date(item, "left_on", required=False),
                "is_lead": f.boolean(item, "lead"),
            }
            parsed.append((code, values, item))
        if parsed and sum(values["is_lead"] for _code, values, _item in parsed) != 1:
            raise FileError(self.doc.line_of("units"), _("exactly one unit must be the lead unit (lead: true)"))
        # Units giving up the lead go first, so that one lead unit per mechanism holds at every save.
        parsed.sort(key=lambda row: row[1]["is_lead"])
        units = {}
        for code, values, item in parsed:
            units[code] = self.upsert(MemberUnit, {"mechanism": mechanism, "code": code}, values, item.line)
        if mechanism.units.filter(is_lead=True).count() > 1:
            raise FileError(self.doc.line_of("units"), _("the mechanism would have two lead units"))
        for code, _values, item in parsed:
            self.channels(f.sequence(item, "channels"), units[code])
            self.projects(f.sequence(item, "projects"), units[code])
        return units

    def channels(self, items, unit):
        seen = set()
        for item in items:
            row = read_channel(item)
            if (row.kind, row.value) in seen:
                raise FileError(
                    item.line_of("value"),
                    _("the channel %(kind)s %(value)s appears twice in this unit")
                    % {"kind": row.kind, "value": row.value},
                )
            seen.add((row.kind, row.value))
            areas = [self.served_area(code, unit.mechanism, item) for code in row.area_codes]
            self.upsert(
                HelpChannel,
                {"unit": unit, "kind": row.kind, "value": row.value},
                row.values,
                item.line,
                related={"areas": areas},
                lines=row.lines,
            )

    def served_area(self, code, mechanism, item):
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise FileError(
                item.line_of("areas"), _("the area %(code)s is not known; import its file first") % {"code": code}
            )
        if not area.is_within(mechanism.area):
            raise FileError(
                item.line_of("areas"),
                _("the area %(code)s lies outside %(area)s, the area of this mechanism")
                % {"code": code, "area": mechanism.area.name},
            )
        return area

    def projects(self, items, unit):
        seen = set()
        for item in items:
            name, values, lines = read_project(item)
            if name in seen:
                raise FileError(
                    item.line_of("name"), _("the project %(name)s appears twice in this unit") % {"name": name}
                )
            seen.add(name)
            self.upsert(BrandProject, {"unit": unit, "name": name}, values, item.line, lines=lines)

    def terms(self, items, mechanism, units):
        saved = []
        for item in items:
            f.check_keys(item, TERM_KEYS)
            code = f.text(item, "unit")
            unit = units.get(code) or mechanism.units.filter(code=code).first()
            if unit is None:
                raise FileError(
                    item.line_of("unit"), _("no unit with the code %(code)s in this mechanism") % {"code": code}
                )
            starts_at = f.moment(item, "starts_at")
            ends_at = f.moment(item, "ends_at", required=False)
            self.file_terms[starts_at] = unit
            if ends_at is not None and ends_at <= starts_at:
                raise FileError(item.line_of("ends_at"), _("a term ends after it starts"))
            term = self.upsert(
                ConvenerTerm,
                {"mechanism": mechanism, "starts_at": starts_at},
                {"unit": unit, "ends_at": ends_at},
                item.line,
                validate=False,
            )
            saved.append((term, item))
        # Overlaps are judged on the final state, once every term of the file is in place.
        for term, item in saved:
            self.validate(term, item.line)

    def upsert(self, model, keys, values, line, validate=True, related=None, lines=None, on_create=None):
        """Create or update the row with these keys; related holds many-to-many fields (name -> objects),
        on_create the fields set only on a new row."""
        related = related or {}
        obj = model.objects.filter(**keys).first()
        created = obj is None
        if created:
            obj = model(**keys, **(on_create or {}))
        changed = [name for name, value in values.items() if created or getattr(obj, name) != value]
        for name, objects in related.items():
            before = set() if created else {other.pk for other in getattr(obj, name).all()}
            if before != {other.pk for other in objects}:
                changed.append(name)
        for name in changed:
            if name not in related:
                setattr(obj, name, values[name])
        if "last_verified_on" in changed:
            # The date now comes from the file, so whoever imports it vouches for it.
            obj.last_verified_by = self.user
        if not changed:
            self.report.unchanged += 1
            return obj
        if validate:
            self.validate(obj, line, lines)
        obj.save()
        for name, objects in related.items():
            getattr(obj, name).set(objects)
        log(obj, "wagtail.create" if created else "wagtail.edit", user=self.user, content_changed=True)
        (self.report.created if created else self.report.updated).append(obj)
        return obj

    def validate(self, obj, line, lines=None):
        """full_clean, refused at the line of the first failing field's key if known, else at line."""
        try:
            obj.full_clean()
        except ValidationError as error:
            lines = lines or {}
            line = next((lines[name] for name in error.message_dict if name in lines), line)
            messages = [message for messages in error.message_dict.values() for message in messages]
            raise FileError(line, " ".join(messages)) from None
