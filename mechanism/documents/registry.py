"""The kinds of document, each registered by the app that owns its object (in its AppConfig.ready).

A kind knows how to find its object for a user (404 for what they may not see), for the command line (any
object), how many steps building it takes (a long one is built by a background job) and how to build it.
`render_document KIND PK OUT.docx`, the admin download and the job all go through `render`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

KINDS = {}
LONG_DOCUMENT_STEPS = 60  # more steps than this: built by a django-q2 job with a progress indication


@dataclass(frozen=True)
class DocumentKind:
    name: str  # notice, agenda, signin, minutes, referral (rotation adds summary, handover)
    label: object  # a lazy translation, e.g. 会议纪要
    get_for_user: Callable  # (user, pk) -> object; raises Http404 for what the user may not see
    get: Callable  # (pk) -> object for the command line; raises the model's DoesNotExist
    build: Callable  # (object, progress) -> OfficialDocument; progress(done, total) may be called per step
    filename: Callable  # (object) -> "2026年第3次联席会议纪要.docx"
    steps: Callable = lambda obj: 1  # roughly how many parts the document has


def register(kind):
    KINDS[kind.name] = kind
    return kind


def get_kind(name):
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(name) from None


def render(kind, obj, progress=None):
    """The .docx bytes of one document, always in Chinese (official documents are issued in Chinese)."""
    with translation.override("zh-hans"):
        return kind.build(obj, progress or (lambda done, total: None)).to_bytes()
