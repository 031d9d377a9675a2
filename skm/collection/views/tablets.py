"""Kiosk tablets for unit admins (SPEC §7; issue 21): set a tablet up, see it, revoke it.

/kelola/kios/ lists the units the admin may change, each with its tablets. "Pasang tablet ini",
clicked on the tablet itself, issues a token (skm.collection.devices), logs the admin out of the
tablet (it stays at a public counter), and answers with a page whose script keeps the token
beside the kiosk's queue and opens /k/<unit>/. Only answers carrying that token get the kiosk's
flood allowance; revoking the tablet takes it away within a second.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST, require_safe

from skm.accounts.access import admin_required, get_for_user
from skm.collection import devices
from skm.collection.models import KioskDevice
from skm.lib.dates import format_date
from skm.organisation.models import Unit

# Texts, Indonesian first (a later issue moves all text to Django's translations).
TEXT: dict[str, tuple[str, str]] = {
    "title": ("Tablet kios", "Kiosk tablets"),
    "intro": (
        "Tablet di loket hanya mendapat batas kiriman kios bila dipasang di sini. Buka halaman ini "
        "di tablet itu sendiri, masuk, beri nama tablet, lalu tekan \u201cPasang tablet ini\u201d: "
        "tablet menyimpan tandanya, Anda otomatis keluar dari akun di tablet, dan kios terbuka.",
        "A tablet at the counter gets the kiosk's submission allowance only once it is set up here. "
        "Open this page on the tablet itself, log in, name the tablet, then press \u201cSet up this "
        "tablet\u201d: the tablet keeps its token, you are logged out on it, and the kiosk opens.",
    ),
    "none": ("Tidak ada UPP aktif yang dapat Anda kelola.", "There is no active unit you may manage."),
    "open_kiosk": ("Buka kios", "Open the kiosk"),
    "label": ("Nama tablet", "Tablet name"),
    "label_hint": ("mis. Loket 1", "e.g. Counter 1"),
    "install": ("Pasang tablet ini", "Set up this tablet"),
    "install_hint": (
        "Tekan di tablet yang akan dipasang, bukan di komputer Anda.",
        "Press this on the tablet being set up, not on your own computer.",
    ),
    "tablets_none": ("Belum ada tablet terpasang.", "No tablet set up yet."),
    "tablet": ("Tablet", "Tablet"),
    "issued": ("Dipasang", "Set up"),
    "last_seen": ("Terakhir mengirim", "Last sent"),
    "status": ("Status", "Status"),
    "active": ("aktif", "active"),
    "revoked": ("dicabut {when}", "revoked {when}"),
    "revoke": ("Cabut", "Revoke"),
    "revoked_msg": (
        "Tablet \u201c{label}\u201d dicabut: jawabannya kini dihitung seperti perangkat biasa.",
        "Tablet \u201c{label}\u201d revoked: its answers now count as an ordinary device's.",
    ),
    "already_revoked": (
        "Tablet \u201c{label}\u201d sudah dicabut.",
        "Tablet \u201c{label}\u201d was revoked already.",
    ),
    "by": ("oleh {who}", "by {who}"),
    "installed_title": ("Tablet dipasang", "Tablet set up"),
    "installed_body": (
        "Tablet \u201c{label}\u201d dipasang untuk {unit}. Anda sudah keluar dari akun di tablet ini. "
        "Kios akan terbuka\u2026",
        "Tablet \u201c{label}\u201d is set up for {unit}. You have been logged out on this tablet. "
        "The kiosk is opening\u2026",
    ),
    "installed_open": ("Buka kios sekarang", "Open the kiosk now"),
    "installed_nojs": (
        "Halaman ini memerlukan JavaScript untuk menyimpan tanda tablet.",
        "This page needs JavaScript to keep the tablet's token.",
    ),
}


def _lang() -> str:
    return "en" if translation.get_language() == "en" else "id"


def _texts(language: str) -> dict[str, str]:
    return {key: pair[1 if language == "en" else 0] for key, pair in TEXT.items()}


def _when(moment: dt.datetime | None, tz: dt.tzinfo, language: str) -> str:
    if moment is None:
        return "–"
    local = timezone.localtime(moment, tz)
    return f"{format_date(local.date(), language)} {local:%H.%M}"


def _who(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "–"


@admin_required
@require_safe
def units(request: HttpRequest) -> HttpResponse:
    language = _lang()
    t = _texts(language)
    tablets = KioskDevice.objects.select_related("issued_by").order_by("revoked_at", "-issued_at")
    rows = (
        Unit.objects.for_user(request.user, "change")
        .filter(active=True)
        .select_related("pemda", "perangkat_daerah")
        .prefetch_related(Prefetch("kiosk_devices", queryset=tablets))
        .order_by("pemda__name", "perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    )
    listed = []
    for unit in rows:
        tz = unit.pemda.tz
        listed.append(
            {
                "unit": unit,
                "tablets": [
                    {
                        "device": device,
                        "issued": _when(device.issued_at, tz, language),
                        "issued_by": t["by"].format(who=_who(device.issued_by)),
                        "last_seen": _when(device.last_seen_at, tz, language),
                        "status": t["active"]
                        if device.active
                        else t["revoked"].format(when=_when(device.revoked_at, tz, language)),
                    }
                    for device in unit.kiosk_devices.all()
                ],
            }
        )
    return render(request, "collection/tablets.html", {"units": listed, "t": t})


@admin_required
@require_POST
def install(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = get_for_user(Unit.objects.filter(active=True), request.user, "change", slug=unit_slug)
    device, token = devices.issue(unit, request.POST.get("label", ""), request.user)
    language = _lang()
    # The tablet stays at a public counter: no admin session may be left on it.
    logout(request)
    kiosk = reverse("kiosk:unit", args=[unit.slug])
    context = {
        "unit": unit,
        "kiosk": kiosk,
        "t": _texts(language),
        "body": TEXT["installed_body"][1 if language == "en" else 0].format(
            label=device.label, unit=unit.name
        ),
        # What tablet-setup.js stores beside the kiosk's queue (localStorage "skm-kiosk-tablet").
        "setup": {
            "token": token,
            "unit": unit.slug,
            "unit_name": unit.name,
            "label": device.label,
            "kiosk": kiosk,
        },
    }
    response = render(request, "collection/tablet_installed.html", context)
    response["Cache-Control"] = "no-store"  # the token is for this tablet only
    return response


@admin_required
@require_POST
def revoke(request: HttpRequest, unit_slug: str, device_id: int) -> HttpResponse:
    device = get_for_user(KioskDevice, request.user, "change", pk=device_id, unit__slug=unit_slug)
    key = "revoked_msg" if devices.revoke(device, request.user) else "already_revoked"
    messages.success(request, _texts(_lang())[key].format(label=device.label))
    return redirect("tablets:units")
