"""Bad input on the public pages: the help request form, the answer link, the directory and its data, the feed."""

from urllib.parse import quote

import time_machine
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from mechanism.models import AreaLevel, Case, Membership, Role
from meetings.answers import make_token
from tests import guarantees
from tests.factories import AreaFactory
from tests.meetings.test_answers import BEFORE
from tests.meetings.test_ics import MeetingTestCase

from .harness import CJK, FUZZ_SETTINGS, FuzzTestCase
from .strategies import Post, any_value

HELP_URL = "/help/request/"


class HelpRequestFuzzTests(FuzzTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        AreaFactory(code="140105", name="小店区", level=AreaLevel.COUNTY, parent=cls.taiyuan_area)

    def valid_payload(self):
        form = self.page_form(HELP_URL)
        form.payload.update(name=["王五"], phone=["13800000000"], needs=["medical"], consent=["on"])
        form.payload["area"] = ["140105"]
        return form.payload

    def test_valid_payload_is_accepted(self):
        """The starting point of the fuzzing is a request that goes through (so mutations are what fails)."""
        response = self.client.post(HELP_URL, self.valid_payload())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Case.objects.count(), 1)

    def test_missing_name_is_told_in_chinese_by_default_and_nothing_is_saved(self):
        payload = self.valid_payload()
        del payload["name"]
        errors = self.check_one(HELP_URL, Post("drop", data=payload, field="name"))
        self.assertTrue(errors and all(CJK.search(text) for text in errors), errors)
        self.assertEqual(Case.objects.count(), 0)

    def test_nul_in_the_name_is_refused_not_stored(self):
        payload = self.valid_payload()
        payload["name"] = ["王\x00五"]
        errors = self.check_one(HELP_URL, Post("nul", data=payload, field="name"), language="en")
        self.assertIn("Null characters are not allowed.", errors)

    def test_fuzzed_help_requests_never_fail_or_half_save(self):
        self.fuzz(
            HELP_URL,
            self.valid_payload(),
            "help request form",
            quiet_ok=lambda post: post.field == "website",  # the honeypot: a bot is sent away without a word
            max_examples=60,
        )


@time_machine.travel(BEFORE, tick=False)
class AnswerLinkFuzzTests(MeetingTestCase, FuzzTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        membership = Membership.objects.get(user=cls.other_liaison, unit=cls.zgh, role=Role.LIAISON)
        cls.url = reverse("meeting_answers:answer", args=[make_token(cls.meeting, membership)])

    def test_fuzzed_answers_never_fail_or_half_save(self):
        payload = {"kind": ["deputy"], "attendee": ["赵副处长"], "reason": [""]}
        self.fuzz(self.url, payload, "meeting answer link", max_examples=40)

    def test_fuzzed_tokens_are_refused_without_an_error(self):
        count = {"n": 0}

        @FUZZ_SETTINGS
        @given(token=any_value.filter(lambda text: "/" not in text and text not in ("", ".", "..")))
        @example(token="a" * 10_000)
        @example(token="\x00")
        def run(token):
            count["n"] += 1
            for url in (f"/meetings/answer/{quote(token)}/", f"/calendar/{quote(token)}.ics"):
                response = self.client.get(url)
                self.assertIn(response.status_code, (400, 403, 404, 410), url)

        run()
        guarantees.add("fuzz", "inputs", count["n"] * 2, subject="answer and feed token URLs")
        guarantees.add("fuzz", "5xx", 0, subject="answer and feed token URLs")


    def test_feed_token_with_a_nul_byte_is_a_404_not_a_database_error(self):
        """Regression: on PostgreSQL the lookup of a token with NUL raised DataError (a 500)."""
        self.assertEqual(self.client.get("/calendar/%00.ics").status_code, 404)
        self.assertEqual(self.client.get("/meetings/answer/%00/").status_code, 404)


class DirectoryQueryFuzzTests(FuzzTestCase):
    def test_fuzzed_directory_and_open_data_queries_are_answered(self):
        count = {"n": 0}
        keys = ["by", "need", "group", "area", "page", "format", "q"]

        @FUZZ_SETTINGS
        @given(query=st.dictionaries(st.sampled_from(keys), st.lists(any_value, min_size=1, max_size=3), min_size=1))
        def run(query):
            pairs = [(key, value) for key, values in query.items() for value in values]
            for url in ("/help/", "/help/channels.json", "/help/channels.csv"):
                count["n"] += 1
                response = self.client.get(url, pairs)
                self.assertEqual(response.status_code, 200, (url, pairs))

        run()
        guarantees.add("fuzz", "inputs", count["n"], subject="directory and open data queries")
        guarantees.add("fuzz", "5xx", 0, subject="directory and open data queries")

    def test_unknown_need_is_named_in_the_page(self):
        response = self.client.get("/help/", {"need": "不存在"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "The need “不存在” does not exist")
