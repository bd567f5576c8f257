"""Personal data: encryption at rest, blind indexes, validation and masking of ID numbers and phones.

Values are normalised before they are encrypted or indexed, so the same person always yields the same
blind index. Keys come from settings.PERSONAL_DATA_KEYS (the first encrypts, all decrypt) and
settings.PERSONAL_DATA_HASH_KEY (the HMAC key); see xianjie/settings/base.py.
"""

import datetime
import functools
import hashlib
import hmac
import re

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# GB 11643-1999: the check digit is ISO 7064 MOD 11-2 over the first 17 digits.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"
_ID_SHAPE = re.compile(r"[1-9]\d{16}[\dX]", re.ASCII)
_PHONE_CHARACTERS = re.compile(r"\+?[\d\s\-()]+")
_PERSONAL_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


@functools.lru_cache(maxsize=8)
def _multi_fernet(keys):
    return MultiFernet([Fernet(key) for key in keys])


def fernet():
    """The MultiFernet of the configured keys, cached per tuple of keys (so override_settings takes effect)."""
    return _multi_fernet(tuple(settings.PERSONAL_DATA_KEYS))


def encrypt(text):
    return fernet().encrypt(text.encode()).decode()


def decrypt(token):
    """The plain text of a token; raises cryptography.fernet.InvalidToken when no configured key opens it."""
    return fernet().decrypt(token.encode()).decode()


def rotate(token):
    """The token re-encrypted with the primary (first) key; its plain text is unchanged."""
    return fernet().rotate(token.encode()).decode()


def is_current(token):
    """Whether the token is already encrypted with the primary key, so rotating it would change nothing."""
    try:
        _multi_fernet((settings.PERSONAL_DATA_KEYS[0],)).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def blind_index(kind, value):
    """HMAC-SHA256 (hex) of "kind:value" with the hash key; pass the normalised value. Empty stays empty."""
    if not value:
        return ""
    message = f"{kind}:{value}".encode()
    return hmac.new(settings.PERSONAL_DATA_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


def id_check_character(first_17):
    total = sum(int(digit) * weight for digit, weight in zip(first_17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def normalize_id_number(value):
    """An 18-character resident ID number (GB 11643-1999), upper-case X; ValidationError if it cannot be one."""
    number = re.sub(r"\s", "", value or "").upper()
    if len(number) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(count)d."),
            code="id_length",
            params={"count": len(number)},
        )
    if not _ID_SHAPE.fullmatch(number):
        raise ValidationError(
            _("A resident ID number is 17 digits, not starting with 0, followed by a digit or X."), code="id_format"
        )
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date in this ID number is not a real date."), code="id_date") from None
    if born.year < 1900 or born > timezone.localdate():
        raise ValidationError(
            _("The birth date in this ID number must lie between 1900 and today."), code="id_date_range"
        )
    if id_check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("The check digit of this ID number does not match: a digit is probably mistyped."), code="id_check"
        )
    return number


def normalize_phone(value):
    """A person's Chinese mobile or landline (with area code) in E.164; ValidationError otherwise."""
    raw = (value or "").strip()
    if not raw or not _PHONE_CHARACTERS.fullmatch(raw):
        raise ValidationError(
            _("Enter a phone number of digits, spaces and dashes, such as 138 0000 0000 or 0351-1234567."),
            code="phone_format",
        )
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _PERSONAL_TYPES
    ):
        raise ValidationError(
            _("Enter a valid Chinese mobile number, or a landline with its area code such as 0351-1234567."),
            code="phone_invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _mask_middle(text, keep_start, keep_end):
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[len(text) - keep_end :]


def mask_id_number(value):
    """The first 4 and last 4 characters with stars between: 1401**********1234. Empty gives ""."""
    return _mask_middle(value or "", 4, 4)


def mask_phone(value):
    """A phone with its middle hidden; empty gives "", and nothing raises.

    A mobile keeps its first 3 and last 4 digits: 138****0000. A landline keeps its area code with the
    trunk 0 and hides the first 4 digits of the subscriber number: 0351****567, 010****5678. Anything
    that does not parse as a Chinese number keeps only its last 4 characters.
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.country_code == 86:
        digits = phonenumbers.national_significant_number(number)
        area = phonenumbers.length_of_geographical_area_code(number)
        if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE and len(digits) == 11:
            return _mask_middle(digits, 3, 4)
        if area and len(digits) - area > 4:
            subscriber = digits[area:]
            return "0" + digits[:area] + "****" + subscriber[4:]
    return _mask_middle(raw, 0, 4)
