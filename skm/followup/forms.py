"""The inbox's filters (GET) and the follow-up form (POST)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from skm.followup.inbox import Filters
from skm.followup.models import REPLY_LIMIT, Status
from skm.organisation.models import Unit

ANY = [("", _("Semua"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari dalam saran atau balasan"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=ANY + list(Status.choices), required=False)
    unit = forms.ModelChoiceField(
        label=_("UPP"), queryset=Unit.objects.none(), required=False, empty_label=_("Semua")
    )
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput())
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput())
    kontak = forms.BooleanField(label=_("Hanya yang meninggalkan kontak"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], contact_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        if not contact_allowed:
            del self.fields["kontak"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and start > end:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data

    def filters(self) -> Filters:
        """The chosen filters (after `is_valid()`); a field with an error is left out of
        `cleaned_data`, so it counts as not chosen while its message shows."""
        data = self.cleaned_data
        unit = data.get("unit")
        return Filters(
            text=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            unit_id=unit.pk if unit is not None else None,
            start=data.get("dari"),
            end=data.get("sampai"),
            with_contact=bool(data.get("kontak")),
        )


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=forms.RadioSelect)
    reply = forms.CharField(
        label=_("Balasan"),
        required=False,
        max_length=REPLY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Balasan unit kepada pemberi saran. Tulis dengan sopan; jangan menyebut data pribadi."),
    )
    published = forms.BooleanField(
        label=_("Terbitkan saran dan balasan ini di portal publik"),
        required=False,
        help_text=_("Kontak pemberi saran tidak pernah diterbitkan."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("published") and not (data.get("reply") or "").strip():
            self.add_error("published", _("Tulis balasan sebelum menerbitkannya."))
        return data
