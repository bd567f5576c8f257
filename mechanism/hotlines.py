"""Numbers and addresses of help channels: validated, stored normalised, shown the Chinese way.

A phone channel is stored as a national service short number (12349) or in E.164 (+863511234567),
and shown grouped as people write it: 12349, 0351-1234567, 138 0000 0000, 400-123-4567.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The national public service short numbers that help channels use; one list for the whole system.
SERVICE_NUMBERS = {
    "12345": gettext_lazy("Government service hotline"),
    "12349": gettext_lazy("Civil-affairs service hotline"),
    "12351": gettext_lazy("Trade-union workers' hotline"),
    "12355": gettext_lazy("Youth service hotline"),
    "12338": gettext_lazy("Women's rights hotline"),
    "12385": gettext_lazy("Disabled persons' service hotline"),
    "12348": gettext_lazy("Legal aid hotline"),
    "12333": gettext_lazy("Human resources and social security hotline"),
    "12320": gettext_lazy("Public health hotline"),
    "12356": gettext_lazy("Psychological assistance hotline"),
}

_PHONE_CHARACTERS = re.compile(r"\+?[\d\s\-()]+")
_WECHAT = re.compile(r"^\S.{0,59}$")


def normalize_phone(value):
    """A service short number as is, else a Chinese number in E.164; ValidationError otherwise."""
    raw = (value or "").strip()
    digits = re.sub(r"[\s\-]", "", raw)
    if digits in SERVICE_NUMBERS:
        return digits
    if not raw or not _PHONE_CHARACTERS.fullmatch(raw):
        raise ValidationError(
            _("Enter a phone number of digits, spaces and dashes, such as 12349, 0351-1234567 or 138 0000 0000."),
            code="phone_format",
        )
    if len(digits) == 5 and digits.startswith("123"):
        raise ValidationError(
            _("%(number)s is not one of the national service numbers (%(known)s)."),
            code="phone_short",
            params={"number": digits, "known": "、".join(SERVICE_NUMBERS)},
        )
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "Enter a valid Chinese phone number: a service number such as 12349, a landline with its area code "
                "such as 0351-1234567, or a mobile such as 138 0000 0000."
            ),
            code="phone_invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(stored):
    """The stored number as people write it in China; anything unparsable is returned unchanged."""
    if not stored or stored in SERVICE_NUMBERS:
        return stored or ""
    try:
        number = phonenumbers.parse(stored, "CN")
    except phonenumbers.NumberParseException:
        return stored
    digits = phonenumbers.national_significant_number(number)
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.MOBILE and len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    area = phonenumbers.length_of_geographical_area_code(number)
    if area:
        return f"0{digits[:area]}-{digits[area:]}"
    if len(digits) == 10 and digits[:3] in ("400", "800"):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "-")


def tel_uri(stored):
    """The tel: link of a stored number (short numbers dial as they are, others in E.164)."""
    return f"tel:{stored}" if stored else ""


def normalize_email(value):
    raw = (value or "").strip()
    try:
        EmailValidator()(raw)
    except ValidationError:
        raise ValidationError(
            _("Enter a valid e-mail address, such as jiuzhu@mzt.shanxi.gov.cn."), code="email_invalid"
        ) from None
    local, _at, domain = raw.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalize_url(value):
    raw = (value or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(raw)
    except ValidationError:
        raise ValidationError(
            _("Enter the full address of the web form, starting with https://."), code="url_invalid"
        ) from None
    return raw


def normalize_wechat(value):
    raw = (value or "").strip()
    if not _WECHAT.fullmatch(raw):
        raise ValidationError(
            _("Enter the WeChat account's name or ID (at most 60 characters)."), code="wechat_invalid"
        )
    return raw


def normalize_address(value):
    raw = (value or "").strip()
    if len(raw) < 4:
        raise ValidationError(_("Enter the address of the walk-in window."), code="address_invalid")
    return raw
