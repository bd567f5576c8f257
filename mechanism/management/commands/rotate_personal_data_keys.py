"""Re-encrypt every EncryptedTextField value with the primary key, after a new key was put first.

Rotating keys: prepend a new key to PERSONAL_DATA_KEYS and restart; run this command; then remove the old
key. A value already under the primary key is left alone, so running it twice writes nothing the second time.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from mechanism import personal
from mechanism.fields import EncryptedTextField

BATCH_SIZE = 500


def encrypted_models(app_registry=apps):
    """(model, [field names]) for every concrete model with EncryptedTextField columns of its own."""
    found = []
    for model in app_registry.get_models():
        if model._meta.proxy:
            continue
        names = [f.name for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def _pk_batches(manager, size):
    """Primary keys in batches by keyset pagination: no cursor stays open while the batches are written."""
    last = None
    while True:
        rows = manager.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows.values_list("pk", flat=True)[:size])
        if not batch:
            return
        yield batch
        last = batch[-1]


def rotate_model(model, names, batch_size=BATCH_SIZE):
    """Rotate one model's tokens batch by batch; returns (values re-encrypted, values already current).

    Works on the stored tokens alone (MultiFernet.rotate), never on plain text, and writes only rows that
    hold a token of an older key.
    """
    manager = model._base_manager
    # Cast reads the stored token past the field's decryption; Value(..., TextField()) writes it past encryption.
    tokens = {f"_token_{name}": Cast(name, TextField()) for name in names}
    rotated = current = 0
    for batch in _pk_batches(manager, batch_size):
        with transaction.atomic():
            # Locked for the batch, so an edit made meanwhile is not overwritten with the older token.
            rows = manager.filter(pk__in=batch).select_for_update().only("pk").annotate(**tokens)
            stale = []
            for row in rows:
                changed = False
                for name in names:
                    token = getattr(row, f"_token_{name}")
                    if token and not personal.is_current(token):
                        token, changed = personal.rotate(token), True
                        rotated += 1
                    elif token:
                        current += 1
                    setattr(row, name, Value(token, output_field=TextField()))
                if changed:
                    stale.append(row)
            manager.bulk_update(stale, names, batch_size=batch_size)
    return rotated, current


class Command(BaseCommand):
    help = "Re-encrypt personal data with the first key of PERSONAL_DATA_KEYS (run after adding a new key)."

    def handle(self, *args, **options):
        found = encrypted_models()
        if not found:
            self.stdout.write(_("No model stores encrypted personal data; nothing to rotate."))
            return
        total = 0
        for model, names in found:
            rotated, current = rotate_model(model, names)
            total += rotated
            self.stdout.write(
                _("%(model)s: %(rotated)d values re-encrypted, %(current)d already under the primary key.")
                % {"model": model._meta.label, "rotated": rotated, "current": current}
            )
        self.stdout.write(self.style.SUCCESS(_("%(total)d values re-encrypted in all.") % {"total": total}))
