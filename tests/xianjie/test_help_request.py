"""The online help request at /help/request/: it becomes a case of the right mechanism, tells the sender only
the reference, and turns away bad input, bots and floods without a 500 or a trace in URLs and logs."""

import datetime
import logging
import re
from contextlib import contextmanager

import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, override_settings
from wagtail.models import ModelLogEntry

from mechanism import personal
from mechanism.models import AreaLevel, Case, CaseSource, CaseState, ConsentMethod
from mechanism.services.guard import check_person
from xianjie.helprequest.forms import HelpRequestForm
from xianjie.helprequest.ratelimit import ACCEPTED_PER_WINDOW, ATTEMPTS_PER_WINDOW

from ..base import CastTestCase
from ..factories import SHANGHAI, AreaFactory

URL = "/help/request/"
SENT_URL = "/help/request/sent/"
# A quarter past ten: the rate-limit window is the clock hour, so it ends at eleven.
MORNING = datetime.datetime(2026, 3, 16, 10, 15, tzinfo=SHANGHAI)
NAME = "李明远"
PHONE = "138 0013 8000"
PHONE_DIGITS = "13800138000"
REFERENCE = re.compile(r"XJ-2026-\d{6}")


def request_data(**overrides):
    data = {
        "name": NAME,
        "phone": PHONE,
        "area": "140100",
        "needs": ["basic_living", "medical"],
        "needs_detail": "需要住院费用",
        "situation": "一家三口，父亲重病",
        "household_category": "dibao",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class RecordEverything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.texts = []

    def emit(self, record):
        self.texts.append(f"{record.getMessage()} {record.args!r} {record.__dict__!r}")


@contextmanager
def captured_logs():
    """Every record of every logger at DEBUG, as text including its arguments and extra attributes."""
    handler = RecordEverything()
    loggers = [logging.getLogger(), logging.getLogger("django")]
    levels = [logger.level for logger in loggers]
    loggers[0].addHandler(handler)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    try:
        yield handler.texts
    finally:
        loggers[0].removeHandler(handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class HelpRequestTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        county = AreaLevel.COUNTY
        cls.xiaodian = AreaFactory(code="140105", name="小店区", level=county, parent=cls.taiyuan_area)
        cls.datong = AreaFactory(code="140200", name="大同市", level=AreaLevel.CITY, parent=cls.shanxi)
        cls.pingcheng = AreaFactory(code="140213", name="平城区", level=county, parent=cls.datong)
        cls.hebei = AreaFactory(code="130000", name="河北省", level=AreaLevel.PROVINCE)

    def setUp(self):
        cache.clear()
        traveller = time_machine.travel(MORNING, tick=False)
        self.clock = traveller.start()
        self.addCleanup(traveller.stop)

    def send(self, data=None, address="10.0.0.1", client=None, **extra):
        client = client or self.client
        return client.post(
            URL, request_data() if data is None else data, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en", **extra
        )

    def sent_page(self):
        return self.client.get(SENT_URL, HTTP_ACCEPT_LANGUAGE="en")


class FormPageTests(HelpRequestTestCase):
    def test_get_shows_the_form_with_the_consent_text(self):
        response = self.client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "I agree that the name, phone number, area and situation given here are shared with the secretariat "
            "of the joint mechanism for this area and with the member units it assigns the request to, "
            "only to help with this request.",
        )
        self.assertContains(response, 'name="csrfmiddlewaretoken"')
        self.assertContains(response, 'href="/help/"')

    def test_areas_listed_are_those_with_a_mechanism_or_within_one(self):
        response = self.client.get(URL)
        options = dict(re.findall(r'<option value="(\d{6})"[^>]*>([^<]+)</option>', response.content.decode()))
        self.assertEqual(
            options,
            {"140000": "山西省", "140100": "太原市", "140105": "小店区", "140200": "大同市", "140213": "平城区"},
        )
        self.assertContains(response, '<optgroup label="山西省 太原市">')

    def test_every_field_has_a_label_and_the_phone_is_a_tel_input(self):
        content = self.client.get(URL).content.decode()
        ids = re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', content)
        self.assertIn("id_phone", ids)
        for field_id in ids:
            self.assertIn(f'for="{field_id}"', content, field_id)
        phone = re.search(r"<input[^>]*name=\"phone\"[^>]*>", content).group()
        for attribute in ('type="tel"', 'autocomplete="tel"', 'inputmode="tel"', "required"):
            self.assertIn(attribute, phone)
        self.assertRegex(content, r'<input[^>]*name="name"[^>]*autocomplete="name"')

    def test_honeypot_is_hidden_from_people(self):
        content = self.client.get(URL).content.decode()
        trap = re.search(r'<div class="request-trap" aria-hidden="true">.*?</div>', content, re.S).group()
        self.assertRegex(trap, r'<input type="text" name="website" id="id_website" value="" tabindex="-1" autocomplete')
        self.assertIn('autocomplete="off"', trap)

    def test_pages_are_never_cached(self):
        for url in (URL, SENT_URL):
            with self.subTest(url=url):
                cache_control = self.client.get(url)["Cache-Control"]
                self.assertIn("no-store", cache_control)
                self.assertIn("private", cache_control)

    def test_csrf_is_enforced(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(self.send(client=client).status_code, 403)
        self.assertFalse(Case.objects.exists())
        client.get(URL)
        token = client.cookies["csrftoken"].value
        self.assertEqual(self.send(request_data(csrfmiddlewaretoken=token), client=client).status_code, 302)
        self.assertEqual(Case.objects.count(), 1)


class ValidRequestTests(HelpRequestTestCase):
    def test_valid_request_creates_one_reported_online_case_and_shows_its_reference(self):
        response = self.send()
        self.assertRedirects(response, SENT_URL, fetch_redirect_response=False)
        case = Case.objects.get()
        self.assertEqual(case.mechanism, self.taiyuan)
        self.assertEqual(case.area.code, "140100")
        self.assertEqual(case.source, CaseSource.ONLINE_FORM)
        self.assertEqual(case.state, CaseState.REPORTED)
        self.assertIsNone(case.reported_by)
        self.assertEqual(case.person_name, NAME)
        self.assertEqual(case.needs, ["basic_living", "medical"])
        self.assertEqual(case.household_category, "dibao")
        self.assertIn("需要住院费用", case.narrative)
        self.assertIn("一家三口，父亲重病", case.narrative)
        self.assertTrue(case.consent_given)
        self.assertEqual((case.consent_by, case.consent_method), (NAME, ConsentMethod.ONLINE))
        self.assertEqual(case.consent_at, MORNING)
        self.assertRegex(case.reference, REFERENCE)

        page = self.sent_page()
        self.assertContains(page, case.reference)
        self.assertContains(page, self.taiyuan.name)
        self.assertContains(page, "5 working days")
        self.assertContains(page, 'href="/help/"')

    def test_phone_is_stored_encrypted(self):
        self.send()
        case = Case.objects.get()
        self.assertEqual(case.phone, "+8613800138000")
        self.assertEqual(case.phone_hash, personal.blind_index("phone", "+8613800138000"))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT phone FROM {Case._meta.db_table} WHERE id = %s", [case.pk])
            stored = cursor.fetchone()[0]
        self.assertTrue(stored)
        self.assertNotIn(PHONE_DIGITS, stored)
        self.assertNotIn("13800", stored)

    def test_province_level_area_goes_to_the_province_mechanism(self):
        self.send(request_data(area="140000"))
        self.assertEqual(Case.objects.get().mechanism, self.province)

    def test_county_without_mechanism_goes_to_its_city_mechanism(self):
        self.send(request_data(area="140105"))
        case = Case.objects.get()
        self.assertEqual((case.mechanism, case.area), (self.taiyuan, self.xiaodian))

    def test_county_of_a_city_without_mechanism_goes_to_the_province(self):
        self.send(request_data(area="140213"))
        case = Case.objects.get()
        self.assertEqual((case.mechanism, case.area), (self.province, self.pingcheng))

    def test_duplicate_phone_still_creates_a_case_and_reveals_nothing(self):
        self.send()
        first = Case.objects.get()
        response = self.send(request_data(name="李明", needs=["housing"]), address="10.0.0.2")
        self.assertRedirects(response, SENT_URL, fetch_redirect_response=False)
        second = Case.objects.exclude(pk=first.pk).get()
        self.assertNotEqual(first.reference, second.reference)

        page = self.sent_page().content.decode()
        self.assertIn(second.reference, page)
        self.assertNotIn(first.reference, page)
        self.assertNotIn(first.person_name, page)
        self.assertNotIn("already", page)
        # The secretariat sees the match on the case, and the intake log says it was let through.
        warnings = check_person(self.taiyuan, "", second.phone_hash, exclude_case=second)
        self.assertEqual([warning.reference for warning in warnings], [first.reference])
        entry = ModelLogEntry.objects.get(action="xianjie.case.report", object_id=str(second.pk))
        self.assertEqual(entry.data, {"duplicates_confirmed": True})
        self.assertIsNone(entry.user)

    def test_sent_page_without_a_request_is_neutral(self):
        page = self.sent_page()
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "XJ-")
        self.assertContains(page, "Thank you")


class AbuseTests(HelpRequestTestCase):
    def send_accepted(self, count, address="10.0.0.1"):
        for number in range(count):
            response = self.send(request_data(phone=f"1380013{number:04d}"), address=address)
            self.assertEqual(response.status_code, 302, response.content[:2000])

    def test_sixth_request_from_an_address_is_refused(self):
        self.send_accepted(ACCEPTED_PER_WINDOW)
        response = self.send(request_data(website=""))
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many requests from this connection", status_code=429)
        self.assertIn("Retry-After", response)
        # The refused form keeps what was entered.
        self.assertContains(response, f'value="{NAME}"', status_code=429)
        self.assertEqual(Case.objects.count(), ACCEPTED_PER_WINDOW)

        self.assertEqual(self.send(address="10.0.0.2").status_code, 302)
        self.assertEqual(Case.objects.count(), ACCEPTED_PER_WINDOW + 1)

    def test_refused_form_never_renders_the_honeypot_value(self):
        self.send_accepted(ACCEPTED_PER_WINDOW)
        response = self.send(request_data(website="http://spam.example"))
        self.assertEqual(response.status_code, 429)
        self.assertNotContains(response, "spam.example", status_code=429)

    def test_rate_limit_window_expires(self):
        self.send_accepted(ACCEPTED_PER_WINDOW)
        self.clock.move_to(MORNING.replace(minute=59))
        self.assertEqual(self.send().status_code, 429)
        self.clock.move_to(MORNING.replace(hour=11, minute=0, second=1))
        self.assertEqual(self.send().status_code, 302)
        self.assertEqual(Case.objects.count(), ACCEPTED_PER_WINDOW + 1)

    def test_attempts_are_capped_even_when_all_are_invalid(self):
        for _ in range(ATTEMPTS_PER_WINDOW):
            self.assertEqual(self.send(request_data(phone="12")).status_code, 200)
        self.assertEqual(self.send().status_code, 429)
        self.assertFalse(Case.objects.exists())

    def test_forwarded_for_is_not_trusted_by_default(self):
        for number in range(ACCEPTED_PER_WINDOW):
            self.send(request_data(phone=f"1380013{number:04d}"), HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        self.assertEqual(self.send(HTTP_X_FORWARDED_FOR="192.0.2.99").status_code, 429)

    @override_settings(XIANJIE_TRUSTED_PROXY_COUNT=1)
    def test_forwarded_for_counts_behind_a_trusted_proxy(self):
        self.send_accepted(ACCEPTED_PER_WINDOW, address="10.0.0.1")
        self.assertEqual(self.send(HTTP_X_FORWARDED_FOR="203.0.113.5, 192.0.2.7").status_code, 302)
        self.assertEqual(Case.objects.count(), ACCEPTED_PER_WINDOW + 1)

    def test_ipv6_clients_are_counted_per_64(self):
        self.send_accepted(ACCEPTED_PER_WINDOW, address="2001:db8:1:2::1")
        self.assertEqual(self.send(address="2001:db8:1:2::ffff").status_code, 429)
        self.assertEqual(self.send(address="2001:db8:1:3::1").status_code, 302)

    def test_honeypot_creates_no_case_and_answers_like_success(self):
        response = self.send(request_data(website="http://spam.example"))
        self.assertRedirects(response, SENT_URL, fetch_redirect_response=False)
        self.assertFalse(Case.objects.exists())
        page = self.sent_page()
        self.assertNotContains(page, "XJ-")
        self.assertNotContains(page, "spam.example")


class BadInputTests(HelpRequestTestCase):
    BAD = {
        "missing name": ("name", {"name": None}),
        "blank name": ("name", {"name": "   "}),
        "overlong name": ("name", {"name": "李" * 101}),
        "null character in name": ("name", {"name": "李\x00明"}),
        "missing phone": ("phone", {"phone": None}),
        "short phone": ("phone", {"phone": "12345"}),
        "phone with letters": ("phone", {"phone": "138abc00000"}),
        "service number as phone": ("phone", {"phone": "12349"}),
        "foreign phone": ("phone", {"phone": "+1 202 555 0100"}),
        "overlong phone": ("phone", {"phone": "1" * 31}),
        "missing area": ("area", {"area": None}),
        "unknown area code": ("area", {"area": "999999"}),
        "area without a mechanism": ("area", {"area": "130000"}),
        "area not a code": ("area", {"area": "<script>"}),
        "no need chosen": ("needs", {"needs": None}),
        "unknown need": ("needs", {"needs": ["flying"]}),
        "overlong need detail": ("needs_detail", {"needs_detail": "x" * 1001}),
        "overlong situation": ("situation", {"situation": "x" * 2001}),
        "unknown household category": ("household_category", {"household_category": "rich"}),
        "consent unticked": ("consent", {"consent": None}),
    }

    def test_each_bad_input_answers_with_the_form_and_creates_nothing(self):
        for label, (field, overrides) in self.BAD.items():
            with self.subTest(label):
                cache.clear()
                response = self.send(request_data(**overrides))
                self.assertEqual(response.status_code, 200)
                content = response.content.decode()
                self.assertIn(f'id="id_{field}_error"', content)
                self.assertRegex(content, rf'aria-describedby="[^"]*id_{field}_error')
                anchor = f"id_{field}_0" if field == "needs" else f"id_{field}"
                self.assertIn(f'<a href="#{anchor}">', content)
                self.assertFalse(Case.objects.exists())

    def test_the_form_keeps_what_was_entered(self):
        response = self.send(request_data(phone="12345"))
        self.assertContains(response, f'value="{NAME}"')
        self.assertContains(response, 'value="12345"')
        self.assertContains(response, '<option value="140100" selected>')
        self.assertRegex(response.content.decode(), r'<input type="checkbox" name="needs" value="medical"[^>]*checked')
        self.assertContains(response, "一家三口，父亲重病")
        self.assertContains(response, "Enter a valid Chinese mobile number")

    def test_garbage_posts_never_fail(self):
        garbage = [
            {},
            {"name": ["a", "b"], "needs": "basic_living", "area": ["140100", "x"], "consent": "no"},
            {"name": "x" * 100_000, "phone": "\x00", "needs": ["\x00"], "area": "0" * 1000},
            {"csrfmiddlewaretoken": "x", "unexpected": "y"},
        ]
        for data in garbage:
            with self.subTest(data=str(data)[:80]):
                cache.clear()
                response = self.send(data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "request-summary")
        # Bytes that are not UTF-8 at all.
        response = self.client.post(
            URL, b"name=%FF%FE&phone=%C3%28&needs=%80&consent=on", content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Case.objects.exists())

    def test_intake_service_errors_show_on_the_fields(self):
        form = HelpRequestForm(request_data())
        self.assertTrue(form.is_valid())
        form.add_service_errors(ValidationError({"person_name": ["bad name"], "source": ["bad source"]}))
        self.assertEqual(form.errors["name"], ["bad name"])
        self.assertEqual(form.non_field_errors(), ["bad source"])


class PrivacyTests(HelpRequestTestCase):
    def test_nothing_of_the_request_is_in_the_url_or_the_logs(self):
        with captured_logs() as texts:
            accepted = self.send()
            self.send(request_data(phone="12345"))
            for number in range(ACCEPTED_PER_WINDOW):
                self.send(request_data(phone=f"1390013{number:04d}"), address="10.0.0.9")
            refused = self.send(address="10.0.0.9")
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(accepted["Location"], SENT_URL)
        case = Case.objects.get(phone_hash=personal.blind_index("phone", "+86" + PHONE_DIGITS))
        self.assertNotIn(case.reference, accepted["Location"])
        # The refusal was logged (so the capture works), without anything the person typed.
        self.assertTrue(any("Too Many Requests" in text for text in texts))
        logged = "\n".join(texts)
        for secret in (NAME, PHONE, PHONE_DIGITS, "12345", "一家三口", "需要住院费用"):
            self.assertNotIn(secret, logged)
