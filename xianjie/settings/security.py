"""Security settings shared by every environment: login throttling, the content security policy, uploads.

Star-imported at the end of base.py; production.py adds what only holds behind HTTPS.
"""

from datetime import timedelta

from csp.constants import NONCE as _NONCE

_SELF = "'self'"
_NONE = "'none'"

# --- Login throttling (django-axes) ------------------------------------------------------------------
# A user name tried from one address is locked after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME;
# other addresses, and other user names from that address, are not locked with it. A success resets the count.
# No separate lock per address alone: axes 8 has one AXES_FAILURE_LIMIT for every parameter set, so adding
# ["ip_address"] would lock a whole office behind one NAT address after 5 failures of any of its staff. Many
# user names tried from one address show in the lock-out screen and in the log (xianjie.security.lockout).
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "xianjie.security.lockout.lockout_response"
# The same address the help request's rate limit counts: REMOTE_ADDR, or behind XIANJIE_TRUSTED_PROXY_COUNT
# proxies the X-Forwarded-For entry the outermost trusted proxy wrote.
AXES_CLIENT_IP_CALLABLE = "xianjie.helprequest.ratelimit.client_address"
AXES_USERNAME_FORM_FIELD = "username"
# Never store the password or the user agent's free text beyond what is needed.
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False
# Only failures are kept (AccessAttempt, until the cool-off ends); no AccessLog row for every login and logout,
# which would keep a history of who logged in when, forever. Nothing in xianjie reads AccessLog.
AXES_DISABLE_ACCESS_LOG = True

# --- Content security policy (django-csp 4) --------------------------------------------------------
# No inline script anywhere except where a template carries the request's nonce; nothing from elsewhere.
# Wagtail's admin renders a few inline scripts (date/time pickers, choosers, inline panels): xianjie's overrides
# of those templates (xianjie/security/templates/wagtailadmin/) give them the nonce. See xianjie/security/csp.py.
# Draftail (the rich text editor) renders <style> elements without a nonce, which style-src blocks: only empty
# blocks' placeholders and nested list numbering are lost (tests/browser/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF, _NONCE],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "frame-ancestors": [_NONE],
        "form-action": [_SELF],
    },
}

# --- Uploads and rich text ---------------------------------------------------------------------------
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
XIANJIE_MAX_DOCUMENT_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "xianjie.security.uploads.LimitedDocumentForm"
# Every document is served as a download (Content-Disposition: attachment), never shown in the browser.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# A rich text field without its own `features` gets only these.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link"]},
    }
}

# --- Cookies and headers -----------------------------------------------------------------------------
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day; the admin asks for the password again the next morning
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No avatars fetched from gravatar.com: it would leak staff e-mail hashes and break img-src 'self'.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
