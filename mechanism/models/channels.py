"""Help channels of member units (hotlines, e-mails, web forms, WeChat accounts, walk-in windows)
and the units' brand charity projects: what the public directory shows."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import hotlines
from ..channel_hours import describe_hours
from .cases import Need

STALE_AFTER_DAYS = 180


class ChannelKind(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    EMAIL = "email", _("E-mail")
    WEB_FORM = "web_form", _("Web form")
    WECHAT = "wechat", _("WeChat account")
    WINDOW = "window", _("Walk-in window")


class ServedGroup(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    ELDERLY = "elderly", _("Elderly people")
    MINORS = "minors", _("Minors")
    WOMEN = "women", _("Women")
    WORKERS = "workers", _("Workers")
    DISABLED = "disabled", _("People with disabilities")
    SERIOUSLY_ILL = "seriously_ill", _("Seriously ill people")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


NORMALIZERS = {
    ChannelKind.HOTLINE: hotlines.normalize_phone,
    ChannelKind.EMAIL: hotlines.normalize_email,
    ChannelKind.WEB_FORM: hotlines.normalize_url,
    ChannelKind.WECHAT: hotlines.normalize_wechat,
    ChannelKind.WINDOW: hotlines.normalize_address,
}


class HelpChannelQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def stale(self, today=None):
        limit = (today or timezone.localdate()) - datetime.timedelta(days=STALE_AFTER_DAYS)
        return self.filter(models.Q(last_verified_on__isnull=True) | models.Q(last_verified_on__lte=limit))

    def current(self, today=None):
        """Channels of units that are members today."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(unit__left_on__isnull=True) | models.Q(unit__left_on__gt=today), unit__joined_on__lte=today
        )


class HelpChannel(models.Model):
    unit = models.ForeignKey(
        "mechanism.MemberUnit", verbose_name=_("member unit"), on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    value = models.CharField(
        _("number or address"),
        max_length=200,
        help_text=_("A phone number, e-mail address, web address, WeChat account or street address, by kind."),
    )
    description = models.CharField(_("short description"), max_length=200, blank=True)
    open_24_hours = models.BooleanField(_("open 24 hours"), default=False)
    days = models.JSONField(_("days open"), default=list, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    hours_note = models.CharField(
        _("note on hours"), max_length=100, blank=True, help_text=_("For example: 法定节假日除外.")
    )
    areas = models.ManyToManyField(
        "mechanism.Area",
        verbose_name=_("areas served"),
        blank=True,
        related_name="+",
        help_text=_("Empty means the whole area of the mechanism."),
    )
    groups = models.JSONField(_("groups served"), default=list, blank=True)
    needs = models.JSONField(_("needs covered"), default=list, blank=True)
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Shown in the public directory."))
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HelpChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("help channel")
        verbose_name_plural = _("help channels")
        ordering = ["unit__mechanism__area__code", "unit__pk", "display_order", "pk"]
        indexes = [models.Index(fields=["unit", "is_public", "display_order"], name="channel_directory")]

    def __str__(self):
        return f"{self.unit.short_name} · {self.get_kind_display()} · {self.display_value}"

    def clean(self):
        errors = {}
        normalize = NORMALIZERS.get(self.kind)
        if normalize is not None:
            try:
                self.value = normalize(self.value)
            except ValidationError as error:
                errors["value"] = error.messages
        bad_days = [day for day in self.days or [] if day not in Weekday.values]
        if bad_days:
            errors["days"] = _("Choose days from Monday to Sunday.")
        if not self.open_24_hours:
            if (self.opens_at is None) != (self.closes_at is None):
                errors["closes_at"] = _("Give both the opening and the closing time, or neither.")
            elif self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
                errors["closes_at"] = _("The closing time must come after the opening time.")
            elif self.opens_at and not self.days:
                errors["days"] = _("Choose the days the channel is open.")
        if any(group not in ServedGroup.values for group in self.groups or []):
            errors["groups"] = _("Choose groups from the list.")
        if any(need not in Need.values for need in self.needs or []):
            errors["needs"] = _("Choose needs from the list.")
        if errors:
            raise ValidationError(errors)
        self.days = sorted(set(self.days or []))

    # Reading ---------------------------------------------------------------------------------------

    @property
    def is_phone(self):
        return self.kind == ChannelKind.HOTLINE

    @property
    def display_value(self):
        return hotlines.format_phone(self.value) if self.is_phone else self.value

    @property
    def href(self):
        """The link a visitor follows: tel:, mailto: or the web form; empty for WeChat and windows."""
        if self.kind == ChannelKind.HOTLINE:
            return hotlines.tel_uri(self.value)
        if self.kind == ChannelKind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind == ChannelKind.WEB_FORM:
            return self.value
        return ""

    def is_stale(self, today=None):
        """Not verified for STALE_AFTER_DAYS days (or never): on day 180 after the last check it is stale."""
        if self.last_verified_on is None:
            return True
        today = today or timezone.localdate()
        return (today - self.last_verified_on).days >= STALE_AFTER_DAYS

    def hours_text(self):
        """Service hours in words: 24小时 / 周一至周五 08:30–17:30，法定节假日除外."""
        return describe_hours(self)

    def group_labels(self):
        return [ServedGroup(group).label for group in self.groups or [] if group in ServedGroup.values]

    def need_labels(self):
        return [Need(need).label for need in self.needs or [] if need in Need.values]


class ChannelReminder(models.Model):
    """One stale-channel reminder per channel and ISO week: claimed before the mail is sent, never twice."""

    channel = models.ForeignKey(HelpChannel, on_delete=models.CASCADE, related_name="reminders")
    week = models.DateField(help_text="The Monday of the week the reminder belongs to.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "week"], name="one_channel_reminder_per_week")]


class BrandProject(models.Model):
    """A unit's brand charity project (品牌慈善项目), shown on the mechanism's home page."""

    unit = models.ForeignKey(
        "mechanism.MemberUnit", verbose_name=_("member unit"), on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(_("name"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    url = models.URLField(_("web address"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("brand charity project")
        verbose_name_plural = _("brand charity projects")
        ordering = ["unit__mechanism__area__code", "unit__pk", "display_order", "pk"]

    def __str__(self):
        return f"{self.unit.short_name} · {self.name}"
