"""Record what admins change, in the same transaction as the change itself."""

from __future__ import annotations

from typing import Any

from skm.accounts.models import AuditEvent


def record(
    action: str,
    obj: Any,
    *,
    user: Any = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event about `obj` (any model with pemda/unit attributes where it has them)."""
    unit_id = getattr(obj, "unit_id", None)
    if obj.__class__.__name__ == "Unit":
        unit_id = obj.pk
    pd_id = getattr(obj, "perangkat_daerah_id", None)
    if pd_id is None and unit_id is not None:
        unit = getattr(obj, "unit", None) if obj.__class__.__name__ != "Unit" else obj
        pd_id = getattr(unit, "perangkat_daerah_id", None)
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        pemda_id=getattr(obj, "pemda_id", None),
        perangkat_daerah_id=pd_id,
        unit_id=unit_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        summary=summary[:300],
        before=before,
        after=after,
    )
