"""Answers as they arrive (one row per questionnaire) and their daily rollups (SPEC §7, §8).

Values are stored per unsur (element) in columns named by the element, 1–4 or NULL for blank.
Rollups hold per unit × service × day the count and sum per unsur and the profile counts, so
dashboards and reports never scan raw answers.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from skm.accounts.scoping import Scope, ScopedManager
from skm.instrument.defaults import PROFILE_CODES
from skm.scoring.elements import ELEMENTS


def _unsur_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


def _code_choices(key: str) -> list[tuple[str, str]]:
    return [(c, c) for c in PROFILE_CODES[key]]


class Channel(models.TextChoices):
    ONLINE = "online", _("Daring (tautan/QR)")
    KIOSK = "kiosk", _("Kios")
    MANUAL = "manual", _("Kuesioner kertas")
    IMPORT = "import", _("Impor berkas")
    API = "api", "API"


class Answer(models.Model):
    """One questionnaire from one respondent."""

    # No single-column indexes on pemda and unit: answer_pemda_day and answer_unit_day (Meta) lead
    # with them and serve every lookup by either. Each index the answer table carries is written
    # on every one of thousands of inserts a second (issue 9).
    pemda = models.ForeignKey(
        "organisation.Pemda",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Pemda"),
        db_index=False,
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("UPP"),
        db_index=False,
    )
    service = models.ForeignKey(
        "organisation.Layanan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("layanan"),
    )
    instrument_version = models.ForeignKey(
        "instrument.InstrumentVersion",
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("versi instrumen"),
    )
    submitted_at = models.DateTimeField(_("waktu pengisian"))
    day = models.DateField(_("tanggal (waktu setempat)"))
    channel = models.CharField(_("kanal"), max_length=8, choices=Channel.choices)
    idempotency_key = models.CharField(_("kunci pengiriman"), max_length=64)  # unique: see Meta

    persyaratan = _unsur_field()
    prosedur = _unsur_field()
    waktu = _unsur_field()
    biaya = _unsur_field()
    produk = _unsur_field()
    kompetensi = _unsur_field()
    perilaku = _unsur_field()
    sarana = _unsur_field()
    pengaduan = _unsur_field()
    extra = models.JSONField(_("jawaban pertanyaan tambahan"), default=dict, blank=True)

    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=_code_choices("gender"), blank=True)
    age_band = models.CharField(_("usia"), max_length=4, choices=_code_choices("age_band"), blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=4, choices=_code_choices("education"), blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=10, choices=_code_choices("occupation"), blank=True
    )
    suggestion = models.TextField(_("saran/masukan"), blank=True)
    contact = models.CharField(_("kontak (opsional)"), max_length=120, blank=True)

    duration_seconds = models.PositiveIntegerField(_("lama pengisian (detik)"), null=True, blank=True)
    device_hash = models.CharField(_("hash perangkat"), max_length=64, blank=True)
    ip_hash = models.CharField(_("hash IP"), max_length=64, blank=True)
    flags = models.PositiveIntegerField(_("penanda integritas"), default=0)
    excluded = models.BooleanField(_("dikecualikan"), default=False)
    excluded_reason = models.CharField(_("alasan dikecualikan"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diinput oleh"),
        db_index=False,  # answer_entered_by (Meta) indexes only the few typed in by staff
    )
    created_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            # A key names one questionnaire within its unit (skm.collection.keys): two units may
            # both import sheet "lembar-00000001". A constraint rather than unique=True, which on
            # PostgreSQL also builds a (LIKE pattern) index that nothing searches by.
            models.UniqueConstraint(fields=["unit", "idempotency_key"], name="answer_unit_idempotency_key"),
        ]
        indexes = [
            models.Index(fields=["unit", "day"], name="answer_unit_day"),
            models.Index(fields=["pemda", "day"], name="answer_pemda_day"),
            # Answers typed in by staff (paper questionnaires) only: the public's answers, nearly
            # all of them, have no entry here to write. Serves deleting a user (SET NULL).
            models.Index(
                fields=["entered_by"], name="answer_entered_by", condition=models.Q(entered_by__isnull=False)
            ),
            # Answers with a suggestion only (the suggestions inbox and its waiting count): most
            # answers carry none, and they neither write this index nor are read by those pages.
            models.Index(
                fields=["pemda", "-submitted_at"],
                name="answer_with_suggestion",
                condition=~models.Q(suggestion=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Jawaban #{self.pk} {self.unit_id} {self.day}"

    def values(self) -> dict[str, int | None]:
        return {element: getattr(self, element) for element in ELEMENTS}


class RollupSums(models.Model):
    """The tallies a rollup row holds: what its answers add up to (SPEC §7, skm.collection.rollups)."""

    n = models.PositiveIntegerField(default=0)

    cnt_persyaratan = models.PositiveIntegerField(default=0)
    sum_persyaratan = models.PositiveIntegerField(default=0)
    cnt_prosedur = models.PositiveIntegerField(default=0)
    sum_prosedur = models.PositiveIntegerField(default=0)
    cnt_waktu = models.PositiveIntegerField(default=0)
    sum_waktu = models.PositiveIntegerField(default=0)
    cnt_biaya = models.PositiveIntegerField(default=0)
    sum_biaya = models.PositiveIntegerField(default=0)
    cnt_produk = models.PositiveIntegerField(default=0)
    sum_produk = models.PositiveIntegerField(default=0)
    cnt_kompetensi = models.PositiveIntegerField(default=0)
    sum_kompetensi = models.PositiveIntegerField(default=0)
    cnt_perilaku = models.PositiveIntegerField(default=0)
    sum_perilaku = models.PositiveIntegerField(default=0)
    cnt_sarana = models.PositiveIntegerField(default=0)
    sum_sarana = models.PositiveIntegerField(default=0)
    cnt_pengaduan = models.PositiveIntegerField(default=0)
    sum_pengaduan = models.PositiveIntegerField(default=0)

    # Respondents who answered all nine: Σ of their raw totals (9–36) and of its square, for the
    # confidence interval of the IKM (skm.scoring.confidence).
    complete = models.PositiveIntegerField(default=0)
    total_sum = models.PositiveBigIntegerField(default=0)
    total_sumsq = models.PositiveBigIntegerField(default=0)

    gender_L = models.PositiveIntegerField(default=0)
    gender_P = models.PositiveIntegerField(default=0)
    age_band_u18 = models.PositiveIntegerField(default=0)
    age_band_u25 = models.PositiveIntegerField(default=0)
    age_band_u35 = models.PositiveIntegerField(default=0)
    age_band_u45 = models.PositiveIntegerField(default=0)
    age_band_u55 = models.PositiveIntegerField(default=0)
    age_band_u56 = models.PositiveIntegerField(default=0)
    education_sd = models.PositiveIntegerField(default=0)
    education_smp = models.PositiveIntegerField(default=0)
    education_sma = models.PositiveIntegerField(default=0)
    education_d3 = models.PositiveIntegerField(default=0)
    education_s1 = models.PositiveIntegerField(default=0)
    education_s2 = models.PositiveIntegerField(default=0)
    occupation_pns = models.PositiveIntegerField(default=0)
    occupation_tni = models.PositiveIntegerField(default=0)
    occupation_swasta = models.PositiveIntegerField(default=0)
    occupation_wirausaha = models.PositiveIntegerField(default=0)
    occupation_pelajar = models.PositiveIntegerField(default=0)
    occupation_lainnya = models.PositiveIntegerField(default=0)

    # Answers per channel (Channel): the unit-period's Metode SKM follows from them (SPEC §6).
    channel_online = models.PositiveIntegerField(default=0)
    channel_kiosk = models.PositiveIntegerField(default=0)
    channel_manual = models.PositiveIntegerField(default=0)
    channel_import = models.PositiveIntegerField(default=0)
    channel_api = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyRollup(RollupSums):
    """Tallies per unit × service × day × is_excluded, kept equal to the raw answers.

    `service_key` is the service id, or 0 for answers without a service (a plain key rather than
    a nullable foreign key, so that the unique key is usable by INSERT … ON CONFLICT everywhere).
    """

    pemda = models.ForeignKey("organisation.Pemda", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="rollups")
    service_key = models.BigIntegerField(default=0)
    day = models.DateField()
    is_excluded = models.BooleanField(default=False)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("rekap harian")
        verbose_name_plural = _("rekap harian")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "service_key", "day", "is_excluded"], name="rollup_unique_key"
            )
        ]
        indexes = [models.Index(fields=["pemda", "day"], name="rollup_pemda_day")]

    def __str__(self) -> str:
        return f"Rekap {self.unit_id}/{self.service_key} {self.day}"


class MonthlyRollup(RollupSums):
    """The same tallies per unit × service × calendar month × is_excluded (`month` is its first day).

    Written in the same transaction as the daily rows, by the same writers (skm.collection.rollups),
    so that a range of whole months reads a few thousand rows instead of every day's (issue 23).
    """

    pemda = models.ForeignKey("organisation.Pemda", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    service_key = models.BigIntegerField(default=0)
    month = models.DateField()
    is_excluded = models.BooleanField(default=False)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("rekap bulanan")
        verbose_name_plural = _("rekap bulanan")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "service_key", "month", "is_excluded"], name="monthly_rollup_unique_key"
            )
        ]
        indexes = [models.Index(fields=["pemda", "month"], name="monthly_rollup_pemda_month")]

    def __str__(self) -> str:
        return f"Rekap {self.unit_id}/{self.service_key} {self.month:%Y-%m}"


ROLLUP_PROFILE_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (key, code, f"{key}_{code}") for key, codes in PROFILE_CODES.items() for code in codes
)
# (channel code, rollup column) per Channel, like the profile columns.
ROLLUP_CHANNEL_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (code, f"channel_{code}") for code in Channel.values
)
ROLLUP_SUM_COLUMNS: tuple[str, ...] = (
    "n",
    *(f"{p}_{e}" for e in ELEMENTS for p in ("cnt", "sum")),
    "complete",
    "total_sum",
    "total_sumsq",
    *(column for _, _, column in ROLLUP_PROFILE_COLUMNS),
    *(column for _, column in ROLLUP_CHANNEL_COLUMNS),
)


class KioskDevice(models.Model):
    """A tablet a unit admin set up as the unit's kiosk (SPEC §7): the answers it sends carry a
    signed token naming this row, which gives them the kiosk's flood allowance until revoked.

    Issuing, verifying and revoking live in skm.collection.devices; a row is never deleted, so
    the audit trail and the answers' device hash keep pointing at something.
    """

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="kiosk_devices", verbose_name=_("UPP")
    )
    label = models.CharField(_("nama tablet"), max_length=80)
    issued_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dipasang oleh"),
    )
    issued_at = models.DateTimeField(_("dipasang pada"))
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )
    # Written at most once per few minutes per tablet and process (devices.SEEN_EVERY), never
    # once per answer.
    last_seen_at = models.DateTimeField(_("terakhir mengirim"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(pemda="unit__pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("tablet kios")
        verbose_name_plural = _("tablet kios")

    def __str__(self) -> str:
        return self.label

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class PeriodSnapshot(models.Model):
    """The frozen figures of a closed period (SPEC §5 "Closing a period"): one per close, numbered.

    Its FrozenRollup rows are the period's rollup sums at `cut_off`, per unit × service × month ×
    is_excluded (months clipped to the period's dates); every figure of the period (any method,
    level, profile, priority) follows from them through the same scoring code as live figures.
    `figures` is the record a report prints from (skm.results.freeze.figures_of).
    """

    pemda = models.ForeignKey("organisation.Pemda", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        "organisation.Period", on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("periode")
    )
    version = models.PositiveIntegerField(_("versi"))
    cut_off = models.DateTimeField(_("batas waktu data"))
    closed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditutup oleh"),
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    figures = models.JSONField(_("angka"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id")

    class Meta:
        verbose_name = _("snapshot periode")
        verbose_name_plural = _("snapshot periode")
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="period_snapshot_unique_version")
        ]
        indexes = [models.Index(fields=["pemda", "start", "end"], name="period_snapshot_dates")]

    def __str__(self) -> str:
        return f"{self.period_id} v{self.version}"


class FrozenRollup(RollupSums):
    """A closed period's rollup sums per unit × service × month × is_excluded (PeriodSnapshot)."""

    snapshot = models.ForeignKey(PeriodSnapshot, on_delete=models.CASCADE, related_name="rows")
    pemda = models.ForeignKey("organisation.Pemda", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    service_key = models.BigIntegerField(default=0)
    month = models.DateField()
    is_excluded = models.BooleanField(default=False)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("rekap beku")
        verbose_name_plural = _("rekap beku")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "unit", "service_key", "month", "is_excluded"],
                name="frozen_rollup_unique_key",
            )
        ]

    def __str__(self) -> str:
        return f"Beku {self.snapshot_id}: {self.unit_id}/{self.service_key} {self.month:%Y-%m}"
