"""Demo RTL (called from skm.demo): for the units with the most answers in each closed period of a
Pemda, the suggested priority unsur, two plan items and a realisation that varies from unit to unit
(complete, partial, not started, and one plan whose unsur were changed with a reason)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from skm.collection.models import Answer
from skm.followup import rtl
from skm.organisation.models import Pemda, Period, Unit

UNITS_PER_PERIOD = 4

ACTIONS = {
    "persyaratan": "Memasang daftar persyaratan per layanan di loket dan di situs unit",
    "prosedur": "Menyederhanakan alur layanan dan memasang bagan alur di ruang tunggu",
    "waktu": "Membuka loket kedua pada jam sibuk (08.00–10.00)",
    "biaya": "Mengumumkan tarif resmi dan dasar hukumnya di papan informasi",
    "produk": "Menyusun daftar periksa mutu produk layanan sebelum diserahkan",
    "kompetensi": "Pelatihan teknis petugas layanan bersama dinas induk",
    "perilaku": "Pelatihan pelayanan prima dan survei singkat keramahan petugas",
    "sarana": "Perbaikan ruang tunggu: kursi, kipas angin dan toilet",
    "pengaduan": "Membuka kanal pengaduan WhatsApp dan menjawab setiap aduan dalam 3 hari kerja",
}
FOLLOW_UP = "Evaluasi hasil tindak lanjut pada rapat bulanan unit"
# Realisation of the two items, unit by unit: done, partly done, not started, and mixed.
REALISED = ((100, 100), (80, None), (None, None), (100, 40))


def build(pemda: Pemda) -> int:
    """RTL for a few units of every closed period of `pemda`; returns how many were made."""
    made = 0
    for period in Period.objects.filter(pemda=pemda, closed_at__isnull=False).order_by("start"):
        busiest = (
            Answer.objects.filter(pemda_id=pemda.pk, day__range=(period.start, period.end), excluded=False)
            .values("unit_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "unit_id")[:UNITS_PER_PERIOD]
        )
        units = Unit.objects.in_bulk([row["unit_id"] for row in busiest])
        for i, row in enumerate(busiest):
            unit = units[row["unit_id"]]
            suggested = rtl.suggested_priority(unit, period)
            if not suggested:
                continue
            changed = i == len(REALISED) - 1
            chosen, reason = suggested, ""
            if changed:
                # The last suggested unsur swapped for one the respondents' suggestions speak about.
                other = next(e for e in ("pengaduan", "sarana", "waktu", "persyaratan") if e not in suggested)
                chosen = [*suggested[:-1], other]
                reason = "Banyak saran responden tentang unsur ini walaupun nilainya belum terendah."
            plan = rtl.create(unit, period, chosen=chosen, reason=reason, user=None)
            first, second = REALISED[i % len(REALISED)]
            for element, action, days, percent in (
                (plan.chosen[0], ACTIONS.get(plan.chosen[0], FOLLOW_UP), 60, first),
                (plan.chosen[-1], FOLLOW_UP, 120, second),
            ):
                goal = rtl.Plan(
                    element, action, "Kepala Subbagian Tata Usaha", period.end + dt.timedelta(days=days)
                )
                item = rtl.add_item(plan, goal, user=None)
                if percent is not None:
                    narrative = "Sudah dilaksanakan; dokumentasi di folder bukti unit."
                    link = f"https://example.org/bukti/{unit.slug}/{item.pk}"
                    rtl.change_item(item, goal, rtl.Realisation(percent, narrative, link), user=None)
            made += 1
    return made
