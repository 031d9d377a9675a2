"""Users and their place in the hierarchy (SPEC §1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
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


class ApiTokenQuerySet(ScopedQuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A key a program sends as `Authorization: Bearer <key>` to read the API as `user`.

    Only the SHA-256 of the key is stored: the key is shown once, when it is made (the admin's
    page after saving, or `skm api-token create`), and cannot be read again. The token reads what
    its user may read (the user's `for_user` scope); revoking it, or deactivating the user,
    refuses it from then on.
    """

    PREFIX = "skm_"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("pengguna")
    )
    name = models.CharField(
        _("nama"), max_length=100, help_text=_("untuk apa token ini, mis. 'dasbor Diskominfo'")
    )
    key_hash = models.CharField(_("sidik kunci (SHA-256)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)

    objects = models.Manager.from_queryset(ApiTokenQuerySet)()
    scope = Scope(pemda="user__pemda_id", perangkat_daerah="user__perangkat_daerah_id", unit="user__unit_id")

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = pgettext_lazy("jamak", "token API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """A new token for `user` and its key (the only time the key exists in clear)."""
        key = cls.new_key()
        return cls.objects.create(user=user, name=name, key_hash=cls.digest(key)), key

    @classmethod
    def user_for(cls, key: str) -> User | None:
        """The active user behind an unrevoked `key`, marking the token used; None otherwise."""
        token = cls.objects.active().select_related("user").filter(key_hash=cls.digest(key)).first()
        if token is None:
            return None
        now = timezone.now()
        # At most one write a minute per token: a busy client does not write on every request.
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
