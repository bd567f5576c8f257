"""转介函: the letter that goes with a case assignment to the receiving unit.

It carries only the personal data that unit needs. A government department or mass organisation gets the
name, address and phone, to reach the person, and the ID number masked; a charity or social organisation
gets name, phone and address only with the person's consent, never the ID number; without consent it gets
the area, the needs and the household category and nothing that names the person. Rendering a letter that
holds personal data is written to the access log.
"""

import phonenumbers
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .. import access
from ..models import AccessKind, Assignment, HouseholdCategory, Need, PersonalDataAccess, UnitKind
from ..personal import mask_id_number
from .builder import OfficialDocument, chinese_date
from .registry import DocumentKind, register

CONTACT_UNITS = (UnitKind.GOVERNMENT, UnitKind.MASS_ORGANISATION)


def shared_fields(assignment):
    """The person's details the receiving unit gets: a subset of name, phone, address, id_number."""
    if assignment.unit.kind in CONTACT_UNITS:
        return {"name", "phone", "address", "id_number"}
    if assignment.case.consent_given:
        return {"name", "phone", "address"}
    return set()


def build(assignment, progress):
    case, unit = assignment.case, assignment.unit
    doc = OfficialDocument()
    doc.title(_("Letter on referring assistance case %(reference)s") % {"reference": case.reference})
    doc.addressee(unit.name)
    doc.paragraph(
        _(
            "Under the mechanism linking government assistance with charity help, assistance case %(reference)s "
            "is referred to your unit. Please help the person within your remit."
        )
        % {"reference": case.reference}
    )
    doc.heading1(pgettext("referral letter", "1. The case"))
    case_lines(doc, assignment)
    doc.heading1(pgettext("referral letter", "2. What is asked"))
    doc.paragraph(assignment.task.strip() or needs_request(case))
    doc.paragraph(
        _("Please complete it by %(date)s and report the outcome to the issuing unit.")
        % {"date": chinese_date(assignment.due_on)}
    )
    doc.heading1(pgettext("referral letter", "3. Basis"))
    doc.paragraph(basis(case))
    doc.signature(issuing_unit(assignment.mechanism), timezone.localdate())
    progress(1, 1)
    return doc


def case_lines(doc, assignment):
    case, fields = assignment.case, shared_fields(assignment)
    needs = dict(Need.choices)
    lines = [
        (pgettext("referral letter", "Case reference: "), case.reference),
        (pgettext("referral letter", "Name: "), case.person_name if "name" in fields else None),
        (pgettext("referral letter", "ID number: "), id_line(case) if "id_number" in fields else None),
        (pgettext("referral letter", "Phone: "), national(case.phone) if "phone" in fields else None),
        (pgettext("referral letter", "Area: "), case.area.name),
        (pgettext("referral letter", "Address: "), case.address if "address" in fields else None),
        (pgettext("referral letter", "Household category: "), case.get_household_category_display()),
        (pgettext("referral letter", "Needs: "), "、".join(str(needs.get(need, need)) for need in case.needs)),
        (pgettext("referral letter", "Urgency: "), case.get_urgency_display()),
    ]
    for lead, text in lines:
        if text:
            doc.paragraph(str(text), bold_lead=lead)
    if not fields:
        doc.paragraph(
            _(
                "The person has not consented to their details going to a charity: this letter gives no name, "
                "contact details or ID number. To reach the person, contact the issuing unit."
            )
        )


def id_line(case):
    if not case.id_number:
        return None
    return _("%(masked)s (partly hidden)") % {"masked": mask_id_number(case.id_number)}


def national(phone):
    """+8613800000000 as people dial it: 13800000000, 03511234567."""
    try:
        number = phonenumbers.parse(phone, "CN")
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")


def needs_request(case):
    labels = dict(Need.choices)
    needs = "、".join(str(labels.get(need, need)) for need in case.needs)
    return _("Please help the person with what they need: %(needs)s.") % {"needs": needs}


def basis(case):
    """The plan lets a member unit skip re-checking what civil affairs has verified (Shanxi plan, part 2 (2))."""
    text = _(
        "Under the implementation plan for effectively linking government assistance with charity help, member "
        "units may simplify their checks of people referred by the civil-affairs department and help them on "
        "the strength of its referral letter."
    )
    if case.household_category != HouseholdCategory.NONE:
        verified = _(
            "The household's category (%(category)s) and circumstances have been verified by the civil-affairs "
            "department; your unit need not check them again."
        ) % {"category": case.get_household_category_display()}
    else:
        verified = _(
            "The person's circumstances have been verified by the civil-affairs department; your unit need not "
            "check them again."
        )
    return text + verified


def issuing_unit(mechanism):
    """The lead unit (civil affairs) issues referral letters; without one, the mechanism's office."""
    lead = mechanism.lead_unit
    return lead.name if lead is not None else _("%(mechanism)s Office") % {"mechanism": mechanism.name}


def audit(assignment, user):
    """A letter that names the person is an export of personal data: one access-log row per rendering."""
    if not shared_fields(assignment):
        return
    case = assignment.case
    PersonalDataAccess.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        mechanism=case.mechanism,
        case=case,
        kind=AccessKind.EXPORT,
        reason=_("Referral letter to %(unit)s") % {"unit": assignment.unit.name},
    )


def get_for_user(user, pk):
    assignment = access.get_assignment_for_user(user, pk)
    if assignment.case_id is None:
        raise Http404("This assignment has no case, so no referral letter.")
    return assignment


def get(pk):
    return Assignment.objects.select_related("case__area", "case__mechanism", "unit", "mechanism").get(
        pk=pk, case__isnull=False
    )


def filename(assignment):
    return _("Referral letter %(reference)s to %(unit)s.docx") % {
        "reference": assignment.case.reference,
        "unit": assignment.unit.short_name,
    }


def register_kind():
    register(
        DocumentKind(
            name="referral",
            label=gettext_lazy("Referral letter"),
            get_for_user=get_for_user,
            get=get,
            build=build,
            filename=filename,
            audit=audit,
        )
    )
