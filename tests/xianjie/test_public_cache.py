"""Public pages come from the cache for anonymous visitors and are purged when what they show changes."""

import datetime

from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from mechanism.models import BrandProject, ConvenerTerm
from tests.factories import jan1
from tests.xianjie.test_directory import tel
from tests.xianjie.test_home_page import HomePageWorld
from xianjie.public.cache import PublicPageCacheMiddleware, is_candidate, is_storable
from xianjie.security.csp import CSPMiddleware


class PublicCacheTest(HomePageWorld):
    def fetch(self, url="/help/", **headers):
        response = self.client.get(url, headers=headers or None)
        self.assertEqual(response.status_code, 200)
        return response

    def test_second_request_is_served_without_queries(self):
        for url in ("/help/", "/help/?area=140100&by=unit", "/", "/taiyuan/", "/taiyuan/help/", "/help/channels.json"):
            with self.subTest(url=url):
                first = self.fetch(url)
                self.assertEqual(first["X-Public-Cache"], "miss")
                with self.assertNumQueries(0):
                    second = self.fetch(url)
                self.assertEqual(second["X-Public-Cache"], "hit")
                self.assertEqual(second.content, first.content)
                self.assertEqual(second["Content-Type"], first["Content-Type"])

    def test_csv_keeps_its_headers_from_the_cache(self):
        first = self.fetch("/help/channels.csv")
        second = self.fetch("/help/channels.csv")
        self.assertEqual(second["X-Public-Cache"], "hit")
        self.assertEqual(second["Content-Disposition"], first["Content-Disposition"])
        self.assertTrue(second.content.startswith(b"\xef\xbb\xbf"))

    def test_query_and_language_make_separate_entries(self):
        self.fetch("/help/")
        self.assertEqual(self.fetch("/help/?need=housing")["X-Public-Cache"], "miss")
        english = self.fetch("/help/", **{"accept-language": "en"})
        self.assertEqual(english["X-Public-Cache"], "miss")
        self.assertIn(b'lang="en"', english.content)
        self.assertIn(b'lang="zh-Hans"', self.fetch("/help/").content)

    def test_changed_number_shows_at_once(self):
        self.assertIn(tel(12349), self.fetch().content.decode())
        self.hotline.value = "12345"
        self.hotline.save()
        html = self.fetch().content.decode()
        self.assertIn(tel(12345), html)
        self.assertNotIn(tel(12349), html)

    def test_changed_areas_show_at_once(self):
        self.assertIn(tel(12349), self.fetch("/help/?area=140100").content.decode())
        self.hotline.areas.set([self.datong])
        self.assertNotIn(tel(12349), self.fetch("/help/?area=140100").content.decode())

    def test_unit_that_leaves_disappears_at_once(self):
        self.assertIn(tel(12351), self.fetch().content.decode())
        self.assertIn("山西省总工会", self.fetch("/").content.decode())
        self.zgh.left_on = datetime.date(2026, 5, 31)
        self.zgh.save()
        self.assertNotIn(tel(12351), self.fetch().content.decode())
        self.assertNotIn("山西省总工会", self.fetch("/").content.decode())

    def test_project_and_term_changes_show_at_once(self):
        self.fetch("/")
        BrandProject.objects.create(unit=self.mz, name="暖心救助")
        self.assertIn("暖心救助", self.fetch("/").content.decode())
        self.tsw_term.ends_at = jan1(2026) + datetime.timedelta(days=10)
        self.tsw_term.save()
        ConvenerTerm.objects.create(
            mechanism=self.province, unit=self.zgh, starts_at=jan1(2026) + datetime.timedelta(days=10)
        )
        self.assertIn('<p class="convener">山西省总工会</p>', self.fetch("/").content.decode())

    def test_publishing_a_page_purges(self):
        self.fetch("/")
        page = self.pages["140000"]
        page.title = "山西省衔接机制（新标题）"
        page.save_revision().publish()
        self.assertIn("山西省衔接机制（新标题）", self.fetch("/").content.decode())

    def test_unpublishing_a_page_purges(self):
        self.assertEqual(self.fetch("/taiyuan/").status_code, 200)
        self.pages["140100"].unpublish()
        self.assertEqual(self.client.get("/taiyuan/").status_code, 404)

    def test_logged_in_users_are_never_served_or_stored(self):
        self.fetch("/help/")
        self.login(self.secretariat)
        response = self.fetch("/help/")
        self.assertNotIn("X-Public-Cache", response)
        self.client.logout()
        cache.clear()
        self.login(self.secretariat)
        self.fetch("/")
        self.client.logout()
        self.client.cookies.clear()
        self.assertEqual(self.fetch("/")["X-Public-Cache"], "miss")

    def test_help_request_and_admin_are_never_cached(self):
        factory = RequestFactory()
        for path in ("/help/request/", "/help/request/sent/", "/admin/", "/static/public/site.css"):
            with self.subTest(path=path):
                self.assertFalse(is_candidate(factory.get(path)))
        self.assertTrue(is_candidate(factory.get("/help/?need=housing")))
        self.assertFalse(is_candidate(factory.post("/help/")))
        self.assertFalse(is_candidate(factory.get("/help/", HTTP_COOKIE="sessionid=abc")))
        response = self.client.get("/help/request/")
        self.assertNotIn("X-Public-Cache", response)

    def test_responses_with_cookies_or_csrf_tokens_are_not_stored(self):
        factory = RequestFactory()
        request = factory.get("/help/")
        self.assertTrue(is_storable(request, HttpResponse("ok")))
        with_cookie = HttpResponse("ok")
        with_cookie.set_cookie("csrftoken", "x")
        self.assertFalse(is_storable(request, with_cookie))
        varies = HttpResponse("ok")
        varies["Vary"] = "Accept-Language, Cookie"
        self.assertFalse(is_storable(request, varies))
        private = HttpResponse("ok")
        private["Cache-Control"] = "private"
        self.assertFalse(is_storable(request, private))
        self.assertFalse(is_storable(request, HttpResponse("gone", status=404)))
        token_request = factory.get("/help/")
        token_request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        self.assertFalse(is_storable(token_request, HttpResponse("ok")))

    def test_a_cached_home_page_carries_the_policy_and_no_nonce(self):
        first = self.fetch("/")
        second = self.fetch("/")
        self.assertEqual((first["X-Public-Cache"], second["X-Public-Cache"]), ("miss", "hit"))
        for response in (first, second):
            self.assertIn("script-src 'self'", response["Content-Security-Policy"])
            self.assertNotIn("nonce-", response["Content-Security-Policy"])
            self.assertNotIn(b"nonce", response.content)

    def test_a_page_whose_rendering_used_the_nonce_is_never_stored(self):
        def view(request):
            return HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')

        stack = CSPMiddleware(PublicPageCacheMiddleware(view))
        factory = RequestFactory()
        answers = [stack(factory.get("/nonce-page/")) for _ in range(2)]
        nonces = []
        for response in answers:
            self.assertNotIn("X-Public-Cache", response)
            nonce = response.content.decode().split('"')[1]
            self.assertIn(f"'nonce-{nonce}'", response["Content-Security-Policy"])
            nonces.append(nonce)
        self.assertNotEqual(nonces[0], nonces[1])
        plain = CSPMiddleware(PublicPageCacheMiddleware(lambda request: HttpResponse("plain")))
        self.assertEqual(plain(factory.get("/nonce-page/"))["X-Public-Cache"], "miss")
        self.assertEqual(plain(factory.get("/nonce-page/"))["X-Public-Cache"], "hit")
