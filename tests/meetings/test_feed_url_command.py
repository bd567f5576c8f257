"""manage.py feed_url USERNAME: prints the absolute feed URL, creating the token once."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from meetings.models import CalendarFeed
from tests.base import CastTestCase


def feed_url(*args):
    out, err = StringIO(), StringIO()
    call_command("feed_url", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


@override_settings(WAGTAILADMIN_BASE_URL="https://xianjie.example.org/")
class FeedUrlCommandTests(CastTestCase):
    def test_prints_the_absolute_url_and_creates_the_token_once(self):
        url, _err = feed_url("other_liaison")
        feed = CalendarFeed.objects.get(user=self.other_liaison)
        self.assertEqual(url, "https://xianjie.example.org" + reverse("calendar:feed", args=[feed.token]))
        self.assertTrue(url.endswith(f"/calendar/{feed.token}.ics"))
        again, _err = feed_url("other_liaison")
        self.assertEqual(again, url)
        self.assertEqual(CalendarFeed.objects.filter(user=self.other_liaison).count(), 1)

    def test_the_printed_url_serves_the_feed(self):
        url, _err = feed_url("secretariat")
        response = self.client.get(url.removeprefix("https://xianjie.example.org"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")

    def test_unknown_user_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "nobody"):
            feed_url("nobody")
        self.assertFalse(CalendarFeed.objects.exists())

    def test_inactive_user_gets_a_warning(self):
        self.other_liaison.is_active = False
        self.other_liaison.save()
        url, err = feed_url("other_liaison")
        self.assertTrue(url.startswith("https://xianjie.example.org/calendar/"))
        self.assertTrue(err.strip())
