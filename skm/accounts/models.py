"""Users and their place in the hierarchy (SPEC §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from skm.accounts.scoping import Role, Scope, ScopedManager, ScopedQuerySet


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """An account. `role` and the place it points to decide what the user sees and changes."""

    Role = Role

    role = models.CharField(_("peran"), max_length=16, choices=Role.choices, blank=True)
    pemda = models.ForeignKey(
        "organisation.Pemda",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("Pemda"),
    )
    perangkat_daerah = models.ForeignKey(
        "organisation.PerangkatDaerah",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("Perangkat Daerah"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("UPP"),
    )
    phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)

    objects = ScopedUserManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="perangkat_daerah_id", unit="unit_id")

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("jamak", "pengguna")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(pemda__isnull=False), name="user_role_needs_pemda"
            )
        ]

    def clean(self) -> None:
        super().clean()
        fill_place(self)
        validate_place(self)


def fill_place(user: User) -> None:
    """Derive the higher places from the lowest one given (a unit fixes its PD and Pemda)."""
    if user.unit_id:
        user.perangkat_daerah_id = user.unit.perangkat_daerah_id
        user.pemda_id = user.unit.pemda_id
    elif user.perangkat_daerah_id:
        user.pemda_id = user.perangkat_daerah.pemda_id


def validate_place(user: User) -> None:
    role = user.role
    errors: dict[str, str] = {}
    if role and not user.pemda_id:
        errors["pemda"] = gettext("Peran ini memerlukan Pemda.")
    if role == Role.ADMIN_PD and not user.perangkat_daerah_id:
        errors["perangkat_daerah"] = gettext("Admin Perangkat Daerah memerlukan Perangkat Daerah.")
    if role == Role.ADMIN_UPP and not user.unit_id:
        errors["unit"] = gettext("Admin UPP memerlukan UPP.")
    if role in (Role.ADMIN_PEMDA, Role.PIMPINAN) and (user.perangkat_daerah_id or user.unit_id):
        errors["role"] = gettext(
            "Admin Pemda dan Pimpinan berlaku untuk seluruh Pemda: kosongkan Perangkat Daerah dan UPP."
        )
    if role == Role.ADMIN_PD and user.unit_id:
        errors["unit"] = gettext("Admin Perangkat Daerah tidak terikat pada satu UPP: kosongkan UPP.")
    if errors:
        raise ValidationError(errors)


class AuditEvent(models.Model):
    """One change an admin made (SPEC §8, issue 6): who, when, what, before and after."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pengguna")
    )
    pemda = models.ForeignKey(
        "organisation.Pemda",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Pemda"),
    )
    perangkat_daerah = models.ForeignKey(
        "organisation.PerangkatDaerah", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("UPP"),
    )
    action = models.CharField(_("tindakan"), max_length=40, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=60)
    object_id = models.CharField(_("id objek"), max_length=40, blank=True)
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)

    objects = ScopedManager()
    scope = Scope(pemda="pemda_id", perangkat_daerah="perangkat_daerah_id", unit="unit_id")

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = pgettext_lazy("jamak", "jejak audit")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
