"""The public Wagtail pages: one home page per mechanism, with its help directory below it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from mechanism.models import BrandProject

from .public import views as directory_views

INTRO_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class MechanismHomePage(RoutablePageMixin, Page):
    """What a mechanism is; its units, this year's convener and brand projects come from the database."""

    mechanism = models.OneToOneField(
        "mechanism.Mechanism",
        verbose_name=_("mechanism"),
        on_delete=models.PROTECT,
        related_name="home_page",
    )
    intro = RichTextField(
        _("introduction"),
        features=INTRO_FEATURES,
        blank=True,
        help_text=_("What the mechanism is and what it does for people in hardship."),
    )

    content_panels = [*Page.content_panels, FieldPanel("mechanism"), FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page", "xianjie.MechanismHomePage"]
    subpage_types = ["xianjie.MechanismHomePage"]
    template = "public/mechanism_home_page.html"

    class Meta:
        verbose_name = _("mechanism home page")
        verbose_name_plural = _("mechanism home pages")

    def directory_url(self):
        """The site root's directory is /help/ (every mechanism); other mechanisms have theirs below their page."""
        url = self.url or "/"
        return "/help/" if url == "/" else f"{url}help/"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        mechanism = self.mechanism
        units = list(mechanism.units.active_on(today))
        context.update(
            mechanism=mechanism,
            units=units,
            convener=mechanism.convener_on(timezone.now()),
            projects=list(BrandProject.objects.filter(unit__in=[unit.pk for unit in units]).select_related("unit")),
            child_pages=self.get_children().live().public().specific(),
            directory_url=self.directory_url(),
        )
        return context

    # The open data of this directory is /help/channels.json?area=<the mechanism's area code>: the same rows.
    @path("help/")
    def help_directory(self, request):
        return directory_views.render_directory(request, mechanism=self.mechanism, home_page=self)
