from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skm.accounts import audit
from skm.accounts.admin_scoping import ScopedAdmin, ScopedInline, state_of, summary_of
from skm.accounts.scoping import Role
from skm.organisation.models import IkmTarget, Layanan, Pemda, PerangkatDaerah, Period, Unit, UnitType


class TargetFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[int | None] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or "value" not in data:
                continue
            year = data.get("year")
            if year in seen:
                raise ValidationError(form.instance.duplicate_message())
            seen.add(year)


class TargetInline(ScopedInline):
    """IKM targets (skm.organisation.targets): set by the Admin Pemda; other admins read them."""

    model = IkmTarget
    fields = ("year", "value")
    formset = TargetFormSet

    def _sets_targets(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_superuser or getattr(user, "role", "") == Role.ADMIN_PEMDA)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._sets_targets(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._sets_targets(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._sets_targets(request) and super().has_delete_permission(request, obj)


class PemdaTargetInline(TargetInline):
    """The Pemda's own targets; units' targets are on each unit's page."""

    verbose_name = _("target IKM Pemda")
    verbose_name_plural = _("target IKM Pemda")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(unit__isnull=True)


class UnitTargetFormSet(TargetFormSet):
    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)
        form.instance.pemda_id = self.instance.pemda_id  # a unit's target belongs to its Pemda
        return form


class UnitTargetInline(TargetInline):
    fk_name = "unit"
    formset = UnitTargetFormSet


class AuditedTargets:
    """Inline target rows are audited as the admin audits the objects it saves."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not IkmTarget:
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            return
        for obj in formset.save(commit=False):
            stored = IkmTarget.objects.filter(pk=obj.pk).first() if obj.pk else None
            before = state_of(stored) if stored is not None else None
            obj.save()
            audit.record(
                "admin.change" if before else "admin.add",
                obj,
                user=request.user,
                summary=summary_of(obj),
                before=before,
                after=state_of(obj),
            )
        for obj in formset.deleted_objects:
            audit.record(
                "admin.delete", obj, user=request.user, summary=summary_of(obj), before=state_of(obj)
            )
            obj.delete()


@admin.register(Pemda)
class PemdaAdmin(AuditedTargets, ScopedAdmin):
    list_display = ("name", "level", "weight", "display_precision", "aggregation_method", "timezone")
    prepopulated_fields = {"slug": ("name",)}
    add_roles = ()
    delete_roles = ()
    inlines = [PemdaTargetInline]


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
class UnitAdmin(AuditedTargets, ScopedAdmin):
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
    inlines = [LayananInline, UnitTargetInline]
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
