"""Purge the public page cache when anything the public pages show changes."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from mechanism.models import Area, BrandProject, ConvenerTerm, HelpChannel, Mechanism, MemberUnit

from .cache import purge

WATCHED = (HelpChannel, MemberUnit, BrandProject, ConvenerTerm, Mechanism, Area, Site)


def purge_public_cache(**kwargs):
    # Now, so this process shows the change at once; again after the commit, so that a page rendered
    # from the old rows while the transaction was open is not kept.
    purge()
    transaction.on_commit(purge)


for model in WATCHED:
    post_save.connect(purge_public_cache, sender=model, dispatch_uid=f"xianjie-purge-save-{model.__name__}")
    post_delete.connect(purge_public_cache, sender=model, dispatch_uid=f"xianjie-purge-delete-{model.__name__}")
m2m_changed.connect(purge_public_cache, sender=HelpChannel.areas.through, dispatch_uid="xianjie-purge-areas")
post_delete.connect(purge_public_cache, sender=Page, dispatch_uid="xianjie-purge-page-delete")
page_published.connect(purge_public_cache, dispatch_uid="xianjie-purge-published")
page_unpublished.connect(purge_public_cache, dispatch_uid="xianjie-purge-unpublished")
post_page_move.connect(purge_public_cache, dispatch_uid="xianjie-purge-moved")
