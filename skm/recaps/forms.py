"""Forms of the recap pages: one field per unsur of the Pemda's instrument (never nine by habit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skm.lib.errors import message
from skm.organisation.models import Period, Unit
from skm.recaps.storing import EntryRow, unsur_headers

UPLOAD_SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a recap is a few dozen rows


class PeriodForm(forms.Form):
    period = forms.ModelChoiceField(queryset=Period.objects.none(), label=_("Periode"), empty_label=None)

    def __init__(self, *args: Any, periods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = periods


class RowForm(forms.Form):
    """One recap row: the unit's own (first) or one of its services'. Figures stay text: the check
    judges each at the precision it was written with."""

    service = forms.CharField(label=_("Layanan"), max_length=200, required=False)
    ikm = forms.CharField(label=_("IKM"), max_length=20, required=False)
    category = forms.CharField(label=_("Kategori"), max_length=40, required=False)
    n = forms.CharField(label=_("Jumlah responden"), max_length=20, required=False)
    metode = forms.CharField(label=_("Metode SKM"), max_length=120, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unsur = unsur_headers(unit.pemda)
        for column, element, name in self.unsur:
            self.fields[element] = forms.CharField(
                label=f"{column.upper()} {name}", max_length=20, required=False
            )

    def unsur_fields(self) -> list[forms.BoundField]:
        return [self[element] for _column, element, _name in self.unsur]

    def entry(self) -> EntryRow:
        data = self.cleaned_data
        return EntryRow(
            service=data.get("service", ""),
            values={element: data.get(element, "") for _c, element, _n in self.unsur},
            ikm=data.get("ikm", ""),
            category=data.get("category", ""),
            n=data.get("n", ""),
            metode=data.get("metode", ""),
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas rekap (.csv atau .xlsx, paling besar 2 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.casefold() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(message("upload_type"), code="upload_type")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar: paling besar 2 MB."), code="upload_too_large"
            )
        return upload
