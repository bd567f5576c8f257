"""Assistance cases (救助个案): who needs help, with what, with whose consent, and where the case stands."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ..fields import EncryptedTextField


class CaseSource(models.TextChoices):
    MEMBER_UNIT = "member_unit", _("Member unit")
    ONE_DOOR = "one_door", _("Township one-door window")
    SERVICE_STATION = "service_station", _("Civil-affairs service station")
    CHARITY = "charity", _("Charity")
    HOTLINE = "hotline", _("Hotline")
    ONLINE_FORM = "online_form", _("Online help request")
    ESCALATION = "escalation", _("Escalated from a lower mechanism")


class HouseholdCategory(models.TextChoices):
    DIBAO = "dibao", _("Minimum living allowance (低保)")
    TEKUN = "tekun", _("Extreme poverty support (特困)")
    DIBAO_EDGE = "dibao_edge", _("Near the minimum living allowance (低保边缘)")
    RELAPSE_WATCH = "relapse_watch", _("Monitored against relapse into poverty (防止返贫监测)")
    RIGID_EXPENSE = "rigid_expense", _("Hardship from rigid expenses (刚性支出困难)")
    NONE = "none", _("None of these")


class Need(models.TextChoices):
    BASIC_LIVING = "basic_living", _("Basic living")
    MEDICAL = "medical", _("Medical")
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    DISABILITY = "disability", _("Disability and rehabilitation")
    CARE = "care", _("Care and visiting")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    EMERGENCY = "emergency", pgettext_lazy("need", "Emergency")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, with a witness")
    ONLINE = "online", _("Online")


class CaseState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REFERRED = "referred", _("Referred to units")
    TABLED = "tabled", _("Tabled for a meeting")
    ESCALATED = "escalated", _("Escalated to the parent mechanism")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATES = [
    CaseState.REPORTED,
    CaseState.ACCEPTED,
    CaseState.REFERRED,
    CaseState.TABLED,
    CaseState.ESCALATED,
    CaseState.IN_PROGRESS,
]
S = CaseState


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def for_person(self, id_hash="", phone_hash=""):
        """Cases of the same person: by ID number when known, else by phone."""
        if id_hash:
            return self.filter(id_number_hash=id_hash)
        if phone_hash:
            return self.filter(phone_hash=phone_hash)
        return self.none()


class Case(ConcurrentTransitionMixin, models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(_("reference number"), max_length=20, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    source_unit = models.ForeignKey(
        "mechanism.MemberUnit",
        verbose_name=_("reporting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    reported_at = models.DateTimeField(_("reported at"))

    person_name = models.CharField(_("name of the person or household head"), max_length=100)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    area = models.ForeignKey("mechanism.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    household_category = models.CharField(
        _("household category"), max_length=20, choices=HouseholdCategory.choices, default=HouseholdCategory.NONE
    )
    needs = models.JSONField(_("needs"), default=list)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    narrative = models.TextField(_("situation"), blank=True)

    consent_given = models.BooleanField(_("consent to share given"), default=False)
    consent_by = models.CharField(_("consent given by"), max_length=100, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_method = models.CharField(_("consent given how"), max_length=20, choices=ConsentMethod.choices, blank=True)

    state = FSMField(_("state"), default=S.REPORTED, choices=CaseState.choices, protected=True)
    state_reason = models.TextField(_("reason of the last decision"), blank=True)
    escalated_from = models.OneToOneField(
        "self",
        verbose_name=_("escalated from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_to",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    verified_on = models.DateField(_("verification call on"), null=True, blank=True)
    verification_result = models.TextField(_("verification call result"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at"]
        constraints = [models.UniqueConstraint(fields=["mechanism", "reference"], name="case_reference_unique")]
        indexes = [
            models.Index(fields=["mechanism", "state", "reported_at"], name="case_queue"),
            # The case list of a mechanism's staff, newest first (-reported_at, -pk): the keyset page seeks here.
            models.Index(fields=["mechanism", "reported_at", "id"], name="case_list"),
            # The superuser's case list (every mechanism), newest first: read in order, not sorted whole.
            models.Index(fields=["reported_at", "id"], name="case_newest"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    # Transitions: the service functions in mechanism.cases call these inside transaction.atomic.
    @transition(field=state, source=S.REPORTED, target=S.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=S.REPORTED, target=S.DECLINED)
    def decline(self):
        pass

    @transition(field=state, source=[S.ACCEPTED, S.REFERRED, S.IN_PROGRESS, S.TABLED], target=S.REFERRED)
    def refer(self):
        pass

    @transition(field=state, source=[S.ACCEPTED, S.REFERRED, S.IN_PROGRESS], target=S.TABLED)
    def table(self):
        pass

    @transition(
        field=state, source=[S.ACCEPTED, S.TABLED], target=S.ESCALATED, conditions=[lambda c: c.mechanism.parent_id]
    )
    def escalate(self):
        pass

    @transition(field=state, source=[S.REFERRED, S.TABLED, S.ESCALATED], target=S.IN_PROGRESS)
    def start_work(self):
        pass

    @transition(field=state, source=[S.REFERRED, S.IN_PROGRESS, S.ESCALATED, S.TABLED], target=S.RESOLVED)
    def resolve(self):
        pass

    @transition(field=state, source=S.RESOLVED, target=S.CLOSED)
    def close(self):
        pass

    @transition(field=state, source=[S.RESOLVED, S.CLOSED], target=S.ACCEPTED)
    def reopen(self):
        pass


class CaseCounter(models.Model):
    """The last reference number given per mechanism and year; claimed under a row lock."""

    mechanism = models.ForeignKey("mechanism.Mechanism", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mechanism", "year"], name="one_counter_per_year")]


def personal_match(id_hash, phone_hash):
    """A Q matching rows of the same person (ID number first, else phone)."""
    if id_hash:
        return Q(id_number_hash=id_hash)
    return Q(phone_hash=phone_hash) if phone_hash else Q(pk__in=[])
