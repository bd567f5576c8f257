"""Recording assistance, and revealing or viewing a person's details — each view of personal data is logged."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import access
from ..models import AccessKind, AssistanceKind, AssistanceRecord, Funding, PersonalDataAccess
from .errors import ActionRefused, DuplicateSuspected
from .guard import check_person


def record_assistance(case, unit, kind, given_on, funding, amount=None, service="", by=None, confirmed=False):
    """Record what a unit gave; warns first if another unit helped the same person in the last 12 months."""
    if kind not in AssistanceKind.values or funding not in Funding.values:
        raise ActionRefused(_("Choose the kind of assistance and whether it is government or charity help."))
    if given_on > timezone.localdate():
        raise ActionRefused(_("Assistance cannot be recorded for a future date."))
    if amount is not None:
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            raise ActionRefused(_("The amount must be a number of yuan.")) from None
        if amount <= 0:
            raise ActionRefused(_("The amount must be more than zero."))
    if amount is None and not (service or "").strip():
        raise ActionRefused(_("Give the amount or describe the service or goods."))
    if by is not None and not (
        access.triaged_cases(by).filter(pk=case.pk).exists()
        or access.acting_assignments(by).filter(case=case, unit=unit).exists()
    ):
        raise ActionRefused(_("Only the secretariat or the assigned unit records assistance for this case."))
    warnings = check_person(
        case.mechanism, case.id_number_hash, case.phone_hash, exclude_case=case, assisting_unit=unit
    )
    if warnings and not confirmed:
        raise DuplicateSuspected(warnings)
    with transaction.atomic():
        record = AssistanceRecord.objects.create(
            mechanism=case.mechanism,
            case=case,
            unit=unit,
            kind=kind,
            amount=amount,
            service=(service or "").strip(),
            given_on=given_on,
            funding=funding,
            id_number_hash=case.id_number_hash,
            phone_hash=case.phone_hash,
            recorded_by=by,
        )
        log(case, "xianjie.case.assistance", user=by, data={"unit": unit.name, "kind": kind})
    return record


def reveal_personal_field(case, field, reason, by):
    """The full ID number or phone, for a stated reason, written to the access log."""
    kinds = {"id_number": AccessKind.REVEAL_ID, "phone": AccessKind.REVEAL_PHONE}
    if field not in kinds:
        raise ActionRefused(_("Only the ID number or the phone can be revealed."))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ActionRefused(_("Say why you need to see the full value."))
    if not access.may_see_personal_fields(by, case):
        raise ActionRefused(_("Your unit may not see this person's details."))
    PersonalDataAccess.objects.create(user=by, mechanism=case.mechanism, case=case, kind=kinds[field], reason=reason)
    return getattr(case, field)


def log_case_view(case, by):
    PersonalDataAccess.objects.create(user=by, mechanism=case.mechanism, case=case, kind=AccessKind.VIEW)
