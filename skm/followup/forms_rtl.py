"""The RTL forms: priority unsur (with a reason when they differ from the suggestion), a plan item,
and an item with its realisation and evidence. Messages come from skm.lib.errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skm.followup import evidence
from skm.followup.forms import DateInput
from skm.followup.models import RTL_TEXT_LIMIT, Rtl
from skm.followup.rtl import Plan, Realisation, priority_errors
from skm.lib.errors import message


class PriorityForm(forms.Form):
    chosen = forms.MultipleChoiceField(
        label=_("Unsur prioritas perbaikan"), widget=forms.CheckboxSelectMultiple, required=False
    )
    reason = forms.CharField(
        label=_("Alasan memilih unsur yang berbeda dari usulan"),
        required=False,
        max_length=RTL_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, order: list[str], labels: dict[str, str], suggested: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.order, self.suggested, self.labels = order, suggested, labels
        field = self.fields["chosen"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(e, labels.get(e, e)) for e in order]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen, reason = data.get("chosen") or [], data.get("reason") or ""
        for name, error in priority_errors(chosen, self.suggested, reason, self.order, self.labels):
            self.add_error(name, error)
        return data


class ItemForm(forms.Form):
    element = forms.ChoiceField(label=_("Unsur"))
    action = forms.CharField(
        label=_("Rencana tindak lanjut"), max_length=RTL_TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.CharField(label=_("Penanggung jawab"), max_length=200)
    target_date = forms.DateField(label=_("Target selesai"), widget=DateInput())

    def __init__(self, *args: Any, rtl: Rtl, labels: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rtl = rtl
        field = self.fields["element"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(e, labels.get(e, e)) for e in rtl.chosen]

    def clean_target_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["target_date"]
        if day < self.rtl.period.end:
            raise forms.ValidationError(
                message("rtl_target_before_period", date=self.rtl.period.end.isoformat())
            )
        return day

    def plan(self) -> Plan:
        data = self.cleaned_data
        return Plan(data["element"], data["action"], data["responsible"], data["target_date"])


class RealiseForm(ItemForm):
    realisation = forms.IntegerField(
        label=_("Realisasi (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Persen bulat 0–100; kosongkan bila belum dikerjakan (dihitung 0 %)."),
        error_messages={
            "invalid": message("rtl_realisation_range"),
            "min_value": message("rtl_realisation_range"),
            "max_value": message("rtl_realisation_range"),
        },
    )
    narrative = forms.CharField(
        label=_("Uraian realisasi"),
        required=False,
        max_length=RTL_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = forms.FileField(label=_("Berkas bukti"), required=False)
    link = forms.URLField(
        label=_("Tautan bukti"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Mis. folder dokumentasi atau berita di situs resmi."),
    )
    remove_file = forms.BooleanField(label=_("Hapus berkas bukti yang tersimpan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind: evidence.Kind | None = None
        self.fields["evidence"].help_text = _("PDF, JPG, PNG, DOCX atau XLSX; paling besar %(limit)s MB.") % {
            "limit": evidence.max_bytes() // (1024 * 1024)
        }

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload:
            try:
                self.kind = evidence.check(upload)
            except evidence.EvidenceError as error:
                raise forms.ValidationError(str(error)) from None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors and self.kind is not None:
            # A browser never keeps a chosen file after a refused form: say so by the field.
            self.add_error("evidence", message("evidence_again"))
            self.kind = None
        return data

    def done(self) -> Realisation:
        data = self.cleaned_data
        return Realisation(data.get("realisation"), data.get("narrative") or "", data.get("link") or "")
