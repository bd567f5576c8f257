"""The content security policy's nonce, reachable from templates that get no request (form widgets).

Wagtail's admin renders a few inline scripts (date and time pickers, choosers, inline panels) and has no
nonce support. xianjie overrides those templates (xianjie/security/templates/wagtailadmin/) to add
`{% csp_nonce_attr %}`, which reads the nonce of the request being answered from a context variable.
An injected `<script>` never carries the nonce: only the templates that ask for it do.
"""

import contextvars
import secrets

from csp.middleware import CSPMiddleware as BaseCSPMiddleware

_current_request = contextvars.ContextVar("xianjie_csp_request", default=None)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with a nonce safe in an unquoted attribute and the request kept for templates."""

    def _make_nonce(self, request):
        stored = getattr(request, "_csp_nonce", None)
        if isinstance(stored, str):
            return stored
        nonce = secrets.token_urlsafe(18)  # letters, digits, - and _: valid in CSP, in HTML and in JSON
        request._csp_nonce = nonce
        return nonce

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return super().__call__(request)
        finally:
            _current_request.reset(token)


def current_nonce():
    """The nonce of the request being answered, or '' outside a request (then the script stays blocked)."""
    request = _current_request.get()
    if request is None or not hasattr(request, "csp_nonce"):
        return ""
    return str(request.csp_nonce)  # evaluating it puts the nonce in the header
