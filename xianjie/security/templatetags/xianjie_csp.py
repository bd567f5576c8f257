from django import template
from django.utils.html import format_html

from ..csp import current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce_attr():
    """` nonce="…"` for an inline script, when a request is being answered."""
    nonce = current_nonce()
    return format_html(' nonce="{}"', nonce) if nonce else ""
