"""Document URLs under /admin/documents/, namespace `xianjie_documents` (registered in wagtail_hooks).

Wagtail's own document library lives under the same prefix (edit/<id>/, delete/<id>/, ...), so the kind in
the path matches only registered kinds and leaves those to it.
"""

import re

from django.urls import path, register_converter

from . import registry
from .views import DownloadView, JobFileView, JobView


class KindConverter:
    """One of the registered kinds; read when the URLconf is first compiled, after every app is ready."""

    @property
    def regex(self):
        return "|".join(re.escape(name) for name in sorted(registry.KINDS)) or "(?!)"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindConverter, "document_kind")

app_name = "xianjie_documents"

urlpatterns = [
    path("job/<int:pk>/", JobView.as_view(), name="job"),
    path("job/<int:pk>/file/", JobFileView.as_view(), name="job_file"),
    path("<document_kind:kind>/<int:pk>/", DownloadView.as_view(), name="download"),
]
