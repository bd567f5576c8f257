"""Deployment checks of our own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Without REDIS_URL each process keeps its own cache: an edit purges the public pages in one worker only."""
    if getattr(settings, "REDIS_URL", ""):
        return []
    return [
        Warning(
            "REDIS_URL is not set, so the cache lives in each process.",
            hint=(
                "With more than one gunicorn worker or machine, an edit purges the public page cache of one worker "
                "only and the others serve the old page until it expires. Set REDIS_URL (docs/operations.md, "
                "docs/scaling.md)."
            ),
            id="xianjie.W001",
        )
    ]
