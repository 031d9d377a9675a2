"""A small Pemda with a closed year, for the report's tests (STYLE: builders, not fixture files).

Two unit types, three Perangkat Daerah; a unit surveying by semester (sub-period rows), a unit
with two services (service sub-rows), answers on paper and online (Metode SKM), a unit that did
not survey and said why, last year's RTL realised at 75 % and this year's plan, and an answer
that arrives after the close (late, never in the report).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from skm.collection.models import Answer, Channel
from skm.followup.models import Rtl, RtlItem
from skm.organisation.models import Pemda, Period, Unit
from skm.periods import reporting
from skm.results import freeze
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

YEAR = 2025


@dataclass
class ReportWorld:
    pemda: Pemda
    period: Period
    previous: Period
    units: dict[str, Unit]
    answers: dict[int, list[tuple[Answer, dict[str, int]]]] = field(default_factory=dict)
    late: list[Answer] = field(default_factory=list)

    def raw(self, unit: Unit, start: dt.date | None = None, end: dt.date | None = None, service=None):
        start = start or self.period.start
        end = end or self.period.end
        return [
            values
            for row, values in self.answers.get(unit.pk, [])
            if start <= row.day <= end and (service is None or row.service_id == service.pk)
        ]


def _values(rng: random.Random, low: int = 2) -> dict[str, int]:
    return {e: rng.randint(low, 4) for e in ELEMENTS}


def report_world(
    *, weight: str = "0.111", method: str = "mean_of_units", seed: int = 7, name: str = "Kota Laporan"
) -> ReportWorld:
    rng = random.Random(seed)
    pemda = make_pemda(name, weight=weight)
    pemda.aggregation_method = method
    pemda.save(update_fields=["aggregation_method"])
    dinkes = make_pd(pemda, "Dinas Kesehatan")
    kecamatan = make_pd(pemda, "Kecamatan Tengah")
    units = {
        "semester": make_unit(dinkes, "Puskesmas Semester", frequency="semester"),
        "services": make_unit(dinkes, "Puskesmas Dua Layanan"),
        "kelurahan": make_unit(kecamatan, 'Kelurahan Satu <&> "Tiga"', unit_type="Kelurahan"),
        "silent": make_unit(kecamatan, "Kelurahan Sepi", unit_type="Kelurahan"),
    }
    previous = Period.objects.create(
        pemda=pemda,
        kind="tahunan",
        year=YEAR - 1,
        start=dt.date(YEAR - 1, 1, 1),
        end=dt.date(YEAR - 1, 12, 31),
    )
    period = Period.objects.create(
        pemda=pemda, kind="tahunan", year=YEAR, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31)
    )
    world = ReportWorld(pemda, period, previous, units)
    services = [make_service(units["services"], "Rawat Jalan"), make_service(units["services"], "Imunisasi")]

    def answer(unit: Unit, day: dt.date, **kwargs) -> None:
        values = _values(rng)
        row = make_answer(unit, dict(values), day=day, **kwargs)
        world.answers.setdefault(unit.pk, []).append((row, values))

    for i in range(7):  # first semester, online
        answer(units["semester"], dt.date(YEAR, 2, 1 + i))
    for i in range(5):  # second semester, on paper
        answer(units["semester"], dt.date(YEAR, 9, 1 + i), channel=Channel.MANUAL)
    for i in range(9):
        answer(units["services"], dt.date(YEAR, 3, 1 + i), service=services[i % 2])
    for i in range(6):
        answer(units["kelurahan"], dt.date(YEAR, 5, 1 + i), channel=Channel.MANUAL)
    answer(units["kelurahan"], dt.date(YEAR - 1, 12, 31))  # last year's: not in this report

    # Last year: closed with an RTL of the Kelurahan realised 100 % and 50 %.
    freeze.close_period(previous)
    plan = Rtl.objects.create(unit=units["kelurahan"], period=previous, suggested=["waktu"], chosen=["waktu"])
    for element, done in (("waktu", 100), ("biaya", 50)):
        RtlItem.objects.create(
            rtl=plan,
            element=element,
            action=f"Perbaiki {element}",
            responsible="Lurah",
            target_date=dt.date(YEAR, 6, 30),
            realisation=done,
            narrative=f"{element} selesai {done} %",
        )
    reporting.give_reason(units["silent"], period, "kurangnya SDM", user=None)
    reporting.submit(units["kelurahan"], period, user=None)
    freeze.close_period(period)
    period.refresh_from_db()
    # This year's plan of the Puskesmas with two services: its own choice of priority.
    mine = Rtl.objects.create(
        unit=units["services"], period=period, suggested=["waktu"], chosen=["biaya", "sarana"]
    )
    RtlItem.objects.create(
        rtl=mine,
        element="biaya",
        action="Pasang papan tarif",
        responsible="Kepala",
        target_date=dt.date(YEAR + 1, 3, 1),
    )
    late = make_answer(units["kelurahan"], dict(_values(rng)), day=dt.date(YEAR, 11, 30))
    world.late.append(late)
    return world
