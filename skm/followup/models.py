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
