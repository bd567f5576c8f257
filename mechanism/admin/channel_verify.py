"""Re-verifying help channels: one POST from a list row, or several at once on their own page."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from .. import access
from ..models import HelpChannel
from ..services.channels import verify_channel, verify_channels
from ..services.errors import ActionRefused


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


class VerifyChannelView(View):
    """POST: the channel still works as listed. 404 for a channel the user may not manage."""

    http_method_names = ["post"]
    index_url_name = None

    def post(self, request, pk):
        channel = get_object_or_404(access.managed_channels(request.user).select_related("unit"), pk=pk)
        try:
            verify_channel(channel, by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("“%(channel)s” is marked as verified today.") % {"channel": channel})
        return _back(request, self.index_url_name)


class ChannelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, channel):
        if channel.last_verified_on is None:
            return _("%(channel)s (never verified)") % {"channel": channel}
        return _("%(channel)s (last verified on %(date)s)") % {
            "channel": channel,
            "date": channel.last_verified_on.isoformat(),
        }


class VerifyChannelsForm(forms.Form):
    channels = ChannelChoiceField(
        label=gettext_lazy("Channels you have checked"),
        queryset=HelpChannel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        channels = access.managed_channels(user).current().select_related("unit")
        self.fields["channels"].queryset = channels
        self.fields["channels"].initial = [channel.pk for channel in channels if channel.is_stale()]


class VerifyChannelsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """Verify several channels at once: the stale ones the user keeps come ticked."""

    permission_required = "change"
    template_name = "channels/verify_channels.html"
    page_title = gettext_lazy("Verify help channels")
    header_icon = "tick-inverse"
    index_url_name = None

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": HelpChannel._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request):
        return self.render(VerifyChannelsForm(user=request.user))

    def post(self, request):
        form = VerifyChannelsForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form)
        done = verify_channels(form.cleaned_data["channels"], by=request.user)
        text = ngettext(
            "%(count)d help channel is marked as verified today.",
            "%(count)d help channels are marked as verified today.",
            done,
        )
        messages.success(request, text % {"count": done})
        return redirect(self.index_url_name)

    def render(self, form):
        return self.render_to_response(self.get_context_data(form=form, index_url=reverse(self.index_url_name)))


# Viewsets -----------------------------------------------------------------------------------------
