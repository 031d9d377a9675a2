from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from skm.accounts.admin_scoping import ScopedAdmin
from skm.accounts.models import User, fill_place, validate_place
from skm.accounts.roles import sync_staff


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
        ("Data pribadi", {"fields": ("first_name", "last_name", "email", "phone")}),
        ("Peran dan wilayah kewenangan", {"fields": ("role", "pemda", "perangkat_daerah", "unit")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    superuser_fieldsets = ((("Platform"), {"fields": ("is_superuser",)}),)
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("Peran dan wilayah kewenangan", {"fields": ("role", "pemda", "perangkat_daerah", "unit")}),
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
