"""The leak crawler: every URL pattern of the project, classified, filled with objects that are not the user's.

`routes()` walks the URL resolver (namespaces included). `classify(route)` says what a pattern is:

- `Rule("object", source)`: a screen about one object; filled from `world.sources[source]` (the objects that are
  not the role's) and must be refused (302 to the login or to /admin/, 400, 403, 404, 405). ModelViewSet URLs are
  classified by the model of their view, so a new viewset of a known model is crawled without editing anything.
- `Rule("list")`: no parameter; fetched, may answer 200 but must not show a foreign object.
- `Rule("core", ...)`: Wagtail's own screens (pages, images, documents, users, sites, settings, workflows...):
  must refuse every non-superuser; parameters filled with `world.core_fill`.
- `Rule("public")`: public by design (Wagtail's document serving): fetched with a real object, must answer 200.
- `Rule("skip", reason)`: not fetched; the reason says why (static assets, the login form, catch-alls).

A pattern that none of these covers raises `Unclassified`: a new screen makes the crawler fail until someone
says in this file what it shows.
"""

import contextlib
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver

# A path converter `<int:pk>` or a regex group `(?P<pk>\\d+)` (the admin API and page revisions use re_path).
PARAM = re.compile(r"\(\?P<(?P<group>[^>]+)>(?:[^()]|\([^()]*\))*\)|<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _param(match):
    return match.group("group") or match.group("name")


DENIED_STATUS = {400, 403, 404, 405}


class Unclassified(AssertionError):
    pass


@dataclass(frozen=True)
class Route:
    route: str
    name: str  # namespace:name
    model: type | None
    default_args: tuple

    @property
    def params(self):
        return [_param(m) for m in PARAM.finditer(self.route)]

    def path(self, kwargs):
        path = PARAM.sub(lambda m: str(kwargs[_param(m)]), self.route)
        # The admin API routers and the page revisions nest regex patterns: drop their anchors and escapes.
        return "/" + path.replace("^", "").replace("$", "").replace("\\.", ".")


@dataclass(frozen=True)
class Rule:
    kind: str  # object, list, core, public, skip
    source: str = ""  # object: key of world.sources; skip: the reason


def _model_of(callback):
    initkwargs = getattr(callback, "view_initkwargs", None) or {}
    model = initkwargs.get("model") or getattr(getattr(callback, "view_class", None), "model", None)
    return model if isinstance(model, type) else None


def routes(resolver=None, prefix="", namespaces=()):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            spaces = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from routes(pattern, prefix + str(pattern.pattern), spaces)
        else:
            name = ":".join(namespaces + (pattern.name or "",))
            default_args = tuple(sorted((pattern.default_args or {}).items()))
            yield Route(prefix + str(pattern.pattern), name, _model_of(pattern.callback), default_args)


# Not fetched, each for a stated reason.
SKIPPED = {
    "admin/^.*/$": "Wagtail's catch-all 404 for unknown admin paths",
    "admin/test404/": "Wagtail's test page for the 404 template",
    "^((?:[\\w\\-]+/)*)$": "the public page tree (wagtail_serve): public by design, crawled as the home page below",
    "_util/login/": "the public login form for private pages",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": "page password form (none set)",
}
SKIPPED_NAMES = {
    "wagtailadmin_login": "the login form",
    "wagtailadmin_logout": "logging out would end the crawl's session",
    "wagtailadmin_password_reset": "password reset forms: public by design, no data",
    "wagtailadmin_password_reset_done": "password reset forms: public by design, no data",
    "wagtailadmin_password_reset_confirm": "password reset forms: public by design, no data",
    "wagtailadmin_password_reset_complete": "password reset forms: public by design, no data",
    "wagtailadmin_error_test": "Wagtail's deliberate 500 (admin/failwhale/) for testing the error page",
    "wagtailadmin_sprite": "the icon sprite (static)",
    "wagtailadmin_javascript_catalog": "the JavaScript translation catalogue (static)",
}

# Screens of any admin user that hold no object of a mechanism (or only the user's own): fetched, no foreign data.
OPEN_NAMES = {
    "wagtailadmin_home",  # the dashboard: the user's own figures
    "wagtailadmin_account",
    "wagtailadmin_dismissibles",
    "wagtailadmin_block_preview",
    "helprequest:form",  # public pages
    "helprequest:sent",
    "public:directory",
    "public:channels_json",
    "public:channels_csv",
    "meetings_calendar_feed",  # the user's own feed settings
    "meetings_calendar_feed_create",
    "meetings_calendar_feed_revoke",
    "casework:queue",
    "casework:cases",
    "casework:report",
    "casework:supervision",
    "casework:filing",
    "meetings_admin:calendar",
    "meetings_admin:list",
    "meetings_admin:new",
    "meetings_admin:topics",
    "rotation_admin:index",
    "rotation_handovers:index",
    "rotation_handovers:create",
    "rotation_summaries:index",
    "helpchannel:verify_many",
    "xianjie_security:lockouts",  # login lock-outs (django-axes): no object of a mechanism
}

# Custom (non-viewset) screens about one object: the source that fills their parameters.
OBJECT_NAMES = {
    "casework:case": "case",
    "casework:reveal": "case",
    "casework:assignment": "assignment",
    "xianjie_documents:job": "document_job",
    "xianjie_documents:job_file": "document_job",
    "xianjie_documents:download": "document",
    "meeting_invitation": "meeting",
    "meetings_admin:remove": "agenda_item",
    "meetings_admin:move": "agenda_item",
    "meetings_admin:remove_attendance": "attendance",
    "rotation_admin:forecast": "mechanism",
    "rotation_admin:record_swap": "mechanism",
    "rotation_admin:record_defer": "mechanism",
    "rotation_handovers:verify_contacts": "handover_unit",
    "rotation_summaries:start": "summary_mechanism",
    "rotation_summaries:chart": "summary_chart",
    "meeting_answers:answer": "answer_token",  # bearer links: tried with forged and tampered tokens
    "calendar:feed": "feed_token",
    "helpchannel:verify": "channel",
    "xianjie_security:unlock": "lockout",  # bearer links: tried with revoked and tampered tokens
}
OBJECT_PREFIXES = {  # every screen of these namespaces takes the object's pk (the first prefix that fits)
    "meetings_admin:minutes": "minutes",  # a meeting's minutes: also the unpublished ones of the own mechanism
    "meetings_admin:": "meeting",
    "rotation_handovers:": "handover",
    "rotation_summaries:": "summary",
}

# Models of the project's viewsets: their URLs take that model's pk; the list is scanned.
MODEL_SOURCES = {
    "mechanism.mechanism": "mechanism",
    "mechanism.memberunit": "unit",
    "mechanism.membership": "membership",
    "mechanism.convenerterm": "term",
    "mechanism.helpchannel": "channel",
    "mechanism.brandproject": "project",
    "mechanism.personaldataaccess": "access_log",
    "mechanism.area": "area",
    "mechanism.holidayoverride": "holiday",  # nationwide reference data: only superusers may change it
    "meetings.meetingseries": "series",
}


# Wagtail's choosers, link dialogs, tag autocompletion, admin API and site history: every editor needs them (the
# rich-text editor opens them) and they show the public page tree, images and documents, or only what the user's
# permission policies let it see. Fetched; no foreign object may appear.
CORE_OPEN_PREFIXES = (
    "wagtailadmin_api:",
    "wagtailadmin_choose_",
    "wagtailadmin_tag_",
    "wagtailadmin_workflows:task_cho",  # task_chooser*, task_chosen
    "wagtailembeds:",
    "wagtaildocs_chooser:",
    "wagtailimages_chooser:",
    "wagtailadmin_reports:site_history",
)


# Public by design: Wagtail serves the documents attached to public pages to anyone (xianjie/urls.py, documents/);
# fetched with a real document (tests/security/scene.py), which must be served (200) and show no foreign object.
PUBLIC_NAMES = {"wagtaildocs_serve"}


def _is_wagtail_core(route):
    return route.name.split(":")[0].startswith("wagtail")


def classify(route):
    if route.route in SKIPPED:
        return Rule("skip", SKIPPED[route.route])
    if route.name in SKIPPED_NAMES:
        return Rule("skip", SKIPPED_NAMES[route.name])
    if route.name in OPEN_NAMES:
        return Rule("list")
    if route.name in PUBLIC_NAMES:
        return Rule("public")
    if route.name in OBJECT_NAMES:
        return Rule("object", OBJECT_NAMES[route.name])
    if route.model is not None and route.model._meta.label_lower in MODEL_SOURCES:
        source = MODEL_SOURCES[route.model._meta.label_lower]
        return Rule("object", source) if route.params else Rule("list")
    for prefix, source in OBJECT_PREFIXES.items():
        if route.name.startswith(prefix) and route.params and route.params[0] == "pk":
            return Rule("object", source)
    if route.name.startswith(CORE_OPEN_PREFIXES):
        return Rule("core", "open")
    if _is_wagtail_core(route):
        return Rule("core")  # Wagtail core: must deny non-superusers
    raise Unclassified(f"Unclassified URL pattern {route.route!r} ({route.name!r}): classify it in {__name__}")


def body_text(response):
    """The text a response carries: decoded, zip archives (docx, xlsx) opened, JSON's \\u escapes and HTML's
    entities undone, the redirect target included."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [response.get("Location", ""), response.get("Content-Disposition", "")]
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    text = raw.decode("utf-8", errors="replace")
    if "json" in response.get("Content-Type", ""):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    parts.append(html.unescape(text))
    return "\n".join(parts)


def is_denied(response):
    if response.status_code in DENIED_STATUS:
        return True
    if response.status_code == 302:
        location = response["Location"]
        return "/login/" in location or location.rstrip("/").endswith("/admin")
    return False
