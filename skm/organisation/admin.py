from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skm.accounts.admin_scoping import ScopedAdmin, ScopedInline
from skm.accounts.scoping import Role
from skm.organisation.models import Layanan, Pemda, PerangkatDaerah, Period, Unit, UnitType


@admin.register(Pemda)
class PemdaAdmin(ScopedAdmin):
    list_display = ("name", "level", "weight", "display_precision", "aggregation_method", "timezone")
    prepopulated_fields = {"slug": ("name",)}
    add_roles = ()
    delete_roles = ()


@admin.register(UnitType)
class UnitTypeAdmin(ScopedAdmin):
    list_display = ("name", "pemda", "position")
    list_filter = (("pemda", admin.RelatedOnlyFieldListFilter),)


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(ScopedAdmin):
    list_display = ("name", "short_name", "pemda", "unit_count")
    list_filter = (("pemda", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "short_name")

    @admin.display(description=_("jumlah UPP"))
    def unit_count(self, obj: PerangkatDaerah) -> int:
        return obj.units.count()


class LayananInline(ScopedInline):
    model = Layanan
    fields = ("name", "slug", "active", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = (
        "name",
        "unit_type",
        "perangkat_daerah",
        "frequency",
        "population",
        "accompanied",
        "active",
    )
    list_filter = (
        ("pemda", admin.RelatedOnlyFieldListFilter),
        ("unit_type", admin.RelatedOnlyFieldListFilter),
        "frequency",
        "accompanied",
        "active",
    )
    list_select_related = ("unit_type", "perangkat_daerah")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [LayananInline]
    add_roles = (Role.ADMIN_PEMDA, Role.ADMIN_PD)
    change_roles = (Role.ADMIN_PEMDA, Role.ADMIN_PD, Role.ADMIN_UPP)


@admin.register(Layanan)
class LayananAdmin(ScopedAdmin):
    list_display = ("name", "unit", "active")
    list_filter = ("active", ("unit__pemda", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("unit",)
    search_fields = ("name", "unit__name")
    add_roles = change_roles = delete_roles = (Role.ADMIN_PEMDA, Role.ADMIN_PD, Role.ADMIN_UPP)


@admin.register(Period)
class PeriodAdmin(ScopedAdmin):
    list_display = ("period", "pemda", "kind", "year", "start", "end", "report_deadline", "closed_at")
    list_filter = (("pemda", admin.RelatedOnlyFieldListFilter), "year", "kind")

    @admin.display(description=_("periode"))
    def period(self, obj: Period) -> str:
        return obj.display_label
