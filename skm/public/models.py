"""What a Pemda publishes (SPEC §6 "Public portal and open data", "Lobby screen"): the licence
and the built files of its open data package, and its lobby screens (a Mal Pelayanan Publik's TV
showing a chosen group of units). The portal pages themselves read the results; nothing here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from skm.accounts.scoping import Scope, ScopedManager


class Licence(models.TextChoices):
    CC_BY_4 = "CC-BY-4.0", _("Creative Commons Atribusi 4.0 (CC-BY-4.0)")
    CC_BY_SA_4 = "CC-BY-SA-4.0", _("Creative Commons Atribusi-BerbagiSerupa 4.0 (CC-BY-SA-4.0)")
    CC0 = "CC0-1.0", _("Creative Commons Zero 1.0, domain publik (CC0-1.0)")
    ODBL = "ODbL-1.0", _("Open Database License 1.0 (ODbL-1.0)")


class OpenData(models.Model):
    """A Pemda's open data package: its licence and when its files were last built."""

    pemda = models.OneToOneField(
        "organisation.Pemda",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="open_data",
        verbose_name=_("Pemda"),
    )
    licence = models.CharField(_("lisensi"), max_length=20, choices=Licence.choices, default=Licence.CC_BY_4)
    built_at = models.DateTimeField(_("dibangun pada"), null=True, blank=True, editable=False)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id")

    class Meta:
        verbose_name = _("data terbuka")
        verbose_name_plural = _("data terbuka")

    def __str__(self) -> str:
        return f"Data terbuka {self.pemda_id}"


class OpenDataFile(models.Model):
    """One built file of a Pemda's package (datapackage.json, a CSV, its JSON twin), served as
    stored: requests never compute it."""

    pemda = models.ForeignKey(
        "organisation.Pemda",
        on_delete=models.CASCADE,
        related_name="open_data_files",
        verbose_name=_("Pemda"),
    )
    name = models.CharField(_("nama berkas"), max_length=100)
    media_type = models.CharField(_("jenis isi"), max_length=100)
    body = models.BinaryField(_("isi"))
    sha256 = models.CharField(_("sidik SHA-256"), max_length=64)
    built_at = models.DateTimeField(_("dibangun pada"))

    class Meta:
        verbose_name = _("berkas data terbuka")
        verbose_name_plural = _("berkas data terbuka")
        constraints = [models.UniqueConstraint(fields=["pemda", "name"], name="open_data_file_unique_name")]

    def __str__(self) -> str:
        return self.name


class LobbyScreen(models.Model):
    """A lobby screen for a chosen group of units (a Mal Pelayanan Publik): /tv/<pemda>/<slug>/."""

    pemda = models.ForeignKey(
        "organisation.Pemda", on_delete=models.CASCADE, related_name="lobby_screens", verbose_name=_("Pemda")
    )
    slug = models.SlugField(_("kode tautan"), max_length=60)
    name = models.CharField(_("nama"), max_length=200)
    units = models.ManyToManyField("organisation.Unit", related_name="lobby_screens", verbose_name=_("UPP"))
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id")

    class Meta:
        verbose_name = _("layar lobi")
        verbose_name_plural = _("layar lobi")
        constraints = [models.UniqueConstraint(fields=["pemda", "slug"], name="lobby_screen_unique_slug")]

    def __str__(self) -> str:
        return self.name
