"""The duplicate guard: is this person already helped by another unit, or has an open case nearby?"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AssistanceRecord, Case, Mechanism
from ..models.cases import personal_match


@dataclass(frozen=True)
class GuardWarning:
    """What the guard tells: which unit or mechanism and when — never another unit's narrative."""

    text: str
    reference: str = ""


def mechanism_and_children(mechanism):
    """Primary keys of the mechanism and every mechanism below it (one query per level)."""
    ids, level = [mechanism.pk], [mechanism.pk]
    while level:
        level = list(Mechanism.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        ids += level
    return ids


def check_person(mechanism, id_hash, phone_hash, exclude_case=None, assisting_unit=None, today=None):
    """Warnings for an open case of the same person in this mechanism or below, or assistance in the last year."""
    match = personal_match(id_hash, phone_hash)
    warnings = []
    cases = Case.objects.open().filter(match, mechanism_id__in=mechanism_and_children(mechanism))
    if exclude_case is not None:
        cases = cases.exclude(pk=exclude_case.pk)
    for case in cases.select_related("mechanism").order_by("reported_at")[:5]:
        warnings.append(
            GuardWarning(
                _("Open case %(reference)s in %(mechanism)s, reported on %(day)s.")
                % {
                    "reference": case.reference,
                    "mechanism": case.mechanism.name,
                    "day": timezone.localtime(case.reported_at).date().isoformat(),
                },
                case.reference,
            )
        )
    since = (today or timezone.localdate()) - datetime.timedelta(days=365)
    records = AssistanceRecord.objects.filter(match, given_on__gte=since)
    if assisting_unit is not None:
        records = records.exclude(unit=assisting_unit)
    for record in records.select_related("unit").order_by("-given_on")[:5]:
        warnings.append(
            GuardWarning(
                _("%(unit)s gave %(kind)s on %(day)s.")
                % {"unit": record.unit.name, "kind": record.get_kind_display(), "day": record.given_on.isoformat()}
            )
        )
    return warnings
