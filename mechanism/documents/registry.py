"""The kinds of document, each registered by the app that owns its object (in its AppConfig.ready).

A kind knows how to find its object for a user (404 for what they may not see), for the command line (any
object), how many steps building it takes (a long one is built by a background job) and how to build it.
`render_document KIND PK OUT.docx`, the admin download and the job all go through `render`, which also calls
the kind's `audit` (the referral letter writes the personal-data access log there).
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
    audit: Callable | None = None  # (object, user or None) after rendering: e.g. log the personal data it holds


def register(kind):
    KINDS[kind.name] = kind
    return kind


def get_kind(name):
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(name) from None


def kinds():
    """The registered kinds, by name."""
    return [KINDS[name] for name in sorted(KINDS)]


def is_long(kind, obj):
    """Whether the document is built by a background job rather than while the browser waits."""
    return kind.steps(obj) > LONG_DOCUMENT_STEPS


def filename(kind, obj):
    with translation.override("zh-hans"):
        return str(kind.filename(obj))


def render(kind, obj, progress=None, user=None):
    """The .docx bytes of one document, always in Chinese (official documents are issued in Chinese).

    `user` is who asked (None from the command line), for the kind's audit.
    """
    with translation.override("zh-hans"):
        data = kind.build(obj, progress or (lambda done, total: None)).to_bytes()
    if kind.audit is not None:
        kind.audit(obj, user)
    return data
