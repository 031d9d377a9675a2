"""Forms of the report pages: starting a report, the Pemda's report settings, its template."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.organisation.models import Pemda, PerangkatDaerah, Period, Unit
from skm.reports import content, docx
from skm.reports.models import ReportSettings
from skm.reports.produce import FORMATS, UNIT_FORMATS
from skm.reports.texts import DEFAULTS

TEMPLATE_LIMIT_MB = 10
FORMAT_LABELS = {"docx": "DOCX (Word)", "pdf": "PDF", "xlsx": "XLSX (tabel)"}


class StartForm(forms.Form):
    period = forms.ModelChoiceField(
        label=gettext_lazy("Periode yang sudah ditutup"), queryset=Period.objects.none(), empty_label=None
    )
    perangkat_daerah = forms.ModelChoiceField(
        label=gettext_lazy("Cakupan"),
        queryset=PerangkatDaerah.objects.none(),
        required=False,
        empty_label=gettext_lazy("Seluruh Pemda"),
    )
    formats = forms.MultipleChoiceField(
        label=gettext_lazy("Format"),
        choices=[(f, FORMAT_LABELS[f]) for f in FORMATS],
        widget=forms.CheckboxSelectMultiple,
        initial=list(FORMATS),
        error_messages={"required": gettext_lazy("Pilih sedikitnya satu format.")},
    )
    conclusion = forms.CharField(
        label=gettext_lazy("BAB Kesimpulan (satu butir per baris)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=20_000,
        help_text=gettext_lazy(
            "Disusun dari angka laporan. Sunting kata-katanya bila perlu; kosongkan untuk memakai "
            "susunan otomatis."
        ),
    )

    def __init__(
        self, *args: Any, pemda: Pemda, pd: PerangkatDaerah | None, unit: Unit | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if unit is not None:  # a unit's own report: DOCX and PDF
            field = self.fields["formats"]
            field.choices = [(f, FORMAT_LABELS[f]) for f in UNIT_FORMATS]
            field.initial = list(UNIT_FORMATS)
        self.fields["period"].queryset = Period.objects.filter(pemda=pemda, closed_at__isnull=False).order_by(
            "-end", "-start", "kind"
        )
        if pd is None and unit is None:
            self.fields["perangkat_daerah"].queryset = PerangkatDaerah.objects.filter(pemda=pemda).order_by(
                "position", "name"
            )
        else:
            del self.fields["perangkat_daerah"]

    def points(self) -> list[str] | None:
        text = self.cleaned_data.get("conclusion", "")
        found = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        return found or None


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReportSettings
        fields = ["shape", "signer_title", "signer_name", "signer_rank", "signer_nip", "place", "electronic"]
        widgets = {"shape": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        texts = self.instance.texts or {}
        for key, default in DEFAULTS.items():
            self.fields[f"text_{key}"] = forms.CharField(
                label=TEXT_LABELS.get(key, key),
                required=False,
                initial=texts.get(key, default),
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 3 if len(default) < 200 else 8}),
            )

    def save(self, commit: bool = True) -> ReportSettings:
        settings = super().save(commit=False)
        texts = {}
        for key, default in DEFAULTS.items():
            value = self.cleaned_data.get(f"text_{key}", "").replace("\r\n", "\n").strip()
            if value != default.strip():
                texts[key] = value
        settings.texts = texts
        if commit:
            settings.save()
        return settings


TEXT_LABELS = {
    "judul": gettext_lazy("Judul"),
    "disusun_oleh": gettext_lazy("Disusun oleh"),
    "kata_pengantar": gettext_lazy("Kata pengantar"),
    "ringkasan": gettext_lazy("Ringkasan eksekutif (kosongkan bila tidak ada)"),
    "latar_belakang": gettext_lazy("BAB I: latar belakang"),
    "dasar_hukum": gettext_lazy("BAB I: dasar hukum (satu per baris)"),
    "tujuan": gettext_lazy("BAB I: tujuan dan manfaat (satu per baris)"),
    "pelaksana": gettext_lazy("BAB II: pelaksana SKM"),
    "lokasi": gettext_lazy("BAB II: lokasi pengumpulan data"),
    "bukti_dukung": gettext_lazy("Lampiran: bukti dukung (tautan)"),
    "catatan_ttd_elektronik": gettext_lazy("Catatan tanda tangan elektronik"),
}


class TemplateForm(forms.Form):
    template = forms.FileField(
        label=gettext_lazy("Templat DOCX"),
        help_text=gettext_lazy("Berkas .docx hasil suntingan templat yang diunduh dari halaman ini."),
    )

    def __init__(self, *args: Any, pemda: Pemda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pemda = pemda

    def clean_template(self) -> bytes:
        upload = self.cleaned_data["template"]
        if upload.size > TEMPLATE_LIMIT_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Templat lebih dari %(mb)s MB.") % {"mb": TEMPLATE_LIMIT_MB}, code="too_large"
            )
        data = upload.read()
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            names = []
        if "word/document.xml" not in names:
            raise forms.ValidationError(
                _("Berkas ini bukan dokumen Word (.docx). Simpan templat sebagai .docx lalu unggah lagi."),
                code="not_docx",
            )
        problem = check_template(self.pemda, data)
        if problem is not None:
            raise forms.ValidationError(
                _("Templat ditolak, templat sebelumnya tetap dipakai. %(problem)s") % {"problem": problem},
                code="does_not_render",
            )
        return data


def check_template(pemda: Pemda, data: bytes) -> str | None:
    """Why `data` cannot be the Pemda's template (rendered against its latest closed period, or,
    with none closed yet, parsed and its names checked), or None when it renders."""
    period = Period.objects.filter(pemda=pemda, closed_at__isnull=False).order_by("-end").first()
    try:
        if period is not None:
            docx.render_docx(content.build(period), docx.settings_of(pemda), template=data)
        else:
            unknown = docx.undeclared_names(data) - docx.CONTEXT_NAMES
            if unknown:
                return _("Templat memakai nama yang tidak dikenal: %(names)s") % {
                    "names": ", ".join(sorted(unknown))
                }
    except docx.TemplateProblem as problem:
        return str(problem)
    return None
