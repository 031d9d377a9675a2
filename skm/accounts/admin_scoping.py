"""The Django admin, scoped: every ModelAdmin of ours derives from ScopedAdmin.

Querysets, foreign-key choices and object permissions all come from the model's `scope`
(skm.accounts.scoping), so the admin shows each user only their part of the hierarchy.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from skm.accounts.access import can, is_admin
from skm.accounts.scoping import Action, Role


def _role(request: HttpRequest) -> str:
    user = request.user
    return "superuser" if user.is_superuser else getattr(user, "role", "")


class ScopedAdmin(admin.ModelAdmin):
    #: roles that may add / change / delete objects of this model (within their scope);
    #: the platform superuser always may.
    add_roles: tuple[str, ...] = (Role.ADMIN_PEMDA,)
    change_roles: tuple[str, ...] = (Role.ADMIN_PEMDA,)
    delete_roles: tuple[str, ...] = (Role.ADMIN_PEMDA,)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).for_user(request.user, Action.VIEW)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not is_admin(request.user):
            return False
        return obj is None or can(request.user, Action.VIEW, obj)

    def _may(self, request: HttpRequest, roles: tuple[str, ...], obj: Any) -> bool:
        if not is_admin(request.user):
            return False
        if not request.user.is_superuser and _role(request) not in roles:
            return False
        return obj is None or can(request.user, Action.CHANGE, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, self.add_roles, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, self.change_roles, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, self.delete_roles, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if getattr(related, "scope", None) is not None:
            kwargs["queryset"] = related._default_manager.for_user(request.user, Action.VIEW)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The admin wraps this in a transaction: an object moved out of the user's reach rolls back.
        if not can(request.user, Action.CHANGE, obj):
            raise PermissionDenied("Objek ini berada di luar wilayah kewenangan Anda.")


class ScopedInline(admin.TabularInline):
    extra = 0

    def _parent_ok(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or can(request.user, Action.CHANGE, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user) and self._parent_ok(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user) and self._parent_ok(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user) and self._parent_ok(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)
