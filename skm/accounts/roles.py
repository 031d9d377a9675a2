"""Give a user a role at a place in the hierarchy (the one way roles are assigned)."""

from __future__ import annotations

from typing import Any

from skm.accounts.models import User, fill_place, validate_place
from skm.accounts.scoping import Role

STAFF_ROLES = (Role.ADMIN_PEMDA, Role.ADMIN_PD, Role.ADMIN_UPP)


def sync_staff(user: User) -> None:
    """Admin roles use the admin site; Pimpinan and role-less accounts do not."""
    if not user.is_superuser:
        user.is_staff = user.role in STAFF_ROLES


def assign_role(user: User, role: str, place: Any) -> User:
    """Set `role` at `place` (a Pemda, Perangkat Daerah or Unit), derive the rest, validate, save."""
    from skm.organisation.models import Pemda, PerangkatDaerah, Unit

    user.role = role
    user.pemda = user.perangkat_daerah = user.unit = None
    if isinstance(place, Unit):
        user.unit = place
    elif isinstance(place, PerangkatDaerah):
        user.perangkat_daerah = place
    elif isinstance(place, Pemda):
        user.pemda = place
    else:
        raise TypeError("place must be a Pemda, PerangkatDaerah or Unit")
    fill_place(user)
    validate_place(user)
    sync_staff(user)
    user.save()
    return user


def create_user(username: str, password: str | None, role: str, place: Any, **fields: Any) -> User:
    user = User(username=username, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return assign_role(user, role, place)
