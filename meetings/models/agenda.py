"""The agenda of a meeting, and the topics units propose for it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgendaItemKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Report on earlier action items (落实情况)")
    CASE = "case", _("Case")
    OVERDUE = "overdue", _("Overdue assignment back on the agenda")
    UNIT_REPORT = "unit_report", _("Unit report")
    TOPIC = "topic", _("Topic")
    OTHER = "other", _("Other")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(
        _("description"), blank=True, help_text=_("For the report on earlier action items: what is still open.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.TOPIC)
    presenter = models.ForeignKey(
        "mechanism.MemberUnit",
        verbose_name=_("presenter unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes = models.PositiveSmallIntegerField(_("minutes allotted"), default=10)
    case = models.ForeignKey(
        "mechanism.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(
        "mechanism.Assignment",
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposal = models.ForeignKey(
        "meetings.TopicProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    built = models.BooleanField(_("proposed by the agenda builder"), default=False)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_reason = models.TextField(_("reason for removing"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_removed(self):
        return self.removed_at is not None


class TopicProposal(models.Model):
    """A topic a unit asks to put on the next meeting's agenda."""

    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.CASCADE, related_name="topic_proposals"
    )
    unit = models.ForeignKey(
        "mechanism.MemberUnit", verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("topic"), max_length=300)
    minutes = models.PositiveSmallIntegerField(_("minutes asked for"), default=10)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposed topic")
        verbose_name_plural = _("proposed topics")
        ordering = ["proposed_at"]

    def __str__(self):
        return self.title
