from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skm.organisation.models import Pemda, Period
from skm.periods.models import MAX_REMINDER_DAYS, REASON_LIMIT, parse_days


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan tidak melaksanakan survei"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mis. kurangnya SDM. Pemda melihat alasan ini di rekap pelaporan."),
    )


class AccompanyForm(forms.Form):
    accompanied = forms.BooleanField(label=_("Dalam pendampingan pada periode ini"), required=False)
    note = forms.CharField(
        label=_("Catatan pendampingan"),
        max_length=REASON_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PolicyForm(forms.Form):
    days = forms.CharField(
        label=_("Hari pengingat sebelum batas pelaporan"),
        max_length=60,
        help_text=_("Dipisah koma, mis. 7,1: pengingat dikirim 7 hari dan 1 hari sebelum batas pelaporan."),
    )

    def clean_days(self) -> str:
        try:
            return ",".join(str(d) for d in parse_days(self.cleaned_data["days"]))
        except ValueError:
            raise forms.ValidationError(
                _("Isi hari sebagai angka 0–{most} dipisah koma, mis. 7,1.").format(most=MAX_REMINDER_DAYS)
            ) from None


class OpenPeriodForm(forms.ModelForm):
    """A new period of the Pemda: a standard kind and year take their calendar range unless the
    dates are given (a Pemda may shift them); a custom range needs its dates and a label."""

    class Meta:
        model = Period
        fields = ("kind", "year", "label", "start", "end", "input_deadline", "report_deadline")
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "input_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "report_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "start": _("Kosongkan untuk rentang baku jenis periode (mis. Triwulan I: 1 Januari–31 Maret)."),
            "end": _("Kosongkan untuk rentang baku jenis periode."),
            "input_deadline": _("Hari terakhir jawaban dimasukkan (boleh kosong)."),
            "report_deadline": _("Hari terakhir unit melaporkan hasil; pengingat dihitung dari tanggal ini."),
        }

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.pemda = pemda
        self.fields["start"].required = False
        self.fields["end"].required = False
        self.fields["year"].min_value = 2000
        self.fields["year"].widget.attrs.update(min=2000, max=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, year = data.get("kind"), data.get("year")
        if not kind or not year:
            return data
        if not 2000 <= year <= 2100:
            self.add_error("year", _("Tahun di luar 2000–2100."))
            return data
        if kind == Period.Kind.CUSTOM:
            for name in ("start", "end"):
                if not data.get(name):
                    self.add_error(name, _("Rentang khusus perlu tanggal mulai dan selesai."))
            if not data.get("label"):
                self.add_error("label", _("Beri nama rentang khusus, mis. “Semester I (rentang unit)”."))
        else:
            start, end = Period.standard_range(kind, year)
            data["start"] = data.get("start") or start
            data["end"] = data.get("end") or end
            self.instance.start, self.instance.end = data["start"], data["end"]
            taken = Period.objects.filter(pemda=self.instance.pemda, kind=kind, year=year).exists()
            if taken:
                self.add_error(
                    "kind",
                    _("Periode {kind} {year} sudah ada.").format(kind=Period.Kind(kind).label, year=year),
                )
        start, end, due = data.get("start"), data.get("end"), data.get("report_deadline")
        if start and end and due and due < start:
            self.add_error("report_deadline", _("Batas pelaporan tidak boleh sebelum periode dimulai."))
        return data
