"""Deployment mistakes as system checks, so `skm check --deploy` reports them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.translation import gettext as _


@register(Tags.security, deploy=True)
def check_public_url(app_configs: Any, **kwargs: Any) -> list[Warning]:
    url = settings.SKM_PUBLIC_URL
    if not url:
        return [
            Warning(
                _(
                    "SKM_PUBLIC_URL kosong: kode QR dan poster akan memuat alamat apa pun yang dipakai saat dicetak."
                ),
                hint=_("Isi dengan alamat publik, mis. https://skm.banjarmasinkota.go.id"),
                id="skm.W001",
            )
        ]
    if not url.startswith("https://"):
        return [Warning(_("SKM_PUBLIC_URL sebaiknya memakai https://."), id="skm.W002")]
    return []


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
        return [
            Warning(
                _(
                    "Cache memori lokal: batas kiriman dan penanda integritas dihitung per proses, bukan bersama; "
                    "perubahan unit dan instrumen baru terlihat di proses lain setelah dimulai ulang."
                ),
                hint=_(
                    "Isi SKM_REDIS_URL (mis. redis://127.0.0.1:6379/0) bila menjalankan lebih dari satu proses."
                ),
                id="skm.W003",
            )
        ]
    return []
