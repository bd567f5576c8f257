"""Wagtail viewsets whose every generic view reads rows through the model's scoped permission policy.

Wagtail does not restrict rows per user by itself: list and export, edit, delete, inspect,
history and usage each fetch their rows on their own, so each is overridden here once.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr

from .. import access
from ..models import Mechanism, MemberUnit, UnitHasHistory


class ScopedIndexView(IndexView):
    list_select_related = ()  # set from the viewset's list_select_related

    def get_base_queryset(self):
        queryset = self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return queryset.select_related(*self.list_select_related) if self.list_select_related else queryset

    def to_row_dict(self, item):
        # list_export names related fields the Django way (parent__code); Wagtail only follows dots
        # and fails on an empty foreign key, so follow the path here and export a blank for it.
        return {field: _follow(item, field) for field in self.list_export}


def _follow(item, path):
    for name in path.split("__"):
        if item is None:
            return None
        item = multigetattr(item, name)
    return item


class ScopedEditView(EditView):
    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")


class ScopedDeleteView(DeleteView):
    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "delete")

    def form_valid(self, form):
        # Asked first, so the helpful refusal shows whether or not Wagtail's reference index knows the row.
        if getattr(self.object, "has_history", None) and self.object.has_history():
            messages.error(self.request, str(UnitHasHistory.for_unit(self.object)))
            return redirect(self.edit_url_name, self.object.pk)
        try:
            return super().form_valid(form)
        except ProtectedError as refusal:
            # Wagtail refuses a protected row itself only if its reference index knows the references
            # (rows written by import_mechanism or seed_demo are not indexed); refuse alike, never a 500.
            raise PermissionDenied from refusal


class ScopedInspectView(InspectView):
    def get_object(self, queryset=None):
        visible = self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return get_object_or_404(visible, pk=self.pk)


class ScopedHistoryView(HistoryView):
    # Supervisors read the history too; it is not only for those who change things.
    any_permission_required = ["add", "change", "delete", "view"]

    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class ScopedUsageView(UsageView):
    # Readers may see where a row is used; only the rows they see are offered.
    permission_required = None
    any_permission_required = ["view", "change"]

    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class ScopedModelViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    add_view_class = CreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None  # plain icontains: the search backends do not tokenize Chinese
    add_to_admin_menu = False
    list_select_related = ()

    def get_index_view_kwargs(self, **kwargs):
        kwargs = super().get_index_view_kwargs(**kwargs)
        if self.list_select_related:
            kwargs["list_select_related"] = self.list_select_related
        return kwargs


def assignable_users(user):
    """Users a secretariat may put into its units: people already in its mechanisms, or in no unit yet."""
    users = get_user_model().objects.filter(is_active=True, is_superuser=False)
    if user.is_superuser:
        return users
    in_mine = access.managed_memberships(user).values("user_id")
    return users.filter(pk__in=in_mine) | users.filter(memberships__isnull=True)


class ScopedAdminForm(WagtailAdminModelForm):
    """Offers in every choice only the mechanisms, units and people the user manages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        limits = {
            Mechanism: access.managed_mechanisms,
            MemberUnit: access.managed_units,
            get_user_model(): assignable_users,
        }
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model in limits:
                field.queryset = limits[queryset.model](user).distinct()
