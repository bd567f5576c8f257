"""Bad input on the calendar feed screen (create, revoke) and on the document downloads: garbage kinds and pks
under /admin/documents/ are a 404, never a 500; each valid request is accepted too."""

from urllib.parse import quote

from django.urls import Resolver404, resolve, reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.models import CalendarFeed
from tests import guarantees
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

from .harness import FUZZ_SETTINGS, FuzzTestCase, rolled_back
from .strategies import nasty_text, numbers, wrong_types

SKIP = ("logout",)
KINDS = ("notice", "agenda", "signin", "minutes", "handover", "summary", "referral")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class CalendarFeedFuzzTests(FuzzTestCase):
    def test_valid_create_and_revoke_are_accepted(self):
        self.login(self.other_liaison)
        screen = reverse("meetings_calendar_feed")
        form = self.page_form(screen, "/create/")
        response = self.client.post(form.action, form.payload, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        self.assertIn("Your calendar feed URL is ready.", " ".join(str(m) for m in response.context["messages"]))
        token = CalendarFeed.objects.get(user=self.other_liaison).token
        form = self.page_form(screen, "/revoke/")
        response = self.client.post(form.action, form.payload, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        self.assertIn("was revoked", " ".join(str(m) for m in response.context["messages"]))
        self.assertFalse(CalendarFeed.objects.exists())
        self.assertEqual(self.client.get(reverse("calendar:feed", args=[token])).status_code, 404)

    def test_fuzzed_create_and_revoke(self):
        self.login(self.other_liaison)
        screen = reverse("meetings_calendar_feed")
        self.fuzz_page(screen, "calendar feed (none)", per_form=8, skip=SKIP)
        CalendarFeed.objects.create(user=self.other_liaison)
        self.fuzz_page(screen, "calendar feed (created)", per_form=8, skip=SKIP)


garbage_kind = st.one_of(nasty_text.filter(bool), numbers, wrong_types.filter(str.strip), st.sampled_from(KINDS))
garbage_pk = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "99999999999999999999", "9223372036854775808", "2147483648", "1e3", "%00", "١٢٣"]),
    nasty_text,
)


class DocumentDownloadFuzzTests(FuzzTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.meeting = MeetingFactory(mechanism=cls.province, invited_units=[cls.zgh, cls.tsw])
        AgendaItemFactory(meeting=cls.meeting, order=1, title="议题一")
        cls.foreign = MeetingFactory(mechanism=cls.taiyuan)

    def test_a_valid_download_is_a_docx(self):
        self.login(self.secretariat)
        response = self.client.get(reverse("xianjie_documents:download", args=["notice", self.meeting.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], DOCX)
        self.assertIn("attachment", response["Content-Disposition"])
        response = self.client.get(reverse("xianjie_documents:download", args=["notice", self.foreign.pk]))
        self.assertEqual(response.status_code, 404)

    def expect_404(self, path):
        """A path our download or job views would answer (or nothing would) must be 404; a Wagtail document
        screen that happens to match a garbage kind (e.g. edit/1/) only must not fail."""
        try:
            match = resolve(path)
        except Resolver404:
            return True
        return match.namespace == "xianjie_documents" or "wagtaildocs" not in match.namespace

    def test_garbage_kinds_and_pks_are_404_never_500(self):
        self.login(self.secretariat)
        counts = {"inputs": 0}
        real = [str(self.meeting.pk), str(self.foreign.pk)]

        @settings(FUZZ_SETTINGS, max_examples=40)
        @given(kind=garbage_kind, pk=st.one_of(garbage_pk, st.sampled_from(real)), job=st.booleans())
        def run(kind, pk, job):
            path = (
                f"/admin/documents/job/{quote(pk, safe='')}/{'file/' if kind in KINDS else ''}"
                if job
                else f"/admin/documents/{quote(kind, safe='')}/{quote(pk, safe='')}/"
            )
            valid = not job and kind in ("notice", "agenda", "signin") and pk == str(self.meeting.pk)
            with rolled_back():
                counts["inputs"] += 1
                response = self.client.get(path)
                self.assertLess(response.status_code, 500, path)
                if not valid and self.expect_404(path):
                    self.assertEqual(response.status_code, 404, path)

        run()
        for measure, figure in (("inputs", counts["inputs"]), ("5xx", 0), ("half-saved", 0)):
            guarantees.add("fuzz", measure, figure, subject="document download")
