"""Pemda → Perangkat Daerah → UPP (unit) → Jenis Layanan, unit types and periods (SPEC §2, §5)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from skm.accounts.scoping import Scope, ScopedManager
from skm.scoring.aggregate import Method
from skm.scoring.weights import Weight

TIMEZONES = [
    ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
    ("Asia/Makassar", "WITA (Asia/Makassar)"),
    ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
]


# Paths under /s/<unit>/ that are pages of their own, so no service may take them as its link code.
RESERVED_SERVICE_SLUGS = frozenset({"terima-kasih", "kirim", "qr", "poster", "sw-js"})


class Frequency(models.TextChoices):
    TAHUNAN = "tahunan", _("Tahunan")
    SEMESTER = "semester", _("Semesteran")
    TRIWULAN = "triwulan", _("Triwulanan")


class Pemda(models.Model):
    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    slug = models.SlugField(_("kode singkat"), max_length=60, unique=True)
    level = models.CharField(_("tingkat"), max_length=12, choices=Level.choices)
    weight = models.CharField(
        _("bobot unsur"),
        max_length=8,
        choices=[
            (Weight.W0111.value, _("0,111 (PermenPAN-RB 14/2017)")),
            (Weight.NINTH.value, _("1/9 (tepat)")),
        ],
        default=Weight.W0111.value,
        help_text=_(
            "Bobot nilai rata-rata tertimbang tiap unsur. Semua angka Pemda ini dihitung dengan bobot ini."
        ),
    )
    display_precision = models.PositiveSmallIntegerField(
        _("jumlah desimal tampilan"),
        default=2,
        validators=[MaxValueValidator(4)],
        help_text=_("Kategori selalu ditentukan dari nilai yang dibulatkan 2 desimal."),
    )
    aggregation_method = models.CharField(
        _("metode agregasi"),
        max_length=24,
        choices=[(m.value, _(m.label)) for m in Method],  # the label is a message id
        default=Method.MEAN_OF_UNITS.value,
    )
    timezone = models.CharField(_("zona waktu"), max_length=40, choices=TIMEZONES, default="Asia/Jakarta")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(pemda="id")

    class Meta:
        verbose_name = _("Pemda")
        verbose_name_plural = pgettext_lazy("jamak", "Pemda")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def weight_enum(self) -> Weight:
        return Weight(self.weight)

    @cached_property
    def period_list(self) -> list[Period]:
        """Every period of the Pemda, read once per instance (one request): the home page's running
        period and reminder panel, and the results pages' period chooser share this one query."""
        return list(Period.objects.filter(pemda=self))

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class UnitType(models.Model):
    """A kind of unit used in recaps ("Perangkat Daerah 33/36, Biro 9/9, UPT 30/42")."""

    pemda = models.ForeignKey(
        Pemda, on_delete=models.CASCADE, related_name="unit_types", verbose_name=_("Pemda")
    )
    name = models.CharField(_("nama"), max_length=60)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id")

    class Meta:
        verbose_name = _("jenis unit")
        verbose_name_plural = pgettext_lazy("jamak", "jenis unit")
        ordering = ["pemda", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["pemda", "name"], name="unittype_unique_name")]

    def __str__(self) -> str:
        return self.name


class PerangkatDaerah(models.Model):
    pemda = models.ForeignKey(
        Pemda, on_delete=models.CASCADE, related_name="perangkat_daerah", verbose_name=_("Pemda")
    )
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    position = models.PositiveIntegerField(_("urutan"), default=0)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="id")

    class Meta:
        verbose_name = _("Perangkat Daerah")
        verbose_name_plural = pgettext_lazy("jamak", "Perangkat Daerah")
        ordering = ["pemda", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["pemda", "name"], name="pd_unique_name")]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit penyelenggara pelayanan publik (UPP): the place that serves and is surveyed."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="units", verbose_name=_("Pemda"))
    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, on_delete=models.RESTRICT, related_name="units", verbose_name=_("Perangkat Daerah")
    )
    name = models.CharField(_("nama UPP"), max_length=200)
    slug = models.SlugField(
        _("kode tautan"),
        max_length=80,
        unique=True,
        help_text=_("Dipakai di tautan survei /s/<kode>/ dan kode QR."),
    )
    unit_type = models.ForeignKey(
        UnitType, on_delete=models.RESTRICT, related_name="units", verbose_name=_("jenis unit")
    )
    frequency = models.CharField(
        _("frekuensi survei"), max_length=10, choices=Frequency.choices, default=Frequency.TAHUNAN
    )
    population = models.PositiveIntegerField(
        _("populasi pengguna layanan"),
        null=True,
        blank=True,
        help_text=_(
            "Jumlah pengguna layanan per tahun; dipakai untuk menilai kecukupan sampel (Krejcie & Morgan)."
        ),
    )
    accompanied = models.BooleanField(
        _("dalam pendampingan"),
        default=False,
        help_text=_("Unit baru yang masih didampingi dalam pelaksanaan SKM."),
    )
    active = models.BooleanField(_("aktif"), default=True)
    position = models.PositiveIntegerField(_("urutan"), default=0)
    network_ranges = models.TextField(
        _("jaringan kantor (CIDR)"),
        blank=True,
        help_text=_(
            "Satu rentang per baris, mis. 103.10.20.0/24. Jawaban dari jaringan unit sendiri ditandai."
        ),
    )

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="perangkat_daerah_id", unit="id")

    class Meta:
        verbose_name = _("UPP")
        verbose_name_plural = pgettext_lazy("jamak", "UPP (unit layanan)")
        ordering = ["pemda", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["pemda", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        out = []
        for line in self.network_ranges.splitlines():
            if line.strip():
                out.append(ipaddress.ip_network(line.strip(), strict=False))
        return out

    def clean(self) -> None:
        errors = {}
        try:
            self.networks()
        except ValueError as exc:
            errors["network_ranges"] = gettext("Rentang jaringan tidak valid: {error}.").format(error=exc)
        if self.perangkat_daerah_id and self.pemda_id and self.perangkat_daerah.pemda_id != self.pemda_id:
            errors["perangkat_daerah"] = gettext("Perangkat Daerah ini milik Pemda lain.")
        if self.unit_type_id and self.pemda_id and self.unit_type.pemda_id != self.pemda_id:
            errors["unit_type"] = gettext("Jenis unit ini milik Pemda lain.")
        if errors:
            raise ValidationError(errors)


class Layanan(models.Model):
    """A service product (jenis layanan) of a unit."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="services", verbose_name=_("UPP"))
    name = models.CharField(_("nama layanan"), max_length=200)
    slug = models.SlugField(_("kode tautan"), max_length=80)
    active = models.BooleanField(_("aktif"), default=True)
    position = models.PositiveIntegerField(_("urutan"), default=0)

    objects = ScopedManager()
    scope = Scope(pemda="unit__pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("jenis layanan")
        verbose_name_plural = pgettext_lazy("jamak", "jenis layanan")
        ordering = ["unit", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="layanan_unique_name"),
            models.UniqueConstraint(fields=["unit", "slug"], name="layanan_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.slug in RESERVED_SERVICE_SLUGS:
            raise ValidationError(
                {
                    "slug": gettext("Kode tautan '{slug}' dipakai sistem; pilih kode lain.").format(
                        slug=self.slug
                    )
                }
            )


class Period(models.Model):
    """A reporting period of a Pemda: its type label and its actual date range (SPEC §5)."""

    class Kind(models.TextChoices):
        TRIWULAN_1 = "tw1", _("Triwulan I")
        TRIWULAN_2 = "tw2", _("Triwulan II")
        TRIWULAN_3 = "tw3", _("Triwulan III")
        TRIWULAN_4 = "tw4", _("Triwulan IV")
        SEMESTER_1 = "s1", _("Semester I")
        SEMESTER_2 = "s2", _("Semester II")
        TAHUNAN = "tahunan", _("Tahunan")
        CUSTOM = "custom", _("Rentang khusus")

    pemda = models.ForeignKey(
        Pemda, on_delete=models.CASCADE, related_name="periods", verbose_name=_("Pemda")
    )
    kind = models.CharField(_("jenis periode"), max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    label = models.CharField(
        _("label"), max_length=80, blank=True, help_text=_("Kosongkan untuk label otomatis.")
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    input_deadline = models.DateField(_("batas input"), null=True, blank=True)
    report_deadline = models.DateField(_("batas pelaporan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True, editable=False)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id")

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = pgettext_lazy("jamak", "periode")
        ordering = ["pemda", "-year", "start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "kind", "year"],
                condition=~models.Q(kind="custom"),
                name="period_unique_kind_year",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        if self.label:
            return self.label
        return f"{self.get_kind_display()} {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": gettext("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
        if self.start and self.year and self.kind != self.Kind.CUSTOM and self.start.year != self.year:
            raise ValidationError(
                {
                    "start": gettext("Periode {kind} {year} harus mulai pada tahun {year}.").format(
                        kind=self.get_kind_display(), year=self.year
                    )
                }
            )

    @classmethod
    def standard_range(cls, kind: str, year: int) -> tuple[dt.date, dt.date]:
        """The calendar range of a standard period kind (the actual range may be edited)."""
        quarters = {
            "tw1": (1, 3),
            "tw2": (4, 6),
            "tw3": (7, 9),
            "tw4": (10, 12),
            "s1": (1, 6),
            "s2": (7, 12),
            "tahunan": (1, 12),
        }
        if kind not in quarters:
            raise ValueError(f"no standard range for {kind}")
        first, last = quarters[kind]
        end_next = dt.date(year + (last == 12), 1 if last == 12 else last + 1, 1)
        return dt.date(year, first, 1), end_next - dt.timedelta(days=1)


class IkmTarget(models.Model):
    """An IKM target of the Pemda (``unit`` empty) or of one unit, for one year or every year
    (``year`` empty) (SPEC §5 "Targets"). Which one applies: skm.organisation.targets."""

    pemda = models.ForeignKey(
        Pemda, on_delete=models.CASCADE, related_name="ikm_targets", verbose_name=_("Pemda")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ikm_targets",
        verbose_name=_("UPP"),
        help_text=_("Kosongkan untuk target IKM Pemda sendiri."),
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(2000, _("Tahun target harus antara 2000 dan 2100.")),
            MaxValueValidator(2100, _("Tahun target harus antara 2000 dan 2100.")),
        ],
        help_text=_("Kosongkan untuk target yang berlaku setiap tahun."),
    )
    value = models.DecimalField(
        _("target IKM"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0"), _("Target IKM harus antara 0 dan 100.")),
            MaxValueValidator(Decimal("100"), _("Target IKM harus antara 0 dan 100.")),
        ],
        help_text=_("IKM unit (skala 25–100) yang hendak dicapai, mis. 85,00."),
    )

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("target IKM")
        verbose_name_plural = pgettext_lazy("jamak", "target IKM")
        ordering = ["pemda_id", "unit_id", "-year"]
        # NULL is never equal to NULL in a unique index, so each of the four shapes gets its own.
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "unit", "year"],
                condition=models.Q(unit__isnull=False, year__isnull=False),
                name="ikmtarget_unique_unit_year",
                violation_error_message=_("Unit ini sudah punya target untuk tahun itu."),
            ),
            models.UniqueConstraint(
                fields=["pemda", "unit"],
                condition=models.Q(unit__isnull=False, year__isnull=True),
                name="ikmtarget_unique_unit_any_year",
                violation_error_message=_("Unit ini sudah punya target untuk setiap tahun."),
            ),
            models.UniqueConstraint(
                fields=["pemda", "year"],
                condition=models.Q(unit__isnull=True, year__isnull=False),
                name="ikmtarget_unique_pemda_year",
                violation_error_message=_("Pemda ini sudah punya target untuk tahun itu."),
            ),
            models.UniqueConstraint(
                fields=["pemda"],
                condition=models.Q(unit__isnull=True, year__isnull=True),
                name="ikmtarget_unique_pemda_any_year",
                violation_error_message=_("Pemda ini sudah punya target untuk setiap tahun."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=100),
                name="ikmtarget_value_0_100",
                violation_error_message=_("Target IKM harus antara 0 dan 100."),
            ),
        ]

    def __str__(self) -> str:
        whose = self.unit.name if self.unit_id and self.unit else str(self.pemda) if self.pemda_id else "?"
        year = str(self.year) if self.year else gettext("setiap tahun")
        return f"{whose} · {year}: {self.value}"

    def clean(self) -> None:
        if self.unit_id and self.pemda_id and self.unit.pemda_id != self.pemda_id:
            raise ValidationError({"unit": gettext("UPP ini milik Pemda lain.")})
        # The unique constraints, checked here too: a form without the pemda field (a unit's
        # inline) skips them, and NULL years would never collide in the database's own check.
        if self.pemda_id:
            same = IkmTarget.objects.filter(pemda_id=self.pemda_id, unit_id=self.unit_id, year=self.year)
            if same.exclude(pk=self.pk).exists():
                raise ValidationError({"year": self.duplicate_message()})

    def duplicate_message(self) -> str:
        if self.unit_id:
            if self.year:
                return gettext("Unit ini sudah punya target untuk tahun {year}.").format(year=self.year)
            return gettext("Unit ini sudah punya target untuk setiap tahun.")
        if self.year:
            return gettext("Pemda ini sudah punya target untuk tahun {year}.").format(year=self.year)
        return gettext("Pemda ini sudah punya target untuk setiap tahun.")
