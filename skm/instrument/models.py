"""The survey instrument of a Pemda, versioned (SPEC §3).

An answer points at the version it was given with; values are keyed by the unsur (element), never
by position, so reordering, relabelling or rewording (a new version) changes no past result.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from skm.accounts.scoping import Scope, ScopedManager
from skm.instrument.defaults import PROFILE_FIELDS
from skm.scoring.elements import ELEMENT_NAMES, ELEMENTS

ELEMENT_CHOICES = [(e, ELEMENT_NAMES[e]) for e in ELEMENTS]
PROFILE_CHOICES = [(key, label) for key, label, _, _ in PROFILE_FIELDS]


class Instrument(models.Model):
    class Kind(models.TextChoices):
        SKM = "skm", "Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017)"
        CUSTOM = "custom", "Instrumen lain (mis. survei persepsi)"

    pemda = models.ForeignKey(
        "organisation.Pemda", on_delete=models.CASCADE, related_name="instruments", verbose_name="Pemda"
    )
    name = models.CharField("nama", max_length=200)
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices, default=Kind.SKM)
    scale_max = models.PositiveSmallIntegerField(
        "skala maksimum", default=4, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id")

    class Meta:
        verbose_name = "instrumen"
        verbose_name_plural = "instrumen"
        constraints = [models.UniqueConstraint(fields=["pemda", "name"], name="instrument_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.pemda})"

    def current_version(self) -> InstrumentVersion | None:
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="versions", verbose_name="instrumen"
    )
    number = models.PositiveIntegerField("versi")
    note = models.CharField("catatan perubahan", max_length=300, blank=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    published_at = models.DateTimeField("diterbitkan", null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(pemda="instrument__pemda_id")

    class Meta:
        verbose_name = "versi instrumen"
        verbose_name_plural = "versi instrumen"
        ordering = ["instrument", "-number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.instrument.name} v{self.number}"

    @property
    def locked(self) -> bool:
        """A version that has answers (or is published) is never edited: make a new version."""
        return self.published_at is not None

    def ikm_questions(self) -> list[Question]:
        return [q for q in self.questions.all() if q.element]


class Question(models.Model):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="questions", verbose_name="versi"
    )
    position = models.PositiveSmallIntegerField("urutan")
    element = models.CharField(
        "unsur",
        max_length=16,
        choices=ELEMENT_CHOICES,
        blank=True,
        help_text="Kosongkan untuk pertanyaan tambahan Pemda (tidak masuk perhitungan IKM).",
    )
    code = models.CharField("kode kolom", max_length=8, help_text="Mis. U1 … U9 sesuai urutan Pemda.")
    name = models.CharField("nama unsur", max_length=120)
    header = models.CharField(
        "judul kolom singkat", max_length=30, help_text="Mis. Prosedur, Waktu, Aduan, Sarpras."
    )
    text = models.TextField("pertanyaan")
    text_en = models.TextField("pertanyaan (English)", blank=True)
    required = models.BooleanField("wajib", default=True)

    objects = ScopedManager()
    scope = Scope(pemda="version__instrument__pemda_id")

    class Meta:
        verbose_name = "pertanyaan"
        verbose_name_plural = "pertanyaan"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="question_unique_position"),
            models.UniqueConstraint(
                fields=["version", "element"], condition=~models.Q(element=""), name="question_unique_element"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def enters_ikm(self) -> bool:
        return bool(self.element)


class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name="pertanyaan"
    )
    value = models.PositiveSmallIntegerField(
        "nilai", validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    label = models.CharField("pilihan", max_length=120)
    label_en = models.CharField("pilihan (English)", max_length=120, blank=True)

    class Meta:
        verbose_name = "pilihan jawaban"
        verbose_name_plural = "pilihan jawaban"
        ordering = ["question", "value"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="option_unique_value")]

    def __str__(self) -> str:
        return f"{self.value}. {self.label}"


class ProfileField(models.Model):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="profile_fields", verbose_name="versi"
    )
    key = models.CharField("data", max_length=16, choices=PROFILE_CHOICES)
    label = models.CharField("label", max_length=80)
    label_en = models.CharField("label (English)", max_length=80, blank=True)
    position = models.PositiveSmallIntegerField("urutan")
    required = models.BooleanField("wajib", default=False)

    objects = ScopedManager()
    scope = Scope(pemda="version__instrument__pemda_id")

    class Meta:
        verbose_name = "data responden"
        verbose_name_plural = "data responden"
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="profilefield_unique_key")]

    def __str__(self) -> str:
        return self.label


class ProfileOption(models.Model):
    """A profile band with its per-Pemda label (the code is fixed: "u56" may print as "+56")."""

    field = models.ForeignKey(
        ProfileField, on_delete=models.CASCADE, related_name="options", verbose_name="data"
    )
    code = models.CharField("kode", max_length=12)
    label = models.CharField("label", max_length=80)
    label_en = models.CharField("label (English)", max_length=80, blank=True)
    position = models.PositiveSmallIntegerField("urutan")

    class Meta:
        verbose_name = "pilihan data responden"
        verbose_name_plural = "pilihan data responden"
        ordering = ["field", "position"]
        constraints = [models.UniqueConstraint(fields=["field", "code"], name="profileoption_unique_code")]

    def __str__(self) -> str:
        return self.label
