"""Personal data: ID numbers and phones validated, masked, indexed, encrypted at rest, and keys rotated."""

import datetime
import hashlib
import hmac
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection, models
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import isolate_apps
from django.utils import translation

from mechanism import personal
from mechanism.fields import EncryptedTextField
from mechanism.management.commands import rotate_personal_data_keys
from tests.xianjie.test_settings import run_manage

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.datetime(2026, 3, 15, 10, 0, tzinfo=SHANGHAI)
WELL_KNOWN_ID = "11010519491231002X"  # the sample of GB 11643-1999
VALID_IDS = ["140105199003071234", "140182198502144563", "440304200002290014"]
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
PRODUCTION_KEYS = {
    "DJANGO_SETTINGS_MODULE": "xianjie.settings.production",
    "SECRET_KEY": "k" * 20 + "-Qz8_" * 10,
    "PERSONAL_DATA_KEYS": KEY_A,
    "PERSONAL_DATA_HASH_KEY": "h" * 20 + "-Hq3_" * 10,
}


def with_check_digit(first_17):
    """ISO 7064 MOD 11-2 as the standard states it: weights 2^(i-1) mod 11 from the right, c = (12 - S) mod 11."""
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(first_17))
    check = (12 - total % 11) % 11
    return first_17 + ("X" if check == 10 else str(check))


def error_code(value, normalize=personal.normalize_id_number):
    with SimpleTestCase().assertRaises(ValidationError) as caught:
        normalize(value)
    return caught.exception.code


class IdNumberTest(SimpleTestCase):
    def test_the_standards_sample_is_valid_and_its_x_upper_cased(self):
        self.assertEqual(with_check_digit(WELL_KNOWN_ID[:17]), WELL_KNOWN_ID)
        self.assertEqual(personal.normalize_id_number(WELL_KNOWN_ID), WELL_KNOWN_ID)
        self.assertEqual(personal.normalize_id_number(" 11010519491231002x "), WELL_KNOWN_ID)

    def test_hard_coded_and_built_numbers_are_valid(self):
        built = [with_check_digit(p) for p in ["14010019000101001", "14070220121231888", "15010420040229777"]]
        for number in VALID_IDS + built:
            with self.subTest(number=number):
                self.assertEqual(personal.normalize_id_number(number), number)

    def test_every_wrong_check_digit_is_refused(self):
        number = VALID_IDS[0]
        for wrong in "0123567890X".replace(number[-1], ""):
            with self.subTest(check=wrong):
                self.assertEqual(error_code(number[:17] + wrong), "id_check")

    def test_a_swapped_pair_of_digits_is_refused(self):
        number = VALID_IDS[1]
        swapped = number[:14] + number[15] + number[14] + number[16:]
        self.assertNotEqual(swapped, number)
        self.assertEqual(error_code(swapped), "id_check")

    def test_wrong_lengths_are_refused(self):
        for value in [VALID_IDS[0][:17], VALID_IDS[0] + "1", "14010519900307", "1"]:
            with self.subTest(value=value):
                self.assertEqual(error_code(value), "id_length")

    def test_leading_zero_letters_and_x_inside_are_refused(self):
        for value in [with_check_digit("01010519491231002"), "1401051990030712A4", "14010519900307X234"]:
            with self.subTest(value=value):
                self.assertEqual(error_code(value), "id_format")

    def test_impossible_birth_dates_are_refused(self):
        for date in ["19990230", "20011301", "20230229", "19900000", "19900431"]:
            with self.subTest(date=date):
                self.assertEqual(error_code(with_check_digit("140105" + date + "123")), "id_date")

    @time_machine.travel(TODAY, tick=False)
    def test_birth_dates_in_the_future_or_before_1900_are_refused(self):
        self.assertEqual(personal.normalize_id_number(with_check_digit("14010520260315123"))[6:14], "20260315")
        self.assertEqual(error_code(with_check_digit("14010520260316123")), "id_date_range")
        self.assertEqual(error_code(with_check_digit("14010518991231123")), "id_date_range")

    def test_messages_never_repeat_the_number(self):
        number = VALID_IDS[0][:17] + "0"
        with self.assertRaises(ValidationError) as caught:
            personal.normalize_id_number(number)
        self.assertNotIn(number, " ".join(caught.exception.messages))
        self.assertNotIn(number[:14], " ".join(caught.exception.messages))


class PhoneTest(SimpleTestCase):
    def test_mobiles_are_stored_in_e164(self):
        for raw in ["13800000000", "+86 138 0000 0000", "0086 138-0000-0000", "138 0000 0000"]:
            with self.subTest(raw=raw):
                self.assertEqual(personal.normalize_phone(raw), "+8613800000000")

    def test_landlines_need_their_area_code(self):
        self.assertEqual(personal.normalize_phone("0351-1234567"), "+863511234567")
        self.assertEqual(personal.normalize_phone("(0351) 1234567"), "+863511234567")
        self.assertEqual(personal.normalize_phone("010-12345678"), "+861012345678")
        self.assertEqual(error_code("1234567", personal.normalize_phone), "phone_invalid")

    def test_invalid_short_foreign_and_service_numbers_are_refused(self):
        for raw in ["12345678", "1380000", "138000000001", "12345", "400-810-8888", "+1 650 253 0000"]:
            with self.subTest(raw=raw):
                self.assertEqual(error_code(raw, personal.normalize_phone), "phone_invalid")

    def test_letters_and_blanks_are_refused(self):
        for raw in ["1380000000a", "138-0000-0000 ext 5", "", "   "]:
            with self.subTest(raw=raw):
                self.assertEqual(error_code(raw, personal.normalize_phone), "phone_format")


class MaskTest(SimpleTestCase):
    def test_id_number_keeps_four_and_four(self):
        self.assertEqual(personal.mask_id_number("140105199003071234"), "1401**********1234")
        self.assertEqual(personal.mask_id_number(WELL_KNOWN_ID), "1101**********002X")

    def test_mobile_keeps_three_and_four(self):
        self.assertEqual(personal.mask_phone("+8613800000000"), "138****0000")
        self.assertEqual(personal.mask_phone("+8615912345678"), "159****5678")

    def test_landline_keeps_the_area_code_and_hides_four_digits(self):
        self.assertEqual(personal.mask_phone("+863511234567"), "0351****567")
        self.assertEqual(personal.mask_phone("+861012345678"), "010****5678")

    def test_empty_and_odd_values_never_raise(self):
        for mask in (personal.mask_id_number, personal.mask_phone):
            self.assertEqual(mask(""), "")
            self.assertEqual(mask(None), "")
        self.assertEqual(personal.mask_phone("12345"), "*2345")
        self.assertEqual(personal.mask_id_number("1234"), "****")


class BlindIndexTest(SimpleTestCase):
    def test_is_the_keyed_hmac_of_kind_and_value(self):
        expected = hmac.new(b"k" * 40, b"id:" + WELL_KNOWN_ID.encode(), hashlib.sha256).hexdigest()
        with override_settings(PERSONAL_DATA_HASH_KEY="k" * 40):
            self.assertEqual(personal.blind_index("id", WELL_KNOWN_ID), expected)
            self.assertEqual(personal.blind_index("id", WELL_KNOWN_ID), expected)

    def test_differs_per_kind_per_value_and_per_key(self):
        index = personal.blind_index("phone", "+8613800000000")
        self.assertEqual(len(index), 64)
        self.assertNotEqual(personal.blind_index("id", "+8613800000000"), index)
        self.assertNotEqual(personal.blind_index("phone", "+8613800000001"), index)
        with override_settings(PERSONAL_DATA_HASH_KEY="another-hash-key-of-at-least-32-characters"):
            self.assertNotEqual(personal.blind_index("phone", "+8613800000000"), index)

    def test_empty_value_has_no_index(self):
        self.assertEqual(personal.blind_index("id", ""), "")


class EncryptionTest(SimpleTestCase):
    def test_round_trip_hides_the_text(self):
        token = personal.encrypt(WELL_KNOWN_ID)
        self.assertNotIn(WELL_KNOWN_ID, token)
        self.assertNotEqual(personal.encrypt(WELL_KNOWN_ID), token)
        self.assertEqual(personal.decrypt(token), WELL_KNOWN_ID)

    def test_rotation_from_key_a_to_key_b(self):
        with override_settings(PERSONAL_DATA_KEYS=[KEY_A]):
            token = personal.encrypt("+8613800000000")
            self.assertTrue(personal.is_current(token))
        with override_settings(PERSONAL_DATA_KEYS=[KEY_B, KEY_A]):
            self.assertEqual(personal.decrypt(token), "+8613800000000")
            self.assertFalse(personal.is_current(token))
            rotated = personal.rotate(token)
            self.assertTrue(personal.is_current(rotated))
        with override_settings(PERSONAL_DATA_KEYS=[KEY_B]):
            self.assertEqual(personal.decrypt(rotated), "+8613800000000")
            with self.assertRaises(InvalidToken):
                personal.decrypt(token)
        with override_settings(PERSONAL_DATA_KEYS=[KEY_A]), self.assertRaises(InvalidToken):
            personal.decrypt(rotated)


class EncryptedModelTestCase(TestCase):
    """A throw-away model with encrypted columns; its table lives outside the test transaction."""

    @classmethod
    def setUpClass(cls):
        cls.isolation = isolate_apps("mechanism")
        cls.registry = cls.isolation.enable()

        class Person(models.Model):
            name = models.CharField(max_length=50)
            id_number = EncryptedTextField("ID number", blank=True)
            phone = EncryptedTextField(blank=True)

            class Meta:
                app_label = "mechanism"
                db_table = "test_personal_person"

        cls.Person = Person
        with connection.schema_editor() as editor:
            editor.create_model(Person)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        with connection.schema_editor() as editor:
            editor.delete_model(cls.Person)
        cls.isolation.disable()

    def stored(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, id_number, phone FROM test_personal_person ORDER BY id")
            return cursor.fetchall()


class EncryptedTextFieldTest(EncryptedModelTestCase):
    def test_database_holds_no_plaintext(self):
        self.Person.objects.create(name="a", id_number=WELL_KNOWN_ID, phone="+8613800000000")
        self.Person.objects.update(phone="+863511234567")
        [(name, id_token, phone_token)] = self.stored()
        for token, plain in [(id_token, WELL_KNOWN_ID), (phone_token, "+863511234567")]:
            self.assertNotIn(plain, token)
            self.assertNotIn(plain[-11:], token)
            self.assertEqual(personal.decrypt(token), plain)

    def test_python_sees_plaintext_and_empty_stays_empty(self):
        self.Person.objects.create(name="b", id_number=WELL_KNOWN_ID)
        person = self.Person.objects.get()
        self.assertEqual((person.id_number, person.phone), (WELL_KNOWN_ID, ""))
        self.assertEqual(list(self.Person.objects.values_list("id_number", flat=True)), [WELL_KNOWN_ID])
        self.assertEqual(self.stored()[0][2], "")

    def test_filtering_on_it_is_refused(self):
        with self.assertRaises(FieldError):
            self.Person.objects.filter(id_number=WELL_KNOWN_ID).exists()
        with self.assertRaises(FieldError):
            self.Person.objects.filter(phone__contains="138").exists()
        self.assertFalse(self.Person.objects.filter(phone__isnull=True).exists())

    def test_deconstructs_for_migrations(self):
        name, path, args, kwargs = self.Person._meta.get_field("id_number").deconstruct()
        self.assertEqual((name, path, args), ("id_number", "mechanism.fields.EncryptedTextField", []))
        self.assertEqual(kwargs, {"verbose_name": "ID number", "blank": True})
        rebuilt = EncryptedTextField(*args, **kwargs)
        self.assertEqual(rebuilt.deconstruct()[3], kwargs)


class RotateKeysCommandTest(EncryptedModelTestCase):
    def run_command(self):
        out = StringIO()
        found = [(self.Person, ["id_number", "phone"])]
        with (
            mock.patch.object(rotate_personal_data_keys, "encrypted_models", return_value=found),
            translation.override("en"),
        ):
            call_command("rotate_personal_data_keys", stdout=out)
        return out.getvalue()

    def test_finds_encrypted_models_and_skips_proxies_and_plain_ones(self):
        class Plain(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "mechanism"

        class PersonProxy(self.Person):
            class Meta:
                app_label = "mechanism"
                proxy = True

        found = rotate_personal_data_keys.encrypted_models(self.registry)
        self.assertEqual(found, [(self.Person, ["id_number", "phone"])])

    def test_re_encrypts_with_the_new_key_only_what_needs_it(self):
        with override_settings(PERSONAL_DATA_KEYS=[KEY_A]):
            for n in range(3):
                self.Person.objects.create(name=str(n), id_number=VALID_IDS[n], phone="+8613800000000" if n else "")
        before = self.stored()
        with override_settings(PERSONAL_DATA_KEYS=[KEY_B, KEY_A]):
            first = self.run_command()
            after = self.stored()
            again = self.run_command()
        self.assertIn("mechanism.Person: 5 values re-encrypted, 0 already under the primary key.", first)
        self.assertIn("mechanism.Person: 0 values re-encrypted, 5 already under the primary key.", again)
        self.assertEqual(self.stored(), after)
        self.assertEqual(after[0][2], "")
        with override_settings(PERSONAL_DATA_KEYS=[KEY_B]):
            people = list(self.Person.objects.order_by("pk"))
            self.assertEqual([p.id_number for p in people], VALID_IDS)
            self.assertEqual([p.phone for p in people], ["", "+8613800000000", "+8613800000000"])
            self.assertRaises(InvalidToken, personal.decrypt, before[1][1])

    def test_works_in_batches(self):
        with override_settings(PERSONAL_DATA_KEYS=[KEY_A]):
            for n in range(5):
                self.Person.objects.create(name=str(n), id_number=VALID_IDS[0])
        with override_settings(PERSONAL_DATA_KEYS=[KEY_B, KEY_A]):
            self.assertEqual(rotate_personal_data_keys.rotate_model(self.Person, ["id_number"], batch_size=2), (5, 0))
        with override_settings(PERSONAL_DATA_KEYS=[KEY_B]):
            self.assertTrue(all(personal.is_current(row[1]) for row in self.stored()))

    def test_runs_over_the_installed_models(self):
        found = rotate_personal_data_keys.encrypted_models()
        for model, names in found:
            self.assertTrue(all(isinstance(model._meta.get_field(name), EncryptedTextField) for name in names))
        out = StringIO()
        with translation.override("en"):
            call_command("rotate_personal_data_keys", stdout=out)
        for model, _names in found:
            self.assertIn(f"{model._meta.label}: 0 values re-encrypted", out.getvalue())

    def test_nothing_to_rotate_without_encrypted_models(self):
        out = StringIO()
        with (
            mock.patch.object(rotate_personal_data_keys, "encrypted_models", return_value=[]),
            translation.override("en"),
        ):
            call_command("rotate_personal_data_keys", stdout=out)
        self.assertIn("nothing to rotate", out.getvalue())


class ProductionKeysTest(SimpleTestCase):
    def check_production(self, **overrides):
        env = {**PRODUCTION_KEYS, **overrides}
        drop = [name for name, value in env.items() if value is None]
        return run_manage("check", env_overrides={k: v for k, v in env.items() if v is not None}, drop=drop)

    def test_production_refuses_to_start_without_the_keys(self):
        for name in ["PERSONAL_DATA_KEYS", "PERSONAL_DATA_HASH_KEY"]:
            with self.subTest(missing=name):
                result = self.check_production(**{name: None})
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(f"{name} must be set", result.stderr)

    def test_production_refuses_the_development_keys(self):
        from xianjie.settings.base import DEV_PERSONAL_DATA_HASH_KEY, DEV_PERSONAL_DATA_KEYS

        for name, value in [
            ("PERSONAL_DATA_KEYS", f"{KEY_A},{DEV_PERSONAL_DATA_KEYS[0]}"),
            ("PERSONAL_DATA_HASH_KEY", DEV_PERSONAL_DATA_HASH_KEY),
        ]:
            with self.subTest(name=name):
                result = self.check_production(**{name: value})
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(f"{name} holds the public development key", result.stderr)

    def test_a_malformed_key_stops_start_up_without_showing_it(self):
        result = self.check_production(PERSONAL_DATA_KEYS=f"{KEY_A},not-a-fernet-key-xyz")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("PERSONAL_DATA_KEYS: key 2 is not a Fernet key", result.stderr)
        self.assertNotIn("not-a-fernet-key-xyz", result.stderr)
        result = self.check_production(PERSONAL_DATA_HASH_KEY="short")
        self.assertIn("PERSONAL_DATA_HASH_KEY must be at least 32 characters", result.stderr)

    def test_production_starts_with_its_own_keys(self):
        result = self.check_production(PERSONAL_DATA_KEYS=f"{KEY_B},{KEY_A}")
        self.assertEqual(result.returncode, 0, result.stderr)
