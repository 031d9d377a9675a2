from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.accounts import audit
from skm.accounts.admin_scoping import ScopedAdmin
from skm.accounts.models import ApiToken, AuditEvent, User, fill_place, validate_place
from skm.accounts.roles import sync_staff
from skm.lib.spreadsheet import safe_csv_writer


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    list_display = (
        "username",
        "get_full_name",
        "role",
        "pemda",
        "perangkat_daerah",
        "unit",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", ("pemda", admin.RelatedOnlyFieldListFilter))
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Data pribadi"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (
            gettext_lazy("Peran dan wilayah kewenangan"),
            {"fields": ("role", "pemda", "perangkat_daerah", "unit")},
        ),
        (gettext_lazy("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    superuser_fieldsets = ((gettext_lazy("Platform"), {"fields": ("is_superuser",)}),)
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (
            gettext_lazy("Peran dan wilayah kewenangan"),
            {"fields": ("role", "pemda", "perangkat_daerah", "unit")},
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return (*fieldsets, *self.superuser_fieldsets)
        return fieldsets

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        fill_place(obj)
        validate_place(obj)
        sync_staff(obj)
        super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    """The audit trail: read-only, scoped, exportable (SPEC §5, §8; issue 6)."""

    list_display = ("at", "user", "action", "object_type", "object_id", "summary", "unit")
    list_filter = ("action", "object_type", ("user", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "unit")
    search_fields = ("summary", "object_id", "user__username")
    date_hierarchy = "at"
    actions = ["export_csv"]
    add_roles = change_roles = delete_roles = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=gettext_lazy("Ekspor CSV (jejak audit terpilih)"))
    def export_csv(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="jejak-audit.csv"'
        writer = safe_csv_writer(response)
        writer.writerow(
            [
                _("waktu"),
                _("pengguna"),
                _("tindakan"),
                _("objek"),
                "id",
                _("UPP"),
                _("ringkasan"),
                _("sebelum"),
                _("sesudah"),
            ]
        )
        for event in queryset.select_related("user", "unit").order_by("at", "id"):
            writer.writerow(
                (
                    event.at.isoformat(),
                    event.user.username if event.user else "",
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.unit.name if event.unit else "",
                    event.summary,
                    json.dumps(event.before, ensure_ascii=False) if event.before is not None else "",
                    json.dumps(event.after, ensure_ascii=False) if event.after is not None else "",
                )
            )
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    """API tokens: an Admin Pemda makes one for a user of the Pemda and sees its key once.

    The key itself is never stored (only its SHA-256): the page after "Simpan" shows it, and no
    page shows it again. A token is revoked (kept, refused) rather than edited.
    """

    list_display = ("name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("user", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("name", "user__username")
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("user", "name")
        return ("user", "name", "created_at", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("user", "created_at", "last_used_at", "revoked_at")

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if not change:
            key = ApiToken.new_key()
            obj.key_hash = ApiToken.digest(key)
            request._skm_api_key = key  # type: ignore[attr-defined]  # shown once by response_add
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: Any = None
    ) -> HttpResponse:
        key = getattr(request, "_skm_api_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Token API dibuat"),
            "opts": self.model._meta,
            "token": obj,
            "key": key,
        }
        response = TemplateResponse(request, "admin/accounts/apitoken/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=gettext_lazy("Cabut token terpilih"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            audit.record("api_token.revoke", token, user=request.user, summary=str(token))
