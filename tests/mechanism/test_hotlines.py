"""Numbers and addresses of help channels: what is accepted, how it is stored, how it is shown."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from mechanism import hotlines
from mechanism.models import ChannelKind, HelpChannel
from tests.base import CastTestCase


class PhoneTest(SimpleTestCase):
    def assertPhone(self, raw, stored, shown):
        with self.subTest(raw=raw):
            self.assertEqual(hotlines.normalize_phone(raw), stored)
            self.assertEqual(hotlines.format_phone(stored), shown)

    def assertRejected(self, raw, code):
        with self.subTest(raw=raw), self.assertRaises(ValidationError) as caught:
            hotlines.normalize_phone(raw)
        self.assertEqual(caught.exception.code, code)

    def test_12349_and_every_national_service_number_is_kept_as_dialled(self):
        self.assertIn("12349", hotlines.SERVICE_NUMBERS)
        for number in hotlines.SERVICE_NUMBERS:
            self.assertPhone(number, number, number)
        self.assertPhone(" 123 49 ", "12349", "12349")

    def test_landline_with_and_without_dash(self):
        for raw in ("0351-1234567", "03511234567", "0351 1234567", "+86 351 1234567"):
            self.assertPhone(raw, "+863511234567", "0351-1234567")
        self.assertPhone("010-12345678", "+861012345678", "010-12345678")

    def test_mobile_numbers_are_grouped_three_four_four(self):
        for raw in ("13800000000", "138 0000 0000", "138-0000-0000", "+86 138 0000 0000"):
            self.assertPhone(raw, "+8613800000000", "138 0000 0000")

    def test_400_numbers(self):
        for raw in ("4001234567", "400-123-4567", "400 123 4567"):
            self.assertPhone(raw, "+864001234567", "400-123-4567")

    def test_unknown_service_number_is_refused_and_named(self):
        for raw in ("12399", "123 00"):
            self.assertRejected(raw, "phone_short")
        with self.assertRaises(ValidationError) as caught:
            hotlines.normalize_phone("12399")
        self.assertIn("12399", caught.exception.messages[0])

    def test_numbers_that_are_not_chinese_phone_numbers(self):
        for raw in ("1234567", "0351-123", "95555", "+1 202 555 0100", "1380000000"):
            self.assertRejected(raw, "phone_invalid")

    def test_letters_and_blank_are_refused(self):
        for raw in ("abc", "12349a", "0351-CALL-ME", "", "   "):
            self.assertRejected(raw, "phone_format")

    def test_tel_link_dials_the_stored_number(self):
        self.assertEqual(hotlines.tel_uri("12349"), "tel:12349")
        self.assertEqual(hotlines.tel_uri("+863511234567"), "tel:+863511234567")


class AddressTest(SimpleTestCase):
    def assertRejected(self, normalize, raw, code):
        with self.subTest(raw=raw), self.assertRaises(ValidationError) as caught:
            normalize(raw)
        self.assertEqual(caught.exception.code, code)

    def test_email_domain_is_lowercased_and_local_part_kept(self):
        self.assertEqual(hotlines.normalize_email(" JiuZhu@MZT.Shanxi.gov.cn "), "JiuZhu@mzt.shanxi.gov.cn")

    def test_bad_emails(self):
        for raw in ("jiuzhu", "jiuzhu@", "@mzt.shanxi.gov.cn", "jiu zhu@mzt.cn", "jiuzhu@mzt", "a@b@c.cn", ""):
            self.assertRejected(hotlines.normalize_email, raw, "email_invalid")

    def test_web_form_needs_a_full_http_address(self):
        self.assertEqual(hotlines.normalize_url(" https://mzt.shanxi.gov.cn/qz "), "https://mzt.shanxi.gov.cn/qz")
        for raw in ("mzt.shanxi.gov.cn", "ftp://mzt.shanxi.gov.cn", "javascript:alert(1)", ""):
            self.assertRejected(hotlines.normalize_url, raw, "url_invalid")

    def test_wechat_account_name_of_at_most_60_characters(self):
        self.assertEqual(hotlines.normalize_wechat(" 山西民政 "), "山西民政")
        self.assertEqual(hotlines.normalize_wechat("x" * 60), "x" * 60)
        for raw in ("", "   ", "x" * 61):
            self.assertRejected(hotlines.normalize_wechat, raw, "wechat_invalid")

    def test_window_needs_an_address(self):
        self.assertEqual(hotlines.normalize_address("太原市迎泽区新建南路1号"), "太原市迎泽区新建南路1号")
        for raw in ("", "太原市", "  ab  "):
            self.assertRejected(hotlines.normalize_address, raw, "address_invalid")


class ChannelCleanTest(CastTestCase):
    """The model's clean() is what the admin form runs: a bad value is an error on `value`."""

    def channel(self, kind, value, **fields):
        fields.setdefault("open_24_hours", True)
        return HelpChannel(unit=self.mz, kind=kind, value=value, **fields)

    def test_clean_stores_the_normalised_value(self):
        cases = [
            (ChannelKind.HOTLINE, "0351-1234567", "+863511234567", "0351-1234567"),
            (ChannelKind.HOTLINE, "123 49", "12349", "12349"),
            (ChannelKind.EMAIL, "JiuZhu@MZT.SHANXI.GOV.CN", "JiuZhu@mzt.shanxi.gov.cn", "JiuZhu@mzt.shanxi.gov.cn"),
            (ChannelKind.WECHAT, " 山西民政 ", "山西民政", "山西民政"),
        ]
        for kind, raw, stored, shown in cases:
            with self.subTest(kind=kind, raw=raw):
                channel = self.channel(kind, raw)
                channel.full_clean()
                self.assertEqual(channel.value, stored)
                self.assertEqual(channel.display_value, shown)

    def test_bad_value_is_an_error_on_the_value_field(self):
        cases = [
            (ChannelKind.HOTLINE, "12399"),
            (ChannelKind.HOTLINE, "1234567"),
            (ChannelKind.EMAIL, "jiuzhu@"),
            (ChannelKind.WEB_FORM, "mzt.shanxi.gov.cn"),
            (ChannelKind.WINDOW, "太原"),
        ]
        for kind, raw in cases:
            with self.subTest(kind=kind, raw=raw), self.assertRaises(ValidationError) as caught:
                self.channel(kind, raw).full_clean()
            self.assertEqual(list(caught.exception.message_dict), ["value"])

    def test_hours_must_be_consistent(self):
        channel = self.channel(ChannelKind.HOTLINE, "12349", open_24_hours=False)
        channel.opens_at, channel.closes_at, channel.days = "17:30", "08:30", [1]
        with self.assertRaises(ValidationError) as caught:
            channel.full_clean()
        self.assertIn("closes_at", caught.exception.message_dict)
