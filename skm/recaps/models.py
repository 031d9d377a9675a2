"""Recaps kept in the workspace: a unit that surveyed elsewhere enters or uploads its figures, and
years of history are imported (SPEC §5 "A unit that ran its survey elsewhere", §8 "Recap checks").

A stored recap is not answers: it keeps the figures as checked (per element of the Pemda's
instrument, on the converted 25–100 scale, and the NRR when given), the check's verdict and
problems, and the explanation the admin gave for each problem. How it enters the results is
:mod:`skm.recaps.stored`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skm.accounts.scoping import Scope, ScopedManager
from skm.organisation.models import Pemda, Period, Unit
from skm.recaps.verdicts import Verdict


class Source(models.TextChoices):
    ENTRY = "entry", _("diisi di ruang kerja")
    UPLOAD = "upload", _("diunggah")
    HISTORY = "history", _("riwayat (impor)")


class StoredRecap(models.Model):
    """One recap row of a unit (or one service of it) for a period, as checked when saved."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="recaps", verbose_name=_("Pemda"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="recaps", verbose_name=_("UPP"))
    period = models.ForeignKey(
        Period,
        on_delete=models.SET_NULL,  # the recap keeps its year and kind (and so its standard range)
        related_name="recaps",
        null=True,
        blank=True,
        verbose_name=_("periode"),
    )
    # History may name a year and a kind of period the Pemda never set up as a Period.
    year = models.PositiveSmallIntegerField(_("tahun"))
    period_kind = models.CharField(_("jenis periode"), max_length=8, choices=Period.Kind.choices)
    period_label = models.CharField(_("periode seperti ditulis"), max_length=80, blank=True)
    service = models.CharField(_("layanan"), max_length=200, blank=True)
    # element → value as text with its written decimals ("88.20"), on the 25–100 scale.
    converted = models.JSONField(_("nilai konversi per unsur"), default=dict, blank=True)
    # element → NRR as written, when the recap gave NRRs (1–4).
    nrr = models.JSONField(_("NRR per unsur"), default=dict, blank=True)
    ikm = models.DecimalField(_("IKM"), max_digits=7, decimal_places=4, null=True, blank=True)
    category = models.CharField(_("kategori seperti tertulis"), max_length=40, blank=True)
    n = models.PositiveIntegerField(_("jumlah responden"), null=True, blank=True)
    metode = models.CharField(_("metode SKM"), max_length=12, blank=True)
    metode_original = models.CharField(_("metode SKM seperti tertulis"), max_length=120, blank=True)
    verdict = models.CharField(_("hasil pemeriksaan"), max_length=16, choices=Verdict.choices)
    # [{"code", "message", "explanation"}]: every problem of the check and the admin's answer to it.
    problems = models.JSONField(_("masalah"), default=list, blank=True)
    notes = models.JSONField(_("catatan pemeriksaan"), default=list, blank=True)
    explanation = models.TextField(_("penjelasan"), blank=True)
    source = models.CharField(_("sumber"), max_length=8, choices=Source.choices)
    priority = models.JSONField(_("unsur prioritas"), default=list, blank=True)
    priority_original = models.CharField(_("unsur prioritas seperti tertulis"), max_length=300, blank=True)
    realisation = models.DecimalField(
        _("realisasi RTL (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diisi oleh"),
    )
    entered_at = models.DateTimeField(_("diisi pada"), auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("rekap tersimpan")
        verbose_name_plural = pgettext_lazy("jamak", "rekap tersimpan")
        ordering = ["pemda", "-year", "unit", "period_kind", "service"]
        indexes = [models.Index(fields=["pemda", "year"], name="recap_pemda_year")]

    def __str__(self) -> str:
        parts = [self.unit.name if self.unit_id else "?", self.period_display]
        if self.service:
            parts.append(self.service)
        return " · ".join(parts)

    @property
    def period_display(self) -> str:
        if self.period_id and self.period is not None:
            return self.period.display_label
        return f"{Period.Kind(self.period_kind).label} {self.year}"

    @property
    def is_history(self) -> bool:
        return self.source == Source.HISTORY

    def converted_values(self) -> dict[str, Fraction]:
        """element → converted value (25–100) as an exact fraction."""
        return {element: Fraction(Decimal(str(value))) for element, value in self.converted.items()}

    def snapshot(self) -> dict[str, Any]:
        """What the audit trail keeps of a saved recap."""
        return {
            "unit": self.unit_id,
            "period": self.period_display,
            "service": self.service,
            "converted": self.converted,
            "ikm": None if self.ikm is None else str(self.ikm),
            "n": self.n,
            "verdict": self.verdict,
            "source": self.source,
            "problems": [p.get("code") for p in self.problems],
        }
