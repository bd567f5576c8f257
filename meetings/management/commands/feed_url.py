from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.models import CalendarFeed


class Command(BaseCommand):
    help = "Print a user's personal calendar feed URL, creating the secret token if the user has none."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(_("No user with the username “%(username)s”.") % {"username": username}) from None
        feed, _created = CalendarFeed.objects.get_or_create(user=user)
        if not user.is_active:
            self.stderr.write(_("This user is inactive: the feed answers 404 until the account is active again."))
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(base + reverse("calendar:feed", args=[feed.token]))
