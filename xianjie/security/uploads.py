"""Uploaded documents: only the formats in WAGTAILDOCS_EXTENSIONS (Wagtail checks those) and a size limit."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm


def check_document_size(upload):
    limit = settings.XIANJIE_MAX_DOCUMENT_SIZE
    if upload is not None and getattr(upload, "size", 0) > limit:
        raise forms.ValidationError(
            _("This file is too big (%(size)s). The largest document accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


class LimitedDocumentForm(BaseDocumentForm):
    """WAGTAILDOCS_DOCUMENT_FORM_BASE: Wagtail's document form with XIANJIE_MAX_DOCUMENT_SIZE enforced."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if "file" in self.changed_data:
            check_document_size(upload)
        return upload

    def _post_clean(self):
        # The model's own check then sees no file and adds "extension “” not allowed": only the size is news.
        super()._post_clean()
        errors = self._errors.get("file") if self._errors else None
        if errors and any(error.code == "file_too_large" for error in errors.as_data()):
            self._errors["file"] = self.error_class(
                [error for error in errors.as_data() if error.code == "file_too_large"], renderer=self.renderer
            )
