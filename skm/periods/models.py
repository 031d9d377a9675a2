"""A period's life for each unit: reported, a reason for not surveying, accompanied (SPEC §5).

One `UnitReport` row per unit and period, made the first time anyone acts on it; no row means the
unit has not reported. Whether a unit is accompanied ("dalam pendampingan") is kept beside its
report, so withdrawing a report never loses the Pemda's note. Reminders go by a Pemda's
`ReminderPolicy`; `ReminderSent` is the log that keeps `skm remind` from sending one twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skm.accounts.scoping import Scope, ScopedManager

REASON_LIMIT = 1000
DEFAULT_REMINDER_DAYS = "7,1"
MAX_REMINDER_DAYS = 90


class Status(models.TextChoices):
    """What a unit's line in the compliance recap says (unit_status)."""

    DILAPORKAN = "dilaporkan", _("Dilaporkan")
    ALASAN = "alasan", _("Tidak survei, dengan alasan")
    PENDAMPINGAN = "pendampingan", _("Dalam pendampingan")
    BELUM = "belum", _("Belum melapor")


class Submission(models.TextChoices):
    """What the unit itself submitted (blank: nothing, or withdrawn)."""

    NONE = "", _("Belum ada")
    REPORTED = "dilaporkan", _("Dilaporkan")
    REASON = "alasan", _("Alasan tidak survei")


class UnitReport(models.Model):
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="period_reports", verbose_name=_("UPP")
    )
    period = models.ForeignKey(
        "organisation.Period",
        on_delete=models.CASCADE,
        related_name="unit_reports",
        verbose_name=_("periode"),
    )
    submission = models.CharField(
        _("laporan unit"), max_length=12, choices=Submission.choices, blank=True, default=Submission.NONE
    )
    reason = models.TextField(_("alasan tidak survei"), blank=True, max_length=REASON_LIMIT)
    submitted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dilaporkan oleh"),
    )
    submitted_at = models.DateTimeField(_("dilaporkan pada"), null=True, blank=True)
    accompanied = models.BooleanField(_("dalam pendampingan"), default=False)
    accompanied_note = models.TextField(_("catatan pendampingan"), blank=True, max_length=REASON_LIMIT)
    accompanied_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditandai oleh"),
    )
    accompanied_at = models.DateTimeField(_("ditandai pada"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(pemda="unit__pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("laporan unit per periode")
        verbose_name_plural = _("laporan unit per periode")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="unitreport_unique_unit_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"


def parse_days(text: str) -> list[int]:
    """ "7,1" → [7, 1]: distinct whole days before the deadline, largest first; ValueError otherwise."""
    days = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or not 0 <= int(part) <= MAX_REMINDER_DAYS:
            raise ValueError(part)
        days.add(int(part))
    if not days:
        raise ValueError(text)
    return sorted(days, reverse=True)


class ReminderPolicy(models.Model):
    """When a Pemda's units are reminded: days before the reporting deadline (default 7 and 1)."""

    pemda = models.OneToOneField(
        "organisation.Pemda",
        on_delete=models.CASCADE,
        related_name="reminder_policy",
        verbose_name=_("Pemda"),
    )
    days = models.CharField(
        _("hari sebelum batas pelaporan"),
        max_length=60,
        default=DEFAULT_REMINDER_DAYS,
        help_text=_("Dipisah koma, mis. 7,1: pengingat dikirim 7 hari dan 1 hari sebelum batas pelaporan."),
    )

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id")

    class Meta:
        verbose_name = _("aturan pengingat")
        verbose_name_plural = _("aturan pengingat")

    def __str__(self) -> str:
        return self.days

    def day_list(self) -> list[int]:
        return parse_days(self.days)

    def clean(self) -> None:
        try:
            self.days = ",".join(str(d) for d in parse_days(self.days))
        except ValueError:
            raise ValidationError(
                {
                    "days": gettext("Isi hari sebagai angka 0–{most} dipisah koma, mis. 7,1.").format(
                        most=MAX_REMINDER_DAYS
                    )
                }
            ) from None


class ReminderSent(models.Model):
    """One reminder sent to a unit's admins for a period at one stage (days before the deadline).

    The unique constraint is what makes `skm remind` safe to run every hour and twice at once:
    the row is written in the same transaction as the decision to send.
    """

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("organisation.Period", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("hari sebelum batas"))
    sent_at = models.DateTimeField(_("dikirim pada"), auto_now_add=True)
    recipients = models.TextField(_("penerima"), blank=True)

    objects = ScopedManager()
    scope = Scope(pemda="unit__pemda_id", perangkat_daerah="unit__perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "days_before"], name="remindersent_unique_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · H-{self.days_before}"
