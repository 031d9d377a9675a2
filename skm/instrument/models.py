"""The survey instrument of a Pemda, versioned (SPEC §3).

An answer points at the version it was given with; values are keyed by the unsur (element), never
by position, so reordering, relabelling or rewording (a new version) changes no past result.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skm.accounts.scoping import Scope, ScopedManager
from skm.instrument.defaults import PROFILE_FIELDS, QUESTIONS
from skm.scoring.elements import ELEMENTS

# The regulation's unsur names and the profile's data, translated (their ids are marked in defaults).
_NAMES = {question.element: question.name for question in QUESTIONS}
ELEMENT_CHOICES = [(element, _(_NAMES[element])) for element in ELEMENTS]
PROFILE_CHOICES = [(key, _(label)) for key, label, _options in PROFILE_FIELDS]


class Instrument(models.Model):
    class Kind(models.TextChoices):
        SKM = "skm", _("Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017)")
        CUSTOM = "custom", _("Instrumen lain (mis. survei persepsi)")

    pemda = models.ForeignKey(
        "organisation.Pemda", on_delete=models.CASCADE, related_name="instruments", verbose_name=_("Pemda")
    )
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.SKM)
    scale_max = models.PositiveSmallIntegerField(
        _("skala maksimum"), default=4, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id")

    class Meta:
        verbose_name = _("instrumen")
        verbose_name_plural = pgettext_lazy("jamak", "instrumen")
        constraints = [models.UniqueConstraint(fields=["pemda", "name"], name="instrument_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.pemda})"

    def current_version(self) -> InstrumentVersion | None:
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="versions", verbose_name=_("instrumen")
    )
    number = models.PositiveIntegerField(_("versi"))
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(pemda="instrument__pemda_id")

    class Meta:
        verbose_name = _("versi instrumen")
        verbose_name_plural = pgettext_lazy("jamak", "versi instrumen")
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
        InstrumentVersion, on_delete=models.CASCADE, related_name="questions", verbose_name=_("versi")
    )
    position = models.PositiveSmallIntegerField(_("urutan"))
    element = models.CharField(
        _("unsur"),
        max_length=16,
        choices=ELEMENT_CHOICES,
        blank=True,
        help_text=_("Kosongkan untuk pertanyaan tambahan Pemda (tidak masuk perhitungan IKM)."),
    )
    code = models.CharField(_("kode kolom"), max_length=8, help_text=_("Mis. U1 … U9 sesuai urutan Pemda."))
    name = models.CharField(_("nama unsur"), max_length=120)
    header = models.CharField(
        _("judul kolom singkat"), max_length=30, help_text=_("Mis. Prosedur, Waktu, Aduan, Sarpras.")
    )
    text = models.TextField(_("pertanyaan"))
    text_en = models.TextField(_("pertanyaan (English)"), blank=True)
    required = models.BooleanField(_("wajib"), default=True)

    objects = ScopedManager()
    scope = Scope(pemda="version__instrument__pemda_id")

    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = pgettext_lazy("jamak", "pertanyaan")
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
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("pertanyaan")
    )
    value = models.PositiveSmallIntegerField(
        _("nilai"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    label = models.CharField(_("pilihan"), max_length=120)
    label_en = models.CharField(_("pilihan (English)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("pilihan jawaban")
        verbose_name_plural = pgettext_lazy("jamak", "pilihan jawaban")
        ordering = ["question", "value"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="option_unique_value")]

    def __str__(self) -> str:
        return f"{self.value}. {self.label}"


class ProfileField(models.Model):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="profile_fields", verbose_name=_("versi")
    )
    key = models.CharField(_("data"), max_length=16, choices=PROFILE_CHOICES)
    label = models.CharField(_("label"), max_length=80)
    label_en = models.CharField(_("label (English)"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"))
    required = models.BooleanField(_("wajib"), default=False)

    objects = ScopedManager()
    scope = Scope(pemda="version__instrument__pemda_id")

    class Meta:
        verbose_name = _("data responden")
        verbose_name_plural = pgettext_lazy("jamak", "data responden")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="profilefield_unique_key")]

    def __str__(self) -> str:
        return self.label


class ProfileOption(models.Model):
    """A profile band with its per-Pemda label (the code is fixed: "u56" may print as "+56")."""

    field = models.ForeignKey(
        ProfileField, on_delete=models.CASCADE, related_name="options", verbose_name=_("data")
    )
    code = models.CharField(_("kode"), max_length=12)
    label = models.CharField(_("label"), max_length=80)
    label_en = models.CharField(_("label (English)"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("pilihan data responden")
        verbose_name_plural = pgettext_lazy("jamak", "pilihan data responden")
        ordering = ["field", "position"]
        constraints = [models.UniqueConstraint(fields=["field", "code"], name="profileoption_unique_code")]

    def __str__(self) -> str:
        return self.label
