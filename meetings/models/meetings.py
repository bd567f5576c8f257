"""Meetings of a joint mechanism: numbered per mechanism and year, convened by the unit holding the term."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting (定期例会)")
    THEMATIC = "thematic", _("Thematic meeting (专题会议)")
    EMERGENCY = "emergency", _("Emergency consultation (紧急会商)")
    ANNUAL = "annual", _("Annual summary and handover (年度总结交接会)")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOTICED = "noticed", _("Notice sent")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


S = MeetingState


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).exclude(state=S.CANCELLED)

    def for_user(self, user):
        """Meetings the user is invited to: one of the user's units is invited."""
        return self.filter(invited_units__memberships__user=user).distinct()


class Meeting(ConcurrentTransitionMixin, models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    year = models.PositiveIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number in the year"), editable=False)
    title = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("For a thematic meeting: its theme.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    chair = models.CharField(_("chair"), max_length=100, blank=True, help_text=_("Usually the convener unit's leader."))
    invited_units = models.ManyToManyField(
        "mechanism.MemberUnit", verbose_name=_("invited units"), related_name="meetings", blank=True
    )
    guests = models.TextField(_("guests"), blank=True, help_text=_("One guest per line: name and organisation."))
    series = models.ForeignKey(
        "meetings.MeetingSeries",
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    state = FSMField(_("state"), default=S.DRAFT, choices=MeetingState.choices, protected=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="iCalendar SEQUENCE: raised when time, place or status changes."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "year", "number"], name="meeting_number_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
        ]
        indexes = [models.Index(fields=["mechanism", "starts_at"], name="meeting_calendar")]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """2026年第3次联席会议 (the mechanism's numbering; a cancelled meeting keeps its number)."""
        return _("Joint meeting no. %(number)s of %(year)s") % {"year": self.year, "number": self.number}

    @property
    def ical_uid(self):
        """The UID of the meeting in every invitation and feed."""
        return f"meeting-{self.uid}@xianjie"

    @property
    def convener(self):
        """The unit holding the convener term when the meeting starts (never typed)."""
        return self.mechanism.convener_on(self.starts_at) if self.starts_at and self.mechanism_id else None

    @property
    def duration_minutes(self):
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A meeting ends after it starts.")
        if self.starts_at and self.mechanism_id and self.convener is None:
            errors["starts_at"] = _(
                "No unit holds the convener term on this date; enter the convener terms first (or choose another date)."
            )
        if errors:
            raise ValidationError(errors)

    # Transitions: the service functions in meetings.services call these inside transaction.atomic.
    @transition(field=state, source=[S.DRAFT, S.NOTICED], target=S.NOTICED)
    def notice(self):
        pass

    @transition(field=state, source=S.NOTICED, target=S.HELD)
    def hold(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.NOTICED], target=S.CANCELLED)
    def cancel(self):
        pass


class MeetingCounter(models.Model):
    """The last meeting number given per mechanism and year; claimed under a row lock, never reused."""

    mechanism = models.ForeignKey("mechanism.Mechanism", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mechanism", "year"], name="one_meeting_counter_per_year")]
