"""The Django admin, scoped: every ModelAdmin of ours derives from ScopedAdmin.

Querysets, foreign-key choices and object permissions all come from the model's `scope`
(skm.accounts.scoping), so the admin shows each user only their part of the hierarchy.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from skm.accounts import audit
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
        before = _stored_state(obj) if change else None
        super().save_model(request, obj, form, change)
        # The admin wraps this in a transaction: an object moved out of the user's reach rolls back.
        if not can(request.user, Action.CHANGE, obj):
            raise PermissionDenied(_("Objek ini berada di luar wilayah kewenangan Anda."))
        after = state_of(obj)
        if before != after:
            changed = sorted(k for k in after if before is None or before.get(k) != after.get(k))
            audit.record(
                "admin.change" if change else "admin.add",
                obj,
                user=request.user,
                summary=summary_of(obj, changed),
                before=before,
                after=after,
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            "admin.delete",
            obj,
            user=request.user,
            summary=summary_of(obj),
            before=state_of(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit.record(
                "admin.delete",
                obj,
                user=request.user,
                summary=summary_of(obj),
                before=state_of(obj),
            )
        super().delete_queryset(request, queryset)


SECRET_FIELDS = {"password", "key_hash"}  # key_hash: an API token's SHA-256


def summary_of(obj: Any, changed: list[str] | None = None) -> str:
    """The audit line about `obj`, kept in the platform's language whoever's screen made it."""
    with translation.override(settings.LANGUAGE_CODE):
        text = f"{obj._meta.verbose_name} '{obj}'"
    return text + (": " + ", ".join(changed) if changed is not None else "")


def state_of(obj: Any) -> dict[str, Any]:
    """The concrete fields of `obj` as JSON-safe values (secrets left out) for the audit trail."""
    data = {
        f.attname: f.value_from_object(obj)
        for f in obj._meta.concrete_fields
        if f.attname not in SECRET_FIELDS
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _stored_state(obj: Any) -> dict[str, Any] | None:
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return state_of(stored) if stored is not None else None


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
