"""What a unit did with a respondent's suggestion (SPEC §8 "Suggestions are answered").

The suggestion and the contact stay on the answer (skm.collection); the follow-up is a row of its
own, made the first time staff act on a suggestion, so the answer path never writes here. No row
means the suggestion is still "baru".
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from skm.accounts.scoping import Scope, ScopedManager


class Status(models.TextChoices):
    BARU = "baru", _("Baru")
    DITINDAKLANJUTI = "ditindaklanjuti", _("Ditindaklanjuti")
    SELESAI = "selesai", _("Selesai")


REPLY_LIMIT = 2000


class SuggestionFollowUp(models.Model):
    """The status of one suggestion, the unit's reply, and whether both may show on the portal."""

    answer = models.OneToOneField(
        "collection.Answer",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="followup",
        verbose_name=_("jawaban"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BARU)
    reply = models.TextField(_("balasan"), blank=True, max_length=REPLY_LIMIT)
    replied_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibalas oleh"),
    )
    replied_at = models.DateTimeField(_("dibalas pada"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    # The portal (a later issue) shows the suggestion with its reply only when this is set.
    published = models.BooleanField(_("terbitkan di portal"), default=False)

    objects = ScopedManager()
    scope = Scope(
        pemda="answer__pemda_id",
        perangkat_daerah="answer__unit__perangkat_daerah_id",
        unit="answer__unit_id",
    )

    class Meta:
        verbose_name = _("tindak lanjut saran")
        verbose_name_plural = _("tindak lanjut saran")

    def __str__(self) -> str:
        return f"Saran #{self.answer_id} ({self.status})"


# --- RTL: rencana tindak lanjut and its realisation (SPEC §8) --------------------------------

RTL_TEXT_LIMIT = 2000


class Rtl(models.Model):
    """A unit's follow-up plan for one closed period: which unsur it will improve, and why.

    ``suggested`` keeps what skm.scoring.priority proposed from the unit's results for exactly the
    period's dates when the plan was made, so a later change of answers never rewrites it;
    ``chosen`` is the admin's choice, and ``reason`` says why whenever the two differ.
    """

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="rtls", verbose_name=_("UPP")
    )
    period = models.ForeignKey(
        "organisation.Period", on_delete=models.RESTRICT, related_name="rtls", verbose_name=_("periode")
    )
    suggested = models.JSONField(_("unsur prioritas usulan"), default=list)
    chosen = models.JSONField(_("unsur prioritas"), default=list)
    reason = models.TextField(_("alasan memilih unsur lain"), blank=True, max_length=RTL_TEXT_LIMIT)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    objects = ScopedManager()
    scope = Scope(pemda="unit__pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("RTL")
        verbose_name_plural = _("RTL")
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="rtl_unique_unit_period")]

    def __str__(self) -> str:
        return f"RTL {self.unit} · {self.period}"

    @property
    def differs(self) -> bool:
        return sorted(self.chosen) != sorted(self.suggested)


class RtlItem(models.Model):
    """One planned action for one priority unsur, and what came of it (a % and a narrative with
    evidence: an uploaded file or a link)."""

    rtl = models.ForeignKey(Rtl, on_delete=models.CASCADE, related_name="items", verbose_name=_("RTL"))
    element = models.CharField(_("unsur"), max_length=32)
    action = models.TextField(_("rencana tindak lanjut"), max_length=RTL_TEXT_LIMIT)
    responsible = models.CharField(_("penanggung jawab"), max_length=200)
    target_date = models.DateField(_("target selesai"))
    realisation = models.PositiveSmallIntegerField(_("realisasi (%)"), null=True, blank=True)
    narrative = models.TextField(_("uraian realisasi"), blank=True, max_length=RTL_TEXT_LIMIT)
    # Stored through Django's default storage under a random name; served only by the scoped view
    # (skm.followup.views_rtl.evidence), never from MEDIA_URL.
    evidence = models.FileField(_("berkas bukti"), blank=True, max_length=200)
    evidence_name = models.CharField(_("nama berkas bukti"), max_length=200, blank=True)
    evidence_type = models.CharField(_("jenis berkas bukti"), max_length=100, blank=True)
    evidence_link = models.URLField(_("tautan bukti"), blank=True, max_length=500)
    realised_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("realisasi diisi oleh"),
    )
    realised_at = models.DateTimeField(_("realisasi diisi pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(
        pemda="rtl__unit__pemda_id",
        perangkat_daerah="rtl__unit__perangkat_daerah_id",
        unit="rtl__unit_id",
    )

    class Meta:
        verbose_name = _("butir RTL")
        verbose_name_plural = _("butir RTL")
        ordering = ["rtl", "target_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(realisation__isnull=True) | models.Q(realisation__lte=100),
                name="rtl_item_realisation_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.element}: {self.action[:60]}"

    @property
    def realised(self) -> int:
        """The item's realisation for the unit's mean: a blank counts as 0 %."""
        return self.realisation or 0
