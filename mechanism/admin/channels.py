"""Back office for what a unit keeps itself: its help channels and its brand charity projects.

The unit's liaisons and the mechanism's secretariat edit them (UnitKeptPermissionPolicy); everyone
else in the mechanism reads. A channel is re-verified from its list row with one POST.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BaseColumn, BooleanColumn, Column, StatusFlagColumn
from wagtail.admin.widgets.button import HeaderButton

from .. import access
from ..channel_hours import describe_days
from ..models import Area, BrandProject, ChannelKind, HelpChannel, Need, ServedGroup, Weekday
from .channel_verify import VerifyChannelsView, VerifyChannelView
from .scoped import ScopedAdminForm, ScopedIndexView, ScopedInspectView, ScopedModelViewSet


def _field_label(name):
    return HelpChannel._meta.get_field(name).verbose_name


def areas_within(area_ids):
    """Areas that are one of `area_ids` or lie inside one (province → city → county)."""
    return Area.objects.filter(Q(pk__in=area_ids) | Q(parent_id__in=area_ids) | Q(parent__parent_id__in=area_ids))


# Forms ------------------------------------------------------------------------------------------


class UnitKeptForm(ScopedAdminForm):
    """The unit is one the user keeps content for: its own unit, or every unit of its mechanism."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "unit" in self.fields:
            self.fields["unit"].queryset = access.channel_units(self.for_user)


class HelpChannelForm(UnitKeptForm):
    # Days, groups and needs are JSON lists on the model; people tick them.
    days = forms.TypedMultipleChoiceField(
        label=_field_label("days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    groups = forms.MultipleChoiceField(
        label=_field_label("groups"), choices=ServedGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.MultipleChoiceField(
        label=_field_label("needs"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "areas" in self.fields:
            mechanism_areas = access.channel_units(self.for_user).values("mechanism__area_id")
            self.fields["areas"].queryset = areas_within(mechanism_areas)

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if unit is not None:
            home = unit.mechanism.area
            outside = [area for area in cleaned.get("areas") or [] if not area.is_within(home)]
            if outside:
                self.add_error(
                    "areas",
                    _("%(areas)s lie outside %(home)s, the area of the unit's mechanism.")
                    % {"areas": "、".join(area.name for area in outside), "home": home.name},
                )
        return cleaned

    def save(self, commit=True):
        # Whoever enters a channel has just checked it.
        if self.instance._state.adding and self.instance.last_verified_on is None:
            self.instance.last_verified_on = timezone.localdate()
            self.instance.last_verified_by = self.for_user
        return super().save(commit=commit)


# The list ---------------------------------------------------------------------------------------


def _visible_units(request):
    return access.visible_units(request.user if request else None)


class HelpChannelFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(label=gettext_lazy("member unit"), queryset=_visible_units)
    kind = django_filters.ChoiceFilter(label=gettext_lazy("kind"), choices=ChannelKind.choices)
    stale = django_filters.BooleanFilter(label=gettext_lazy("stale"), method="filter_stale")
    is_public = django_filters.BooleanFilter(label=gettext_lazy("public"))

    class Meta:
        model = HelpChannel
        fields = []

    def filter_stale(self, queryset, name, value):
        stale = HelpChannel.objects.stale().values("pk")
        return queryset.filter(pk__in=stale) if value else queryset.exclude(pk__in=stale)


class BrandProjectFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(label=gettext_lazy("member unit"), queryset=_visible_units)

    class Meta:
        model = BrandProject
        fields = []


class VerifyColumn(BaseColumn):
    """A one-click POST form per row, shown only on the channels the user may manage."""

    cell_template_name = "channels/verify_cell.html"

    def __init__(self, view, **kwargs):
        super().__init__("verify", label=gettext_lazy("Verify"), **kwargs)
        self.view = view

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["csrf_token"] = get_token(request) if request is not None else ""
        context["url"] = self.view.get_verify_url(instance)
        context["next"] = self.view.index_url_with_filters
        return context


class UnitKeptIndexView(ScopedIndexView):
    """Edit and delete are offered only on the rows the user keeps (one query for the whole page)."""

    list_select_related = ("unit",)

    @cached_property
    def managed_pks(self):
        managed = self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
        return set(managed.values_list("pk", flat=True))

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.pk in self.managed_pks else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if instance.pk in self.managed_pks else None


class HelpChannelIndexView(UnitKeptIndexView):
    verify_url_name = None
    verify_many_url_name = None

    @cached_property
    def columns(self):
        title, *others = super().columns
        title.label = capfirst(HelpChannel._meta.get_field("value").verbose_name)
        return [title, *others, VerifyColumn(self)]

    def get_verify_url(self, instance):
        if instance.pk in self.managed_pks:
            return reverse(self.verify_url_name, args=[instance.pk])
        return None

    @cached_property
    def index_url_with_filters(self):
        query = self.request.GET.copy()
        query.pop("p", None)
        return f"{self.index_url}?{query.urlencode()}" if query else self.index_url

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            buttons.append(
                HeaderButton(_("Verify several"), url=reverse(self.verify_many_url_name), icon_name="tick-inverse")
            )
        return buttons


class HelpChannelInspectView(ScopedInspectView):
    def get_value_display_value(self):
        return self.object.display_value

    def get_days_display_value(self):
        return describe_days(self.object.days) or "-"

    def get_groups_display_value(self):
        return "、".join(self.object.group_labels()) or "-"

    def get_needs_display_value(self):
        return "、".join(self.object.need_labels()) or "-"


# Verification -------------------------------------------------------------------------------------


class HelpChannelViewSet(ScopedModelViewSet):
    menu_name = "help-channels"
    model = HelpChannel
    icon = "mail"
    menu_label = gettext_lazy("Help channels")
    index_view_class = HelpChannelIndexView
    inspect_view_class = HelpChannelInspectView
    list_display = [
        "display_value",
        "unit",
        "kind",
        BooleanColumn("is_public", label=gettext_lazy("public"), sort_key="is_public"),
        Column("last_verified_on", label=gettext_lazy("last verified on"), sort_key="last_verified_on"),
        StatusFlagColumn(
            "stale",
            label=gettext_lazy("stale"),
            accessor=lambda channel: channel.is_stale(),
            true_label=gettext_lazy("Stale"),
        ),
    ]
    filterset_class = HelpChannelFilterSet
    search_fields = ["value", "description", "unit__name", "unit__short_name"]
    list_export = [
        "unit__name",
        "get_kind_display",
        "display_value",
        "description",
        "hours_text",
        "is_public",
        "last_verified_on",
        "is_stale",
    ]
    export_headings = {
        "get_kind_display": gettext_lazy("kind"),
        "display_value": gettext_lazy("number or address"),
        "hours_text": gettext_lazy("service hours"),
        "is_stale": gettext_lazy("stale"),
    }
    export_filename = "help-channels"
    inspect_view_fields = [
        "unit",
        "kind",
        "value",
        "description",
        "open_24_hours",
        "days",
        "opens_at",
        "closes_at",
        "hours_note",
        "areas",
        "groups",
        "needs",
        "is_public",
        "display_order",
        "last_verified_on",
        "last_verified_by",
        "updated_at",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("unit"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("value")]),
            FieldPanel("description"),
            MultiFieldPanel(
                [
                    FieldPanel("open_24_hours"),
                    FieldPanel("days"),
                    FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                    FieldPanel("hours_note"),
                ],
                heading=gettext_lazy("Service hours"),
            ),
            MultiFieldPanel(
                [FieldPanel("areas"), FieldPanel("groups"), FieldPanel("needs")],
                heading=gettext_lazy("Who and what it serves"),
            ),
            FieldRowPanel([FieldPanel("is_public"), FieldPanel("display_order")]),
        ],
        base_form_class=HelpChannelForm,
    )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            verify_url_name=self.get_url_name("verify"), verify_many_url_name=self.get_url_name("verify_many"), **kwargs
        )

    def get_urlpatterns(self):
        index = self.get_url_name("index")
        return [
            *super().get_urlpatterns(),
            path(
                "verify/",
                VerifyChannelsView.as_view(index_url_name=index, permission_policy=self.permission_policy),
                name="verify_many",
            ),
            path("verify/<int:pk>/", VerifyChannelView.as_view(index_url_name=index), name="verify"),
        ]


class BrandProjectViewSet(ScopedModelViewSet):
    menu_name = "brand-projects"
    model = BrandProject
    icon = "pick"
    menu_label = gettext_lazy("Brand charity projects")
    index_view_class = UnitKeptIndexView
    list_display = ["name", "unit", "url", "display_order"]
    filterset_class = BrandProjectFilterSet
    search_fields = ["name", "summary", "unit__name", "unit__short_name"]
    list_export = ["unit__name", "name", "summary", "url", "display_order"]
    export_filename = "brand-projects"
    edit_handler = ObjectList(
        [FieldPanel("unit"), FieldPanel("name"), FieldPanel("summary"), FieldPanel("url"), FieldPanel("display_order")],
        base_form_class=UnitKeptForm,
    )
