"""Demo lobby screen (called from skm.demo): a "Mal Pelayanan Publik" of the first demo Pemda with
a handful of its front-office units, and replies published to some of their latest suggestions
(and to a few more of the Pemda's), so /tv/<pemda>/ and /tv/<pemda>/mal-pelayanan-publik/ show them."""

from __future__ import annotations

from django.db.models import QuerySet

from skm.collection.models import Answer
from skm.followup.models import SuggestionFollowUp
from skm.followup.replies import follow_up
from skm.organisation.models import Pemda, Unit
from skm.public.models import LobbyScreen

SLUG = "mal-pelayanan-publik"
# The counters a Mal Pelayanan Publik usually holds; the first units stand in for missing ones.
MPP_UNITS = (
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Badan Pengelola Keuangan, Pendapatan dan Aset Daerah",
    "Dinas Perhubungan",
    "Dinas Koperasi, Usaha Mikro dan Tenaga Kerja",
    "Kecamatan Banjarmasin Tengah",
)
PER_UNIT = 2  # replies published per screen unit
ELSEWHERE = 4  # and to the Pemda's newest suggestions elsewhere
# A reply by what the suggestion speaks about (skm.demo.SUGGESTIONS), else a general one.
REPLIES = (
    (
        "antri",
        "Sejak bulan ini nomor antrean dapat diambil lewat aplikasi; loket kedua dibuka pada jam sibuk.",
    ),
    ("ruang tunggu", "Ruang tunggu sudah dipasangi dua pendingin udara dan kursi tambahan."),
    ("parkir", "Area parkir belakang kantor kini dibuka untuk pengunjung."),
    (
        "persyaratan",
        "Daftar persyaratan setiap layanan sudah ditempel di depan loket dan dimuat di situs kami.",
    ),
    ("toilet", "Jadwal kebersihan toilet kini tiga kali sehari dan diperiksa petugas jaga."),
    ("kursi roda", "Dua kursi roda tersedia di meja informasi; silakan minta kepada petugas."),
    ("terlambat", "Jam hadir petugas kini dipantau setiap pagi oleh kepala unit."),
    ("alur", "Bagan alur pelayanan sudah dipasang di ruang tunggu dan di situs kami."),
    ("prosedur", "Petugas loket sudah diberi arahan ulang untuk menjelaskan prosedur sampai selesai."),
    ("website", "Server aplikasi sudah diganti; mohon laporkan bila masih ada gangguan."),
)
GENERAL = "Terima kasih atas masukan Anda; kami bahas dalam rapat evaluasi bulanan unit."


def _reply_to(suggestion: str) -> str:
    text = suggestion.lower()
    return next((reply for word, reply in REPLIES if word in text), GENERAL)


def _publish(answers: list[Answer]) -> int:
    for i, answer in enumerate(answers):
        status = "selesai" if i % 2 == 0 else "ditindaklanjuti"
        follow_up(answer, status=status, reply=_reply_to(answer.suggestion), published=True, user=None)
    return len(answers)


def _newest(pemda: Pemda, **filters: object) -> QuerySet[Answer]:
    answered = SuggestionFollowUp.objects.values("answer_id")
    return (
        Answer.objects.filter(pemda_id=pemda.pk, excluded=False, **filters)
        .exclude(suggestion="")
        .exclude(pk__in=answered)
        .order_by("-submitted_at", "-pk")
    )


def build(pemda: Pemda) -> LobbyScreen:
    """The Pemda's demo lobby screen and some published replies; returns the screen."""
    units = list(Unit.objects.filter(pemda=pemda, name__in=MPP_UNITS, active=True))
    if len(units) < 3:
        units = list(Unit.objects.filter(pemda=pemda, active=True).order_by("position")[:6])
    screen, _ = LobbyScreen.objects.get_or_create(
        pemda=pemda, slug=SLUG, defaults={"name": "Mal Pelayanan Publik"}
    )
    screen.units.set(units)
    for unit in units:
        _publish(list(_newest(pemda, unit=unit)[:PER_UNIT]))
    _publish(list(_newest(pemda).exclude(unit__in=units)[:ELSEWHERE]))
    return screen
