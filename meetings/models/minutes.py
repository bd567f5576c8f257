"""The minutes (会议纪要) of a held meeting: per agenda item a summary, decisions and action items, reviewed by
the attending units in rounds, approved by the convener and published. Every round is kept as a revision."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class MinutesState(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    IN_REVIEW = "in_review", _("In review")
    REVISED = "revised", _("Revised")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


M = MinutesState
EDITABLE_STATES = [M.DRAFTED, M.REVISED]
FINAL_STATES = [M.APPROVED, M.PUBLISHED]


class Minutes(ConcurrentTransitionMixin, models.Model):
    meeting = models.OneToOneField(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    state = FSMField(_("state"), default=M.DRAFTED, choices=MinutesState.choices, protected=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    opening = models.TextField(
        _("opening paragraph"), blank=True, help_text=_("Who convened, who chaired, what the meeting did (optional).")
    )
    comment_deadline = models.DateField(_("comments due by"), null=True, blank=True)
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    publication_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return _("Minutes of %(meeting)s") % {"meeting": self.meeting.name}

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_final(self):
        return self.state in FINAL_STATES

    # Transitions: the service functions in meetings.services.minutes call these inside transaction.atomic.
    @transition(field=state, source=[M.DRAFTED, M.REVISED], target=M.IN_REVIEW)
    def send_for_review(self):
        pass

    @transition(field=state, source=M.IN_REVIEW, target=M.REVISED)
    def revise(self):
        pass

    @transition(field=state, source=[M.IN_REVIEW, M.REVISED], target=M.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=M.APPROVED, target=M.PUBLISHED)
    def publish(self):
        pass

    @transition(field=state, source=[M.APPROVED, M.PUBLISHED], target=M.REVISED)
    def correct(self):
        pass


class MinutesRevision(models.Model):
    """One revision of the text: its reason, the review round it went to, and its content as sent or approved."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    reason = models.TextField(_("reason for the revision"), blank=True)
    is_correction = models.BooleanField(_("correction after approval"), default=False)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)
    comment_deadline = models.DateField(_("comments due by"), null=True, blank=True)
    reviewers = models.ManyToManyField(
        "mechanism.MemberUnit", verbose_name=_("units asked to review"), blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    review_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The text as it left the editor (sent for review or approved): see meetings.minutes_text.snapshot.
    content = models.JSONField(_("content"), default=dict, blank=True)

    class Meta:
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        ordering = ["minutes", "number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="one_revision_number")]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}


class ItemMinutes(models.Model):
    """The minutes of one agenda item in the current text."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="items")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("minutes of an agenda item")
        verbose_name_plural = _("minutes of agenda items")
        ordering = ["agenda_item__order", "agenda_item__pk"]
        constraints = [models.UniqueConstraint(fields=["minutes", "agenda_item"], name="one_minutes_per_item")]

    def __str__(self):
        return self.agenda_item.title


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("Decision (决定事项)")
    ACTION = "action", _("Action item (督办事项)")


class Decision(models.Model):
    """A decision or an action item of one agenda item. On approval, a decision on a case item with units
    refers the case to them, and an action item becomes one case-less assignment per unit; each assignment's
    `source` is this row. `applied_at` is claimed once, so a second approval or a retried job adds nothing."""

    item = models.ForeignKey(
        ItemMinutes, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices, default=DecisionKind.DECISION)
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    expected_result = models.TextField(_("expected result"), blank=True)
    units = models.ManyToManyField(
        "mechanism.MemberUnit", verbose_name=_("responsible units"), blank=True, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_in = models.PositiveIntegerField(_("added in revision"), default=1)
    applied_at = models.DateTimeField(_("assignments created at"), null=True, blank=True, editable=False)
    assignments = GenericRelation(
        "mechanism.Assignment",
        content_type_field="source_type",
        object_id_field="source_id",
        related_query_name="decision",
    )

    class Meta:
        verbose_name = _("decision or action item")
        verbose_name_plural = _("decisions and action items")
        ordering = ["item", "order", "pk"]

    def __str__(self):
        return self.text[:60]

    @property
    def is_applied(self):
        return self.applied_at is not None


class ReviewResponse(models.Model):
    """A reviewing unit's answer to one round: agreed, or commented (its comments are MinutesComment rows)."""

    revision = models.ForeignKey(
        MinutesRevision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="responses"
    )
    unit = models.ForeignKey("mechanism.MemberUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    agreed = models.BooleanField(_("agrees without comment"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("review answer")
        verbose_name_plural = _("review answers")
        constraints = [models.UniqueConstraint(fields=["revision", "unit"], name="one_response_per_unit")]


class MinutesComment(models.Model):
    revision = models.ForeignKey(
        MinutesRevision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="comments"
    )
    unit = models.ForeignKey("mechanism.MemberUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: a comment on the minutes as a whole."),
    )
    text = models.TextField(_("comment"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("commented at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on the minutes")
        verbose_name_plural = _("comments on the minutes")
        ordering = ["revision", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]
