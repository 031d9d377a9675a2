"""`skm demo`: two real Pemda with their real unit lists and a year of synthetic answers.

Kota Banjarmasin (156 units of seed 001, weight 0.111, the regulation's unsur order) and
Kabupaten Banjar (100 units of seed 003, weight 1/9, pengaduan before sarana, the short column
headers of its report). Answers are synthetic but plausible: each unit has its own quality and
volume (a few units get almost none), a realistic demographic mix, office-hour timestamps on
working days, a channel mix per unit and Indonesian suggestions. Deterministic under `seed`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from skm.accounts.models import User
from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.collection import bulk, rollups
from skm.collection.models import Answer, Channel, DailyRollup, MonthlyRollup
from skm.followup import demo as followup_demo
from skm.instrument.defaults import PROFILE_CODES
from skm.organisation.demo_targets import add_demo_targets
from skm.organisation.importing import import_units
from skm.organisation.models import Pemda, Period, Unit
from skm.organisation.setup import create_pemda
from skm.periods.demo import mark_reports
from skm.public import demo_tv, opendata
from skm.recaps.demo import add_recaps
from skm.reports import demo as reports_demo
from skm.results import freeze
from skm.scoring.elements import ELEMENTS, ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.scoring.rounding import format_id

DATA_DIR = Path(__file__).resolve().parent / "organisation" / "data"


@dataclass(frozen=True)
class DemoPemda:
    name: str
    slug: str
    level: str
    weight: str
    data_file: str
    order: tuple[str, ...] = ELEMENTS
    headers: dict[str, str] = field(default_factory=dict)
    profile_labels: dict[str, str] = field(default_factory=dict)


DEMO_PEMDA = (
    DemoPemda("Kota Banjarmasin", "kota-banjarmasin", "kota", "0.111", "kota-banjarmasin.csv"),
    DemoPemda(
        "Kabupaten Banjar",
        "kabupaten-banjar",
        "kabupaten",
        "1/9",
        "kabupaten-banjar.csv",
        order=ELEMENTS_PENGADUAN_BEFORE_SARANA,
        headers={"prosedur": "Prosedur", "waktu": "Waktu", "pengaduan": "Aduan", "sarana": "Sarpras"},
    ),
)

SUGGESTIONS = (
    "Pelayanan sudah baik, pertahankan.",
    "Petugas ramah dan cepat, terima kasih.",
    "Mohon ruang tunggu diberi kipas angin atau AC, sangat panas di siang hari.",
    "Antrian terlalu lama, sebaiknya ada nomor antrian online.",
    "Tempat parkir sempit, mohon diperluas.",
    "Informasi persyaratan {layanan} sebaiknya ditempel di depan loket.",
    "Jam pelayanan sering molor, petugas datang terlambat.",
    "Toilet kurang bersih.",
    "Sudah bagus, semoga makin baik ke depannya.",
    "Mohon disediakan kursi roda untuk lansia dan disabilitas.",
    "Proses {layanan} cepat selesai, mantap!",
    "Petugas kurang menjelaskan prosedur, saya harus bolak-balik dua kali.",
    "Perlu papan informasi alur pelayanan yang jelas.",
    "Kotak saran tidak pernah dibuka kelihatannya.",
    "Website/aplikasi sering tidak bisa diakses.",
    "Pelayanan gratis dan tidak ada pungli, terima kasih.",
    "Mohon tambah petugas di loket pada hari Senin.",
    "Ruang pelayanan bersih dan nyaman.",
    "Sebaiknya ada layanan antar dokumen bagi warga yang jauh.",
    "Nomor WhatsApp pengaduan tidak dibalas.",
    "Petugas sangat membantu orang tua saya yang sudah sepuh.",
    "Persyaratan terlalu banyak fotokopi, mohon disederhanakan.",
    "Air minum untuk pengunjung habis.",
    "Mushola perlu dibersihkan.",
    "Hasil {layanan} ada salah ketik nama, harus diperbaiki lagi.",
    "Mantap, tidak sampai 30 menit selesai.",
    "Tolong sediakan tempat bermain anak di ruang tunggu.",
    "Sinyal wifi untuk pengunjung lemah.",
    "Pelayanan di luar jam kerja sangat membantu pekerja seperti saya.",
    "Satpam ramah dan membantu mengarahkan.",
    "Mohon informasi biaya dipasang agar jelas mana yang gratis.",
    "Saya puas, tetapi AC di ruang tunggu rusak.",
    "Perlu jalur khusus untuk ibu hamil dan lansia.",
    "Saran: SMS pemberitahuan jika dokumen sudah jadi.",
    "Petugas loket 2 kurang senyum.",
    "Formulir sulit dipahami, tolong ada contoh pengisian.",
    "Lampu di lorong mati.",
    "Semoga pelayanan seperti ini dipertahankan, luar biasa.",
    "Jadwal pelayanan di papan pengumuman tidak sesuai kenyataan.",
    "Banjir di halaman kalau hujan, mohon diperbaiki saluran airnya.",
)

AGE_WEIGHTS = (4, 18, 27, 24, 17, 10)
EDUCATION_WEIGHTS = (10, 14, 38, 12, 22, 4)
OCCUPATION_WEIGHTS = (18, 3, 22, 26, 12, 19)


@dataclass
class DemoReport:
    pemda: int = 0
    units: int = 0
    services: int = 0
    answers: int = 0
    rollup_rows: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    users: list[str] = field(default_factory=list)


def _service_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Monday to Saturday (many Puskesmas, RS and the MPP serve on Saturday)."""
    days = []
    day = start
    while day <= end:
        if day.weekday() < 6:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _create_periods(pemda: Pemda, year: int) -> None:
    for kind in ("tahunan", "s1", "s2", "tw1", "tw2", "tw3", "tw4"):
        start, end = Period.standard_range(kind, year)
        Period.objects.create(
            pemda=pemda,
            kind=kind,
            year=year,
            start=start,
            end=end,
            input_deadline=end + dt.timedelta(days=10),
            report_deadline=end + dt.timedelta(days=20),
        )


def _device_hash(token: str) -> str:
    return hashlib.sha256(f"demo-device:{token}".encode()).hexdigest()


class _UnitProfile:
    """The synthetic character of one unit: quality per unsur, volume, channels."""

    def __init__(self, rng: random.Random, unit: Unit) -> None:
        base = min(3.85, max(2.35, rng.gauss(3.3, 0.22)))
        self.means = {e: base + rng.gauss(0, 0.12) for e in ELEMENTS}
        self.means["biaya"] = min(3.95, self.means["biaya"] + 0.35)  # most public services are free
        self.means["pengaduan"] -= 0.12
        self.means["sarana"] -= 0.05
        self.spread = rng.uniform(0.45, 0.75)
        self.weight = rng.lognormvariate(0, 0.7) * (1 + math.log10(max(unit.population or 100, 10)) / 3)
        style = rng.random()
        if style < 0.2:
            self.channels, self.channel_weights = (Channel.MANUAL,), (1,)
        elif style < 0.4:
            self.channels, self.channel_weights = (Channel.ONLINE,), (1,)
        else:
            self.channels = (Channel.ONLINE, Channel.KIOSK, Channel.MANUAL)
            self.channel_weights = (5, 2, 3)
        self.kiosk = _device_hash(f"kiosk-{unit.pk}")


def _answers_for_pemda(
    rng: random.Random,
    pemda: Pemda,
    total: int,
    days: list[dt.date],
    progress: Callable[[int], None],
    timings: dict[str, float],
) -> int:
    started = time.perf_counter()
    units = list(Unit.objects.filter(pemda=pemda).prefetch_related("services").order_by("position"))
    version = pemda.instruments.get(kind="skm").current_version()
    profiles = {u.pk: _UnitProfile(rng, u) for u in units}
    # A few units get almost nothing: the ones published reports rank "Sangat Baik" on two answers.
    scarce = sorted(rng.sample([u.pk for u in units], k=max(2, len(units) // 25)))
    counts = {pk: min(i % 4, total) for i, pk in enumerate(scarce)}  # 0, 1, 2, 3 answers
    rest = total - sum(counts.values())
    busy = [u for u in units if u.pk not in counts]
    weights = [profiles[u.pk].weight for u in busy]
    scale = sum(weights)
    shares = [rest * w / scale for w in weights]
    for unit, share in zip(busy, shares, strict=True):
        counts[unit.pk] = int(share)
    # Largest remainder, so that the total is exactly what was asked for.
    by_fraction = sorted(zip(busy, shares, strict=True), key=lambda us: us[1] - int(us[1]), reverse=True)
    for unit, _ in by_fraction[: rest - sum(counts[u.pk] for u in busy)]:
        counts[unit.pk] += 1
    tz = pemda.tz
    genders, ages, educations, occupations = (
        PROFILE_CODES[k] for k in ("gender", "age_band", "education", "occupation")
    )
    rows: list[dict[str, object]] = []
    for unit in units:
        profile = profiles[unit.pk]
        services = list(unit.services.all()) or [None]
        for _ in range(counts[unit.pk]):
            service = rng.choice(services)
            day = rng.choice(days)
            seconds = rng.randint(8 * 3600, 15 * 3600 + 1800)
            local = dt.datetime.combine(day, dt.time(0), tzinfo=tz) + dt.timedelta(seconds=seconds)
            channel = rng.choices(profile.channels, profile.channel_weights)[0]
            values = {}
            for element in ELEMENTS:
                if rng.random() < 0.004:
                    values[element] = None
                    continue
                values[element] = min(4, max(1, round(rng.gauss(profile.means[element], profile.spread))))
            age = rng.choices(ages, AGE_WEIGHTS)[0]
            occupation = (
                "pelajar"
                if age in ("u18", "u25") and rng.random() < 0.45
                else rng.choices(occupations, OCCUPATION_WEIGHTS)[0]
            )
            suggestion = ""
            if rng.random() < 0.22:
                suggestion = rng.choice(SUGGESTIONS).format(layanan=service.name if service else "layanan")
            if channel == Channel.MANUAL:
                device, duration = "", None
            elif channel == Channel.KIOSK:
                device, duration = profile.kiosk, int(rng.lognormvariate(4.4, 0.4))
            else:
                device, duration = _device_hash(f"{rng.getrandbits(64)}"), int(rng.lognormvariate(4.7, 0.5))
            rows.append(
                dict(
                    pemda_id=pemda.pk,
                    unit_id=unit.pk,
                    service_id=service.pk if service else None,
                    instrument_version_id=version.pk,
                    submitted_at=local,
                    day=day,
                    channel=channel,
                    idempotency_key=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    gender=rng.choices(genders, (52, 48))[0] if rng.random() > 0.01 else "",
                    age_band=age,
                    education=rng.choices(educations, EDUCATION_WEIGHTS)[0],
                    occupation=occupation,
                    suggestion=suggestion,
                    duration_seconds=duration,
                    device_hash=device,
                    **values,
                )
            )
    generated = time.perf_counter()
    made = bulk.insert_answers(rows)
    timings["generate"] = timings.get("generate", 0.0) + generated - started
    timings["insert"] = timings.get("insert", 0.0) + time.perf_counter() - generated
    progress(made)
    return made


def reset() -> None:
    """Remove the demo Pemda and everything under them."""
    slugs = [d.slug for d in DEMO_PEMDA]
    pemdas = list(Pemda.objects.filter(slug__in=slugs))
    with transaction.atomic():
        Answer.objects.filter(pemda__in=pemdas).delete()
        DailyRollup.objects.filter(pemda__in=pemdas).delete()
        MonthlyRollup.objects.filter(pemda__in=pemdas).delete()
        User.objects.filter(pemda__in=pemdas).delete()
        for pemda in pemdas:
            pemda.delete()


def exists() -> bool:
    return Pemda.objects.filter(slug__in=[d.slug for d in DEMO_PEMDA]).exists()


def set_logins(password: str) -> list[str]:
    """(Re)create the demo accounts with `password`: one per role, so scoping can be tried."""
    names = []
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User(
            username="admin", first_name="Operator", last_name="Platform", is_staff=True, is_superuser=True
        )
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.set_password(password)
    admin.save()
    names.append("admin (" + gettext("operator platform: semua Pemda") + ")")
    for demo in DEMO_PEMDA:
        pemda = Pemda.objects.get(slug=demo.slug)
        short = demo.slug.split("-", 1)[1]
        first_unit = (
            Unit.objects.filter(pemda=pemda, unit_type__name="Puskesmas").order_by("position").first()
        )
        pd = first_unit.perangkat_daerah if first_unit else pemda.perangkat_daerah.first()
        for username, role, place, label in (
            (f"{short}.pemda", Role.ADMIN_PEMDA, pemda, pemda.name),
            (f"{short}.pd", Role.ADMIN_PD, pd, str(pd)),
            (f"{short}.upp", Role.ADMIN_UPP, first_unit, str(first_unit)),
            (f"{short}.pimpinan", Role.PIMPINAN, pemda, pemda.name),
        ):
            user = User.objects.filter(username=username).first()
            if user is None:
                create_user(username, password, role, place)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            names.append(f"{username} ({role.label}: {label})")
    return names


# The share of --responses dated last year: last year's Tahunan is then closed, so the demo shows
# a frozen period (its snapshot, skm.results.freeze) beside the running year.
LAST_YEAR_SHARE = 0.2


def build(
    *,
    responses: int = 50_000,
    seed: int = 2026,
    today: dt.date | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
) -> DemoReport:
    """Create both demo Pemda with `responses` answers in all: most over this year up to `today`,
    LAST_YEAR_SHARE over last year, whose Tahunan period is then closed (frozen)."""
    started = timezone.now()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    report = DemoReport()
    days = _service_days(dt.date(today.year, 1, 1), today)
    last_year = _service_days(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    sizes = {}
    with transaction.atomic():
        for demo in DEMO_PEMDA:
            pemda = create_pemda(
                name=demo.name,
                slug=demo.slug,
                level=demo.level,
                weight=demo.weight,
                timezone="Asia/Makassar",
                order=demo.order,
                headers=demo.headers,
                profile_labels=demo.profile_labels,
            )
            result = import_units(pemda, DATA_DIR / demo.data_file)
            if result.errors:
                raise RuntimeError("demo data has errors: " + "; ".join(map(str, result.errors[:5])))
            _create_periods(pemda, today.year)
            _create_periods(pemda, today.year - 1)
            mark_reports(pemda, today)  # skm/periods: who reported the latest finished period
            add_demo_targets(pemda, today.year)
            sizes[pemda] = result.created_units
            report.pemda += 1
            report.units += result.created_units
            report.services += result.created_services
        total_units = sum(sizes.values())
        allotted = 0
        for i, (pemda, n_units) in enumerate(sizes.items()):
            share = responses - allotted if i == len(sizes) - 1 else responses * n_units // total_units
            allotted += share
            before = int(share * LAST_YEAR_SHARE)
            for count, dates in ((before, last_year), (share - before, days)):
                report.answers += _answers_for_pemda(
                    rng,
                    pemda,
                    count,
                    dates,
                    lambda n, p=pemda: progress(
                        ngettext("{pemda}: {n} jawaban", "{pemda}: {n} jawaban", n).format(
                            pemda=p.name, n=format_id(n, 0)
                        )
                    ),
                    report.timings,
                )
            rolled = time.perf_counter()
            report.rollup_rows += rollups.rebuild(pemda.pk)
            add_recaps(pemda, today, seed)  # one unit reports by recap; two years of history
            report.timings["rollups"] = report.timings.get("rollups", 0.0) + time.perf_counter() - rolled
            closing = time.perf_counter()
            freeze.close_period(
                Period.objects.get(pemda=pemda, kind="tahunan", year=today.year - 1), now=started
            )
            report.timings["close"] = report.timings.get("close", 0.0) + time.perf_counter() - closing
            followup_demo.build(pemda)  # RTL of closed periods, some realised (skm/followup/demo.py)
            reports_demo.build(pemda)  # the report's shape and signatory (skm/reports/demo.py)
        demo_tv.build(next(iter(sizes)))  # the first Pemda's lobby screen (skm/public/demo_tv.py)
        for pemda in sizes:  # after the replies published above: the package at /data/<pemda>/
            opendata.build(pemda)  # (skm/public/opendata.py)
    report.seconds = (timezone.now() - started).total_seconds()
    return report
