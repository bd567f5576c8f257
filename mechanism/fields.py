"""Model fields for personal data."""

from django.db import models

from . import personal


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token (mechanism.personal) and read back as plain text; "" stays "".

    Every write yields a different token, so the column cannot be filtered, ordered or searched on: only
    `isnull` is allowed, any other lookup raises FieldError. Keep a blind index (personal.blind_index) in a
    plain column beside it and filter on that.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return personal.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return personal.encrypt(value)

    def get_lookup(self, lookup_name):
        # An exact or contains lookup would encrypt its operand afresh and silently match nothing.
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name):
        return None
