"""Small builders for tests (STYLE: builder functions, not fixture files)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from skm.accounts.models import User
from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.collection import devices, rollups
from skm.collection.models import Answer, Channel, KioskDevice
from skm.organisation.models import Layanan, Pemda, PerangkatDaerah, Unit, UnitType
from skm.organisation.setup import create_pemda
from skm.scoring.elements import ELEMENTS

_seq = itertools.count(1)


def make_pemda(name: str | None = None, **kwargs: Any) -> Pemda:
    n = next(_seq)
    name = name or f"Kota Uji {n}"
    kwargs.setdefault("slug", f"kota-uji-{n}")
    kwargs.setdefault("level", "kota")
    return create_pemda(name=name, **kwargs)


def make_pd(pemda: Pemda, name: str | None = None) -> PerangkatDaerah:
    return PerangkatDaerah.objects.create(pemda=pemda, name=name or f"Dinas Uji {next(_seq)}")


def make_unit(
    pd: PerangkatDaerah, name: str | None = None, unit_type: str = "Puskesmas", **kwargs: Any
) -> Unit:
    n = next(_seq)
    return Unit.objects.create(
        pemda=pd.pemda,
        perangkat_daerah=pd,
        name=name or f"UPP Uji {n}",
        slug=kwargs.pop("slug", f"upp-uji-{n}"),
        unit_type=UnitType.objects.get(pemda=pd.pemda, name=unit_type),
        **kwargs,
    )


def make_service(unit: Unit, name: str | None = None) -> Layanan:
    n = next(_seq)
    return Layanan.objects.create(unit=unit, name=name or f"Layanan {n}", slug=f"layanan-{n}")


def make_answer(
    unit: Unit,
    values: dict[str, int | None] | list[int | None] | None = None,
    *,
    save_rollup: bool = True,
    **kwargs: Any,
) -> Answer:
    if values is None:
        values = dict.fromkeys(ELEMENTS, 3)
    elif isinstance(values, list):
        values = dict(zip(ELEMENTS, values, strict=True))
    now = kwargs.pop("submitted_at", timezone.now())
    answer = Answer.objects.create(
        pemda_id=unit.pemda_id,
        unit=unit,
        instrument_version=unit.pemda.instruments.get(kind="skm").current_version(),
        submitted_at=now,
        day=kwargs.pop("day", timezone.localtime(now, unit.pemda.tz).date()),
        channel=kwargs.pop("channel", Channel.ONLINE),
        idempotency_key=kwargs.pop("idempotency_key", str(uuid.uuid4())),
        **values,
        **kwargs,
    )
    if save_rollup:
        rollups.apply([answer])
    return answer


@dataclass
class People:
    """The people who matter for scoping (STYLE: tests): two Pemda, one with a Dinas and its units."""

    pemda: Pemda
    dinas: PerangkatDaerah
    other_pd: PerangkatDaerah
    unit: Unit
    sibling_unit: Unit
    other_pd_unit: Unit
    other_pemda: Pemda
    other_pemda_unit: Unit
    superuser: User
    pemda_admin: User
    pd_admin: User
    unit_admin: User
    pimpinan: User
    outsider: User
    no_role: User


def make_people() -> People:
    pemda = make_pemda("Kota Uji")
    dinas = make_pd(pemda, "Dinas Kesehatan")
    other_pd = make_pd(pemda, "Kecamatan Utara")
    unit = make_unit(dinas, "Puskesmas Terminal")
    sibling = make_unit(dinas, "Puskesmas Cempaka")
    other_pd_unit = make_unit(other_pd, "Kelurahan Alalak", unit_type="Kelurahan")
    other_pemda = make_pemda("Kabupaten Lain")
    other_pemda_unit = make_unit(make_pd(other_pemda, "Dinas Lain"), "Puskesmas Lain")
    pw = "uji-rahasia-123"
    superuser = User.objects.create_superuser("operator", "op@example.org", pw)
    return People(
        pemda=pemda,
        dinas=dinas,
        other_pd=other_pd,
        unit=unit,
        sibling_unit=sibling,
        other_pd_unit=other_pd_unit,
        other_pemda=other_pemda,
        other_pemda_unit=other_pemda_unit,
        superuser=superuser,
        pemda_admin=create_user("pemda", pw, Role.ADMIN_PEMDA, pemda),
        pd_admin=create_user("dinkes", pw, Role.ADMIN_PD, dinas),
        unit_admin=create_user("puskesmas", pw, Role.ADMIN_UPP, unit),
        pimpinan=create_user("walikota", pw, Role.PIMPINAN, pemda),
        outsider=create_user("lain", pw, Role.ADMIN_PEMDA, other_pemda),
        no_role=User.objects.create_user("warga", password=pw),
    )


def make_tablet(unit: Unit, label: str = "Loket 1") -> tuple[KioskDevice, str]:
    """A kiosk tablet set up for `unit` (as /kelola/kios/ does) and the token it would keep."""
    return devices.issue(unit, label, None)
