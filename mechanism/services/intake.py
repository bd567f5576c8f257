"""Intake: the one way a case comes in — admin form, online help request, CSV batch."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import access, personal
from ..models import Case, CaseCounter, CaseSource, ConsentMethod, HouseholdCategory, Need, Urgency
from .common import claim_next
from .errors import ActionRefused, DuplicateSuspected
from .guard import check_person


@dataclass
class CaseReport:
    """What a reporter tells about a person; plain values, validated by report_case."""

    person_name: str
    area: object
    needs: list
    source: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    household_category: str = HouseholdCategory.NONE
    urgency: str = Urgency.NORMAL
    narrative: str = ""
    consent_given: bool = False
    consent_by: str = ""
    consent_at: object = None
    consent_method: str = ""
    source_unit: object = None
    errors: dict = field(default_factory=dict)


def next_reference(mechanism, year):
    return f"XJ-{year}-{claim_next(CaseCounter, mechanism=mechanism, year=year):06d}"


def _clean(mechanism, report):
    errors = {}
    values = {}
    for name, normalize in (("id_number", personal.normalize_id_number), ("phone", personal.normalize_phone)):
        raw = (getattr(report, name) or "").strip()
        try:
            values[name] = normalize(raw) if raw else ""
        except ValidationError as error:
            errors[name] = error.messages
    if not (report.person_name or "").strip():
        errors["person_name"] = [_("Give the name of the person or household head.")]
    needs = list(dict.fromkeys(report.needs or []))
    if not needs or any(need not in Need.values for need in needs):
        errors["needs"] = [_("Choose at least one need from the list.")]
    if report.source not in CaseSource.values:
        errors["source"] = [_("Choose where the case comes from.")]
    if report.household_category not in HouseholdCategory.values:
        errors["household_category"] = [_("Choose a household category.")]
    if report.urgency not in Urgency.values:
        errors["urgency"] = [_("Choose the urgency.")]
    if report.area is None or not report.area.is_within(mechanism.area):
        errors["area"] = [_("The area must lie within %(area)s.") % {"area": mechanism.area.name}]
    if report.consent_given and (not report.consent_by.strip() or report.consent_method not in ConsentMethod.values):
        errors["consent_by"] = [_("Say who gave the consent to share, and how.")]
    unit = report.source_unit
    if unit is not None and (unit.mechanism_id != mechanism.pk or not unit.is_active_on(timezone.localdate())):
        errors["source_unit"] = [_("The reporting unit must be an active member unit of this mechanism.")]
    if errors:
        raise ValidationError(errors)
    values["needs"] = needs
    return values


def _check_reporter(mechanism, report, by):
    if by is None:
        return
    if access.managed_mechanisms(by).filter(pk=mechanism.pk).exists():
        return
    if report.source_unit is not None and access.acting_unit_ids(by).filter(unit_id=report.source_unit.pk).exists():
        return
    raise ActionRefused(_("Only the secretariat or a liaison of the reporting unit may report a case here."))


def report_case(mechanism, report, by=None, confirmed=False, now=None):
    """Create a case in the triage queue; raises DuplicateSuspected unless confirmed, ValidationError on bad input."""
    now = now or timezone.now()
    values = _clean(mechanism, report)
    _check_reporter(mechanism, report, by)
    id_hash = personal.blind_index("id", values["id_number"]) if values["id_number"] else ""
    phone_hash = personal.blind_index("phone", values["phone"]) if values["phone"] else ""
    warnings = check_person(mechanism, id_hash, phone_hash)
    if warnings and not confirmed:
        raise DuplicateSuspected(warnings)
    with transaction.atomic():
        case = Case.objects.create(
            mechanism=mechanism,
            reference=next_reference(mechanism, timezone.localtime(now).year),
            source=report.source,
            source_unit=report.source_unit,
            reported_by=by,
            reported_at=now,
            person_name=report.person_name.strip(),
            id_number=values["id_number"],
            id_number_hash=id_hash,
            phone=values["phone"],
            phone_hash=phone_hash,
            address=report.address.strip(),
            area=report.area,
            household_category=report.household_category,
            needs=values["needs"],
            urgency=report.urgency,
            narrative=report.narrative.strip(),
            consent_given=report.consent_given,
            consent_by=report.consent_by.strip() if report.consent_given else "",
            consent_at=(report.consent_at or now) if report.consent_given else None,
            consent_method=report.consent_method if report.consent_given else "",
        )
        log(case, "xianjie.case.report", user=by, data={"duplicates_confirmed": bool(warnings)})
    return case
