from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mechanism.demo import seed_mechanisms
from mechanism.demo_cases import seed_cases


class Command(BaseCommand):
    help = (
        "Load the demo data (Shanxi province and Taiyuan, their units and demo users); idempotent, never in production."
    )

    def handle(self, *args, **options):
        if not settings.XIANJIE_DEMO_ALLOWED:
            raise CommandError(
                _("seed_demo refuses to run under production settings: it would create known passwords.")
            )
        logins = seed_mechanisms()
        seed_cases()
        self.stdout.write(
            _("Demo data is in place. Log in at /admin/ with the password %(password)s as:")
            % {"password": settings.DEMO_PASSWORD}
        )
        for username, display in logins:
            self.stdout.write(f"  {username:<16} {display}")
