"""Login throttling (django-axes): the Wagtail login form locks a user name out from one address, says why,
and the superuser or the mechanism's secretariat unlocks it on the lock-out screen."""

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.urls import reverse

from mechanism.models import Role
from tests.base import CastTestCase
from tests.factories import MembershipFactory

LOGIN = "/admin/login/"


class LockoutTest(CastTestCase):
    def fail(self, username, address="203.0.113.7", client=None):
        client = client or self.client
        return client.post(
            LOGIN,
            {"username": username, "password": "wrong"},
            REMOTE_ADDR=address,
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def lock_out(self, username, address="203.0.113.7"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.fail(username, address)

    def test_the_login_form_passes_the_request_so_each_failure_is_counted(self):
        self.fail("other_liaison")
        self.fail("other_liaison")
        attempt = AccessAttempt.objects.get(username="other_liaison")
        self.assertEqual((attempt.failures_since_start, attempt.ip_address), (2, "203.0.113.7"))

    def test_after_the_limit_even_the_right_password_is_refused_with_a_clear_message(self):
        self.lock_out("other_liaison")
        response = self.client.post(
            LOGIN, {"username": "other_liaison", "password": "pw"}, REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en"
        )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed logins for this user name from this address", status_code=429)
        self.assertContains(response, 'name="password"', status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lockout_holds_for_that_user_from_that_address_only(self):
        self.lock_out("other_liaison")
        elsewhere = self.client_class()
        response = elsewhere.post(LOGIN, {"username": "other_liaison", "password": "pw"}, REMOTE_ADDR="198.51.100.2")
        self.assertEqual(response.status_code, 302)
        same_address = self.client_class()
        response = same_address.post(LOGIN, {"username": "supervisor", "password": "pw"}, REMOTE_ADDR="203.0.113.7")
        self.assertEqual(response.status_code, 302)

    def test_a_success_before_the_limit_resets_the_count(self):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.fail("other_liaison")
        self.client.post(LOGIN, {"username": "other_liaison", "password": "pw"}, REMOTE_ADDR="203.0.113.7")
        self.client.logout()
        self.fail("other_liaison")
        self.assertEqual(self.fail("other_liaison").status_code, 200)

    def test_logins_leave_no_access_log_only_the_failures_are_counted(self):
        self.fail("other_liaison")
        response = self.client.post(LOGIN, {"username": "supervisor", "password": "pw"}, REMOTE_ADDR="203.0.113.7")
        self.assertEqual(response.status_code, 302)
        self.client.post("/admin/logout/")
        self.assertFalse(AccessLog.objects.exists())
        self.assertEqual(AccessAttempt.objects.get().username, "other_liaison")

    def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(self):
        with self.settings(XIANJIE_TRUSTED_PROXY_COUNT=1):
            for _ in range(settings.AXES_FAILURE_LIMIT):
                self.client.post(
                    LOGIN,
                    {"username": "other_liaison", "password": "wrong"},
                    REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="192.0.2.44",
                )
        self.assertEqual(AccessAttempt.objects.get().ip_address, "192.0.2.44")


class UnlockScreenTest(CastTestCase):
    def setUp(self):
        for username in ("other_liaison", "ghost"):
            for _ in range(settings.AXES_FAILURE_LIMIT):
                self.client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
        self.client.logout()
        self.own = AccessAttempt.objects.get(username="other_liaison")
        self.unknown = AccessAttempt.objects.get(username="ghost")

    def test_the_superuser_sees_every_lockout_and_unlocks_one(self):
        client = self.login(self.admin)
        response = client.get(reverse("xianjie_security:lockouts"))
        self.assertContains(response, "other_liaison")
        self.assertContains(response, "ghost")
        client.post(reverse("xianjie_security:unlock", args=[self.own.pk]))
        self.assertFalse(AccessAttempt.objects.filter(username="other_liaison").exists())
        login = self.client_class().post(
            LOGIN, {"username": "other_liaison", "password": "pw"}, REMOTE_ADDR="203.0.113.7"
        )
        self.assertEqual(login.status_code, 302)

    def test_the_secretariat_unlocks_its_own_users_only(self):
        client = self.login(self.secretariat)
        response = client.get(reverse("xianjie_security:lockouts"))
        self.assertContains(response, "other_liaison")
        self.assertNotContains(response, "ghost")
        self.assertEqual(client.post(reverse("xianjie_security:unlock", args=[self.unknown.pk])).status_code, 404)
        client.post(reverse("xianjie_security:unlock", args=[self.own.pk]))
        self.assertEqual(list(AccessAttempt.objects.values_list("username", flat=True)), ["ghost"])

    def test_another_mechanisms_secretariat_cannot_unlock_our_users(self):
        client = self.login(self.outsider)
        self.assertNotContains(client.get(reverse("xianjie_security:lockouts")), "other_liaison")
        self.assertEqual(client.post(reverse("xianjie_security:unlock", args=[self.own.pk])).status_code, 404)
        self.assertEqual(AccessAttempt.objects.count(), 2)

    def test_a_liaison_and_a_visitor_are_refused_and_the_menu_is_hidden_from_the_liaison(self):
        liaison = self.login(self.other_liaison)
        # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and an error message.
        self.assertRedirects(
            liaison.get(reverse("xianjie_security:lockouts")), "/admin/", fetch_redirect_response=False
        )
        refused = liaison.post(reverse("xianjie_security:unlock", args=[self.own.pk]))
        self.assertRedirects(refused, "/admin/", fetch_redirect_response=False)
        self.assertNotContains(liaison.get("/admin/"), reverse("xianjie_security:lockouts"))
        self.assertContains(self.login(self.secretariat).get("/admin/"), reverse("xianjie_security:lockouts"))
        visitor = self.client_class()
        response = visitor.post(reverse("xianjie_security:unlock", args=[self.own.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
        self.assertEqual(AccessAttempt.objects.count(), 2)

    def test_a_secretariat_never_sees_nor_unlocks_a_superuser_of_its_mechanism(self):
        MembershipFactory(user=self.admin, unit=self.zgh, role=Role.LIAISON)
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.client.post(LOGIN, {"username": "admin", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
        locked = AccessAttempt.objects.get(username="admin")
        client = self.login(self.secretariat)
        listed = client.get(reverse("xianjie_security:lockouts")).context["attempts"]
        self.assertEqual([attempt.username for attempt in listed], ["other_liaison"])
        self.assertEqual(client.post(reverse("xianjie_security:unlock", args=[locked.pk])).status_code, 404)
        self.assertTrue(AccessAttempt.objects.filter(username="admin").exists())
        superuser = self.client_class()
        superuser.force_login(self.admin)
        listed = superuser.get(reverse("xianjie_security:lockouts")).context["attempts"]
        self.assertIn("admin", [attempt.username for attempt in listed])

    def test_each_unlock_is_logged_with_the_pks_only(self):
        client = self.login(self.secretariat)
        with self.assertLogs("xianjie.security.views", "WARNING") as logs:
            client.post(reverse("xianjie_security:unlock", args=[self.own.pk]))
        self.assertEqual(
            logs.records[0].getMessage(),
            f"Login lock-out lifted by user {self.secretariat.pk} for user {self.other_liaison.pk}",
        )
        self.assertNotIn("other_liaison", logs.output[0])
