"""Record what admins change, in the same transaction as the change itself."""

from __future__ import annotations

from typing import Any

from skm.accounts.models import AuditEvent


def _places(obj: Any) -> dict[str, Any]:
    """The Pemda, Perangkat Daerah and unit an object lies under, from its declared `scope`."""
    scope = getattr(type(obj), "scope", None)
    if scope is None or obj.pk is None:
        return {"pemda_id": getattr(obj, "pemda_id", None)}
    paths = {"pemda_id": scope.pemda, "perangkat_daerah_id": scope.perangkat_daerah, "unit_id": scope.unit}
    lookups = {key: path for key, path in paths.items() if path}
    row = type(obj)._default_manager.filter(pk=obj.pk).values(*lookups.values()).first() or {}
    return {key: row.get(path) for key, path in lookups.items()}


def record(
    action: str,
    obj: Any,
    *,
    user: Any = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event about `obj` (call it before a deletion, while `obj` still exists)."""
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        summary=summary[:300],
        before=before,
        after=after,
        **_places(obj),
    )
