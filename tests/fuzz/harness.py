"""Post bad input and check what must hold: no 5xx, nothing half-saved, a visible error in the user's language.

`FuzzTestCase.fuzz(url, payload, ...)` runs hypothesis over mutations of a valid payload. Each example runs in
a savepoint that is rolled back, so every example starts from the same database. After each post:

- the status is below 500 (the test client re-raises any exception a view lets escape);
- when the answer is an error (a form with errors, or an error/warning message after the redirect), the
  database is exactly as before: same rows in every table of our apps, same values;
- when the database is unchanged, the answer shows an error the user can read (a form error or a message)
  or says it is done (a success message: the same values again), unless the form declares the mutation
  harmless (`quiet_ok`: e.g. a read that only writes the access log).
"""

import re
from collections import Counter
from contextlib import contextmanager

from django.apps import apps
from django.contrib.messages import constants
from django.core.cache import cache
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import guarantees
from tests.base import CastTestCase

from .forms import post_forms
from .strategies import mutations, upload_bytes

APPS = ("mechanism", "meetings", "rotation", "xianjie", "wagtailcore")
NOT_STATE = {"PersonalDataAccess", "ReferenceIndex", "ModelLogEntry", "PageLogEntry"}  # logs of reads and writes
CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ_SETTINGS = settings(
    deadline=None,
    max_examples=30,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
# Error texts that showed in English under the default language (msgids waiting for a translation).
UNTRANSLATED = set()
# (subject, mutation kind, "refused"/"taken") -> examples: what the fuzzing exercised, for a look when tuning.
OUTCOMES = Counter()


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def database_state():
    """Every row of every table of our apps (not the logs of who read what), to compare before and after."""
    state = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__ not in NOT_STATE:
                state[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return state


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


def error_texts(response):
    """The form errors and error/warning messages a response shows."""
    texts = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            texts += _form_errors(value)
    for message in response.context.get("messages", []) if response.context else []:
        if message.level >= constants.WARNING:
            texts.append(str(message))
    return [text for text in dict.fromkeys(texts) if text]


def said_done(response):
    """A success message: the same values posted again (nothing to change) is a success, not a rejection."""
    messages = response.context.get("messages", []) if response.context else []
    return any(message.level == constants.SUCCESS for message in messages)


def _form_errors(value):
    if isinstance(value, BaseFormSet):
        return [error for form in value.forms for error in _form_errors(form)] + list(value.non_form_errors())
    if isinstance(value, BaseForm) and value.is_bound:
        return [str(error) for errors in value.errors.values() for error in errors]
    return []


class FuzzTestCase(CastTestCase):
    """Cast + the fuzz driver. Subclasses log in, find a valid payload and call `fuzz`."""

    def page_form(self, url, action_contains="", user=None):
        """The POST form of the page at `url` whose action contains `action_contains` (the first one)."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        forms = [form for form in post_forms(response.content.decode(), url) if action_contains in form.action]
        self.assertTrue(forms, f"no POST form with {action_contains!r} on {url}")
        return forms[0]

    def post(self, url, post, files=(), language=None):
        headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        if post.body is not None:
            return self.client.post(url, post.body, content_type="application/x-www-form-urlencoded", **headers)
        data = dict(post.data)
        for name, content in files:
            data[name] = content
        return self.client.post(url, data, **headers)

    def check_one(self, url, post, files=(), quiet_ok=None, language=None):
        """Post once; return the error texts shown. Fails on a 5xx, a half-save or a silent rejection."""
        cache.clear()
        before = database_state()
        response = self.post(url, post, files, language)
        self.assertLess(response.status_code, 500, post.describe())
        if response.status_code in (301, 302, 303) and response["Location"].startswith("/"):
            response = self.client.get(response["Location"], **({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
            self.assertLess(response.status_code, 500, post.describe())
        errors = error_texts(response)
        changed = changed_tables(before, database_state())
        if response.status_code >= 400:  # a refusal (400, 403, 404, 405) changes nothing either
            self.assertEqual(changed, [], f"changed by a {response.status_code} answer: {post.describe()}")
        if errors:
            self.assertEqual(changed, [], f"half-saved after errors {errors}: {post.describe()}")
            shown = [text for text in errors if escape(text) in response.content.decode()]
            self.assertTrue(shown, f"no error shown of {errors}")  # a hidden field's error may stay unseen
        elif not changed and response.status_code in (200, 302) and not said_done(response):
            ok = quiet_ok(post) if quiet_ok else False
            self.assertTrue(ok, f"rejected without a message ({response.status_code}): {post.describe()}")
        return errors

    def fuzz(self, url, payload, subject, files=(), protected=(), quiet_ok=None, max_examples=None):
        """Run hypothesis over mutations of `payload` posted to `url`; add the figures for `subject`."""
        counts = {"inputs": 0}
        protected = ("csrfmiddlewaretoken", *protected)

        @settings(FUZZ_SETTINGS, max_examples=max_examples or FUZZ_SETTINGS.max_examples)
        @given(
            post=mutations(payload, protected), uploads=st.lists(upload_bytes, min_size=len(files), max_size=len(files))
        )
        def run(post, uploads):
            from django.core.files.uploadedfile import SimpleUploadedFile

            attached = [
                (name, SimpleUploadedFile(f"f{i}.{ext}", body))
                for i, ((name, ext), body) in enumerate(zip(files, uploads, strict=True))
            ]
            with rolled_back():
                counts["inputs"] += 1
                errors = self.check_one(url, post, attached if post.body is None else (), quiet_ok)
                OUTCOMES[(subject, post.kind, "refused" if errors else "taken")] += 1
                if errors and not any(CJK.search(text) for text in errors):
                    UNTRANSLATED.update(errors)
                    # The default language is zh-hans: every refusal reads in Chinese.
                    self.fail(f"no Chinese message among {errors}: {post.describe()}")

        run()
        guarantees.add("fuzz", "inputs", counts["inputs"], subject=subject)
        guarantees.add("fuzz", "5xx", 0, subject=subject)
        guarantees.add("fuzz", "half-saved", 0, subject=subject)
        return counts["inputs"]

    def fuzz_page(self, url, subject, per_form=8, skip=("logout",), files=(), quiet_forms=()):
        """Fuzz every POST form of the page at `url`, each from the values the page fills in; figures per form."""
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        forms = [form for form in post_forms(response.content.decode(), url) if not any(s in form.action for s in skip)]
        self.assertTrue(forms, f"no POST form on {url}")
        total = 0
        for form in forms:
            tail = form.action.rstrip("/").rsplit("/", 2)
            name = (form.payload.get("action") or ["/".join(tail[-2:]) if tail[-1].isdigit() else tail[-1]])[0]
            protected = ("action",) if "action" in form.payload else ()
            attached = [(field, "bin") for field in form.files] if form.files else files
            quiet_ok = (lambda post: True) if name in quiet_forms else None
            total += self.fuzz(form.action, form.payload, f"{subject}: {name}", attached, protected, quiet_ok, per_form)
        return total
