"""A Pemda's report settings: its template (one of the two default shapes, or its own DOCX), its
text blocks, and who signs (SPEC §6). The signing certificate is never here: skm.reports.signing
reads it from the environment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Shape(models.TextChoices):
    EMPAT_BAB = "empat_bab", _("Empat bab (BAB II rinci, tabel hasil di BAB III, lampiran SK Tim)")
    TIGA_BAB = "tiga_bab", _("Tiga bab (tabel hasil di Lampiran II, tanda tangan elektronik)")


class ReportSettings(models.Model):
    pemda = models.OneToOneField(
        "organisation.Pemda",
        on_delete=models.CASCADE,
        related_name="report_settings",
        verbose_name=_("Pemda"),
    )
    shape = models.CharField(
        _("bentuk laporan"), max_length=12, choices=Shape.choices, default=Shape.EMPAT_BAB
    )
    template = models.BinaryField(_("templat DOCX sendiri"), null=True, blank=True, editable=False)
    template_name = models.CharField(_("nama berkas templat"), max_length=200, blank=True)
    template_uploaded_at = models.DateTimeField(_("templat diunggah pada"), null=True, blank=True)
    template_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("templat diunggah oleh"),
    )
    texts = models.JSONField(_("teks laporan"), default=dict, blank=True)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=120, default="Sekretaris Daerah")
    signer_name = models.CharField(_("nama penanda tangan"), max_length=120, blank=True)
    signer_rank = models.CharField(_("pangkat/golongan"), max_length=120, blank=True)
    signer_nip = models.CharField(_("NIP"), max_length=30, blank=True)
    place = models.CharField(_("tempat penandatanganan"), max_length=80, blank=True)
    electronic = models.BooleanField(_("ditandatangani secara elektronik"), default=False)

    class Meta:
        verbose_name = _("pengaturan laporan")
        verbose_name_plural = _("pengaturan laporan")

    def __str__(self) -> str:
        return str(self.pemda)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ReportRun(models.Model):
    """One "Buat laporan": which period, version and formats, its progress and its outcome.

    Made by a background task (skm.reports.tasks, run by `skm worker`); the files are kept with it.
    """

    pemda = models.ForeignKey(
        "organisation.Pemda", on_delete=models.CASCADE, related_name="report_runs", verbose_name=_("Pemda")
    )
    period = models.ForeignKey(
        "organisation.Period", on_delete=models.CASCADE, related_name="report_runs", verbose_name=_("periode")
    )
    perangkat_daerah = models.ForeignKey(
        "organisation.PerangkatDaerah",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("Perangkat Daerah"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("UPP"),
        help_text=_("Laporan SKM satu unit (kosong: laporan Pemda atau Perangkat Daerah)."),
    )
    version = models.PositiveIntegerField(_("versi snapshot"), null=True, blank=True)
    formats = models.JSONField(_("format"), default=list)
    conclusion = models.JSONField(_("kesimpulan (disunting)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    step = models.CharField(_("langkah"), max_length=60, blank=True)
    error = models.TextField(_("galat"), blank=True)
    signed = models.BooleanField(_("PDF ditandatangani"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pembuatan laporan")
        verbose_name_plural = _("pembuatan laporan")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} v{self.version or '-'}"


class ReportFile(models.Model):
    run = models.ForeignKey(
        ReportRun, on_delete=models.CASCADE, related_name="files", verbose_name=_("laporan")
    )
    format = models.CharField(_("format"), max_length=8)
    name = models.CharField(_("nama berkas"), max_length=200)
    data = models.BinaryField(_("isi"))
    size = models.PositiveIntegerField(_("ukuran (bita)"), default=0)

    class Meta:
        verbose_name = _("berkas laporan")
        verbose_name_plural = _("berkas laporan")
        constraints = [models.UniqueConstraint(fields=["run", "format"], name="report_file_unique_format")]

    def __str__(self) -> str:
        return self.name
