from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
