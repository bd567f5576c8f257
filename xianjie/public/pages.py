"""The page tree of the public site: the top mechanism's home page is the site root, every other
mechanism's home page sits below the page of its parent mechanism."""

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from mechanism.models import AreaLevel, Mechanism

LEVEL_ORDER = {AreaLevel.PROVINCE: 0, AreaLevel.CITY: 1, AreaLevel.COUNTY: 2}


def _is_wagtails_welcome_page(page):
    """The placeholder page Wagtail's first migration creates, untouched by editors."""
    return page.specific_class is Page and page.depth == 2 and not page.get_children().exists()


def _site_root_for(page):
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=page, is_default_site=True)
        return
    old = site.root_page
    if old.pk == page.pk or not _is_wagtails_welcome_page(old):
        return
    site.root_page = page
    site.save()
    old.delete()


def _tree_root():
    """Wagtail's root node; made again if a test flush removed what the migrations created."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


@transaction.atomic
def install_home_pages(slugs=None, intros=None):
    """Create the missing home pages and return {area code: page}; existing pages are left as editors made them.

    `slugs` and `intros` map area codes to a slug and an intro (rich text HTML); the area code is the default slug.
    """
    from xianjie.models import MechanismHomePage

    slugs, intros = slugs or {}, intros or {}
    pages = {page.mechanism_id: page for page in MechanismHomePage.objects.all()}
    mechanisms = sorted(
        Mechanism.objects.select_related("area"), key=lambda m: (LEVEL_ORDER.get(m.area.level, 9), m.area.code)
    )
    root = _tree_root()
    for mechanism in mechanisms:
        code = mechanism.area.code
        if mechanism.pk in pages:
            continue
        parent = pages.get(mechanism.parent_id)
        page = MechanismHomePage(
            title=mechanism.name, slug=slugs.get(code, code), mechanism=mechanism, intro=intros.get(code, "")
        )
        (parent or root).add_child(instance=page)
        page.save_revision().publish()
        pages[mechanism.pk] = page
        if parent is None:
            _site_root_for(page)
    return {page.mechanism.area.code: page for page in pages.values()}
