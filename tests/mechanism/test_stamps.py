"""The page's stamp: the exact `updated_at` survives the page (isoformat) and the database, microseconds and
offset included; a missing, garbled, naive or truncated stamp, or another instant, is refused as stale."""

import datetime

from django import forms
from django.http import QueryDict
from django.test import SimpleTestCase

from mechanism.models import Case
from mechanism.services.errors import StaleObject
from mechanism.stamps import StampField, check_stamp, seen_stamp, stamp
from tests.base import CastTestCase
from tests.casework import make_case
from tests.factories import SHANGHAI

UTC = datetime.UTC
MOMENTS = {
    "+08:00": datetime.datetime(2026, 3, 2, 10, 0, 5, 123456, tzinfo=SHANGHAI),
    "UTC": datetime.datetime(2026, 3, 2, 2, 0, 5, 654321, tzinfo=UTC),
    "one microsecond": datetime.datetime(2026, 3, 2, 2, 0, 5, 1, tzinfo=UTC),
}
ONE_MICROSECOND = datetime.timedelta(microseconds=1)


class StoredStampTest(CastTestCase):
    """Stored, read back (under a row lock, as the services read it) and compared with what the page posted."""

    def stored(self, moment):
        case = make_case(self.province, by=self.secretariat)
        Case.objects.filter(pk=case.pk).update(updated_at=moment)
        return Case.objects.select_for_update().get(pk=case.pk)

    def test_the_stamp_a_page_carries_is_the_stored_instant(self):
        for name, moment in MOMENTS.items():
            with self.subTest(name):
                case = self.stored(moment)
                self.assertEqual(case.updated_at, moment)
                check_stamp(case, stamp(case))  # the page's copy, read from the database
                check_stamp(case, moment.isoformat())  # the same instant written in another offset
                check_stamp(case, moment.astimezone(SHANGHAI).isoformat())
                self.assertEqual(seen_stamp(QueryDict(f"updated_at={stamp(case)}".replace("+", "%2B"))), moment)

    def test_another_instant_is_refused(self):
        for name, moment in MOMENTS.items():
            with self.subTest(name):
                case = self.stored(moment)
                for other in (moment + ONE_MICROSECOND, moment - ONE_MICROSECOND, moment.replace(microsecond=0)):
                    with self.assertRaises(StaleObject):
                        check_stamp(case, other.isoformat())
                    with self.assertRaises(StaleObject):
                        check_stamp(case, other)

    def test_a_missing_garbled_or_naive_stamp_is_refused(self):
        case = self.stored(MOMENTS["+08:00"])
        naive = case.updated_at.astimezone(SHANGHAI).replace(tzinfo=None)
        for posted in (None, "", "yesterday", "2026-03-02T10:00:05.123456+25:00", naive.isoformat(), naive, 0):
            with self.subTest(posted=posted), self.assertRaises(StaleObject):
                check_stamp(case, posted)
        with self.assertRaises(StaleObject):
            seen_stamp(QueryDict(""))


class StampedForm(forms.Form):
    updated_at = StampField()


class StampFieldTest(SimpleTestCase):
    def test_the_field_renders_hidden_with_microseconds_and_offset(self):
        moment = MOMENTS["+08:00"]
        html = str(StampedForm(initial={"updated_at": moment})["updated_at"])
        self.assertIn('type="hidden"', html)
        self.assertIn('value="2026-03-02T10:00:05.123456+08:00"', html)

    def test_a_posted_stamp_is_the_instant_it_names(self):
        moment = MOMENTS["UTC"]
        form = StampedForm({"updated_at": moment.isoformat()})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["updated_at"], moment)
        self.assertEqual(form.cleaned_data["updated_at"].microsecond, 654321)

    def test_a_missing_or_garbled_stamp_makes_the_form_invalid(self):
        for posted in ({}, {"updated_at": ""}, {"updated_at": "garbled"}, {"updated_at": "2026-03-02T10:00:05"}):
            with self.subTest(posted=posted):
                form = StampedForm(posted)
                self.assertFalse(form.is_valid())
                self.assertIn("updated_at", form.errors)
