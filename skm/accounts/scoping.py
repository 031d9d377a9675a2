"""One way to scope what a user sees (SPEC §1: every admin sees only what lies under their place).

Every scoped model declares where it sits in the hierarchy with a `Scope` of lookup paths to
the ids of its Pemda, Perangkat Daerah and unit, and uses `ScopedQuerySet` as its manager.
Views, the admin and the API call `.for_user(user, action)`; nothing else filters by user.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from skm.accounts.models import User


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"


class Role(models.TextChoices):
    ADMIN_PEMDA = "admin_pemda", _("Admin Pemda")
    ADMIN_PD = "admin_pd", _("Admin Perangkat Daerah")
    ADMIN_UPP = "admin_upp", _("Admin UPP")
    PIMPINAN = "pimpinan", _("Pimpinan")


@dataclass(frozen=True)
class Scope:
    """Lookup paths from a model to the ids of the places it belongs to (None: not below it)."""

    pemda: str
    perangkat_daerah: str | None = None
    unit: str | None = None


NOTHING = Q(pk__in=[])


def scope_q(user: User | AnonymousUser | None, scope: Scope, action: Action) -> Q | None:
    """The filter that limits a model with `scope` to what `user` may `action`; None = no limit.

    Rules: the platform superuser sees and changes everything; an Admin Pemda everything of
    their Pemda; Pimpinan views their Pemda and changes nothing; an Admin PD / Admin UPP views
    and changes what lies under their Perangkat Daerah / unit, and may view (never change)
    the things above it that describe their work (their Pemda, its periods and instrument).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return None
    role = getattr(user, "role", "")
    pemda_id = getattr(user, "pemda_id", None)
    if not role or pemda_id is None:
        return NOTHING
    same_pemda = Q(**{scope.pemda: pemda_id})
    if role == Role.ADMIN_PEMDA:
        return same_pemda
    if role == Role.PIMPINAN:
        return same_pemda if action == Action.VIEW else NOTHING
    if role == Role.ADMIN_PD:
        pd_id = user.perangkat_daerah_id
        if pd_id is None:
            return NOTHING
        if scope.perangkat_daerah is not None:
            return Q(**{scope.perangkat_daerah: pd_id})
        return same_pemda if action == Action.VIEW else NOTHING
    if role == Role.ADMIN_UPP:
        unit_id = user.unit_id
        if unit_id is None:
            return NOTHING
        if scope.unit is not None:
            return Q(**{scope.unit: unit_id})
        if action == Action.CHANGE:
            return NOTHING
        if scope.perangkat_daerah is not None:
            return Q(**{scope.perangkat_daerah: user.perangkat_daerah_id})
        return same_pemda
    return NOTHING


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: Action | str = Action.VIEW) -> ScopedQuerySet:
        scope: Scope | None = getattr(self.model, "scope", None)
        if scope is None:
            raise TypeError(f"{self.model.__name__} has no `scope`; it cannot be scoped to a user.")
        q = scope_q(user, scope, Action(action))
        return self if q is None else self.filter(q)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
