"""The Django admin of publishing: a Pemda's open data licence and its lobby screens (scoped).

An Admin Pemda chooses the licence of the open data package and sets up lobby screens (which units
a Mal Pelayanan Publik's TV shows); the built files are never edited by hand (they are rebuilt
when a period closes and nightly: skm.public.opendata).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skm.accounts.admin_scoping import ScopedAdmin
from skm.accounts.scoping import Action
from skm.public.models import LobbyScreen, OpenData


@admin.register(OpenData)
class OpenDataAdmin(ScopedAdmin):
    list_display = ("pemda", "licence", "built_at")
    readonly_fields = ("built_at",)


class LobbyScreenForm(forms.ModelForm):
    class Meta:
        model = LobbyScreen
        fields = ("pemda", "name", "slug", "units")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        pemda, units = data.get("pemda"), data.get("units")
        if pemda is not None and units is not None and any(u.pemda_id != pemda.pk for u in units):
            raise ValidationError(_("Semua UPP layar lobi harus dari Pemda layar itu."))
        return data


@admin.register(LobbyScreen)
class LobbyScreenAdmin(ScopedAdmin):
    form = LobbyScreenForm
    list_display = ("name", "slug", "pemda", "unit_count")
    search_fields = ("name", "slug")
    filter_horizontal = ("units",)
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=_("jumlah UPP"))
    def unit_count(self, obj: LobbyScreen) -> int:
        return obj.units.count()

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if getattr(related, "scope", None) is not None:
            kwargs["queryset"] = related._default_manager.for_user(request.user, Action.VIEW)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
