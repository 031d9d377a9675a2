"""Where a staff user's workspace starts (SPEC §1): the Pemda, their Perangkat Daerah, or their unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from skm.accounts.scoping import Role
from skm.organisation.models import Pemda, PerangkatDaerah, Unit


@dataclass(frozen=True)
class Place:
    """A user's place: always a Pemda, and for PD and unit admins their PD or unit too."""

    pemda: Pemda
    perangkat_daerah: PerangkatDaerah | None = None
    unit: Unit | None = None

    @property
    def level(self) -> str:
        return "unit" if self.unit else "pd" if self.perangkat_daerah else "pemda"

    @property
    def name(self) -> str:
        return (self.unit or self.perangkat_daerah or self.pemda).name


def home_place(request: HttpRequest) -> Place:
    """The place a user starts at; a platform superuser picks a Pemda with ``?pemda=<slug>``.

    Accounts without a role (and so without a place) are refused: there is nothing for them here.
    """
    user: Any = request.user
    if user.is_superuser:
        pemdas = Pemda.objects.order_by("name")
        slug = request.GET.get("pemda", "")
        pemda = pemdas.filter(slug=slug).first() if slug else pemdas.first()
        if pemda is None:
            raise Http404
        return Place(pemda)
    role = getattr(user, "role", "")
    if role in (Role.ADMIN_PEMDA, Role.PIMPINAN) and user.pemda_id:
        return Place(user.pemda)
    if role == Role.ADMIN_PD and user.perangkat_daerah_id:
        return Place(user.pemda, user.perangkat_daerah)
    if role == Role.ADMIN_UPP and user.unit_id:
        unit = user.unit
        return Place(user.pemda, unit.perangkat_daerah, unit)
    raise PermissionDenied
