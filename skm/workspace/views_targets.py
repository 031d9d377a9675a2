"""IKM targets (/kelola/target/, issue 24 item 8): the Pemda's and each unit's target for a year and
for every year, in one form (SPEC §5 "Targets"; which one applies: skm.organisation.targets).

Who: the Admin Pemda (and the platform operator) sets them, as they set the Pemda's other settings;
an Admin PD or UPP reads their own units' targets here (read-only: a target is a commitment the
Pemda makes about a unit, not one the unit sets for itself); Pimpinan reads them on the result pages.
Every change is audited (skm.organisation.targets.set_targets).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from skm.accounts.access import admin_required
from skm.accounts.scoping import Role
from skm.lib.numbers import number
from skm.organisation.models import Unit
from skm.organisation.targets import Key, Targets, set_targets
from skm.results.places import home_place
from skm.results.ranges import today_in

FIRST_YEAR, YEARS_AHEAD = 2000, 5
RANGE_MESSAGE = gettext_lazy("Target IKM harus antara 0 dan 100.")


class TargetField(forms.DecimalField):
    """A target as people type it: 85,5 or 85.50; empty means no target."""

    default_error_messages = {
        "invalid": gettext_lazy("Isi angka, mis. 85,50, atau kosongkan."),
        "min_value": RANGE_MESSAGE,
        "max_value": RANGE_MESSAGE,
        "max_digits": RANGE_MESSAGE,
        "max_decimal_places": gettext_lazy("Paling banyak 2 angka di belakang koma."),
        "max_whole_digits": RANGE_MESSAGE,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            required=False,
            max_digits=5,
            decimal_places=2,
            min_value=Decimal(0),
            max_value=Decimal(100),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6, "autocomplete": "off"}),
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
            if value.count(".") > 1:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@dataclass
class Row:
    key: str  # "pemda" or the unit's id, in the field names
    unit: Unit | None
    name: str
    group: str
    year_value: Decimal | None
    any_value: Decimal | None
    year_field: Any = None
    any_field: Any = None

    @property
    def target_key(self) -> int | None:
        return None if self.unit is None else self.unit.pk


class TargetsForm(forms.Form):
    def __init__(self, rows: list[Row], year: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for prefix, value, label in (
                ("y", row.year_value, _("Target %(year)s %(name)s") % {"year": year, "name": row.name}),
                ("a", row.any_value, _("Target setiap tahun %(name)s") % {"name": row.name}),
            ):
                field = TargetField(initial=_shown(value))
                field.widget.attrs["aria-label"] = label
                self.fields[f"{prefix}-{row.key}"] = field
            row.year_field, row.any_field = self[f"y-{row.key}"], self[f"a-{row.key}"]

    def wanted(self, year: int) -> dict[Key, Decimal | None]:
        out: dict[Key, Decimal | None] = {}
        for row in self.rows:
            out[(row.target_key, year)] = self.cleaned_data[f"y-{row.key}"]
            out[(row.target_key, None)] = self.cleaned_data[f"a-{row.key}"]
        return out


def _shown(value: Decimal | None) -> str:
    return "" if value is None else number(value, 2)


def _year(request: HttpRequest, this_year: int) -> tuple[int, str]:
    text = request.GET.get("tahun", "").strip()
    if not text:
        return this_year, ""
    if text.isdigit() and FIRST_YEAR <= int(text) <= this_year + YEARS_AHEAD:
        return int(text), ""
    message = _("Tahun harus antara %(first)s dan %(last)s.") % {
        "first": FIRST_YEAR,
        "last": this_year + YEARS_AHEAD,
    }
    return this_year, message


def may_set_targets(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") == Role.ADMIN_PEMDA)


@admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    place = home_place(request)
    pemda = place.pemda
    may_edit = may_set_targets(request.user)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    today: dt.date = today_in(pemda)
    year, year_error = _year(request, today.year)
    stored = Targets.load(pemda, [year])
    units = (
        Unit.objects.for_user(request.user)
        .filter(pemda=pemda, active=True)
        .select_related("perangkat_daerah")
        .order_by("perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    )
    rows = [
        Row(
            str(u.pk),
            u,
            u.name,
            u.perangkat_daerah.name,
            stored.rows.get((u.pk, year)),
            stored.rows.get((u.pk, None)),
        )
        for u in units
    ]
    if may_edit:
        own = Row(
            "pemda",
            None,
            pemda.name,
            _("Pemda"),
            stored.rows.get((None, year)),
            stored.rows.get((None, None)),
        )
        rows.insert(0, own)
    form = TargetsForm(rows, year, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        changed = set_targets(pemda, form.wanted(year), user=request.user)
        messages.success(
            request,
            ngettext("%(count)s target disimpan.", "%(count)s target disimpan.", changed) % {"count": changed}
            if changed
            else _("Tidak ada target yang berubah."),
        )
        return redirect(_url(request, year))
    context = {
        "place": place,
        "pemda": pemda,
        "year": year,
        "year_error": year_error,
        "years": list(range(today.year + YEARS_AHEAD, today.year - 6, -1)),
        "rows": rows,
        "form": form,
        "may_edit": may_edit,
        "superuser_pemda": pemda.slug if request.user.is_superuser else "",
    }
    return render(request, "workspace/targets.html", context, status=400 if form.errors else 200)


def _url(request: HttpRequest, year: int) -> str:
    params: dict[str, Any] = {"tahun": year}
    if request.user.is_superuser and request.GET.get("pemda"):
        params["pemda"] = request.GET["pemda"]
    return reverse("workspace:targets") + "?" + urlencode(params)
