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

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from skm.accounts.access import admin_required, get_for_user
from skm.collection import devices
from skm.collection.models import KioskDevice
from skm.lib.dates import format_date
from skm.organisation.models import Unit


class TabletForm(forms.Form):
    """The name the admin gives the tablet (devices.issue tidies it, or numbers an unnamed one)."""

    label = forms.CharField(required=False)


def _when(moment: dt.datetime | None, tz: dt.tzinfo) -> str:
    if moment is None:
        return "–"
    local = timezone.localtime(moment, tz)
    return f"{format_date(local.date(), translation.get_language())} {local:%H.%M}"


def _who(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "–"


@admin_required
@require_safe
def units(request: HttpRequest) -> HttpResponse:
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
                        "issued": _when(device.issued_at, tz),
                        "issued_by": _who(device.issued_by),
                        "last_seen": _when(device.last_seen_at, tz),
                        "revoked": _when(device.revoked_at, tz),
                    }
                    for device in unit.kiosk_devices.all()
                ],
            }
        )
    return render(request, "collection/tablets.html", {"units": listed})


@admin_required
@require_POST
def install(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = get_for_user(Unit.objects.filter(active=True), request.user, "change", slug=unit_slug)
    form = TabletForm(request.POST)
    if not form.is_valid():
        for problem in (p for errors in form.errors.values() for p in errors):
            messages.error(request, problem)
        return redirect("tablets:units")
    device, token = devices.issue(unit, form.cleaned_data["label"], request.user)
    # The tablet stays at a public counter: no admin session may be left on it.
    logout(request)
    kiosk = reverse("kiosk:unit", args=[unit.slug])
    context = {
        "unit": unit,
        "kiosk": kiosk,
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
    if devices.revoke(device, request.user):
        done = _("Tablet “{label}” dicabut: jawabannya kini dihitung seperti perangkat biasa.")
    else:
        done = _("Tablet “{label}” sudah dicabut.")
    messages.success(request, done.format(label=device.label))
    return redirect("tablets:units")
