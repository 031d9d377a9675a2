"""Bulk import of answers under /kelola/impor/ (issue 3 item 7): choose a unit, upload, preview, save.

The upload is read and judged once, when it arrives, and the judged preview is kept server-side
as JSON until the save: MEDIA_ROOT/imports/<token>.json (who uploaded it for which unit, and what
the preview page shows) and <token>.rows.jsonl (the rows to store, one JSON list per line). The
file's bytes are not kept; the save stores exactly the rows the preview showed, all of them or
none, without reading the file again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from skm.accounts.access import admin_required, get_for_user
from skm.collection import importing
from skm.instrument.spec import current_spec
from skm.lib.tabular import TableError
from skm.organisation.models import Unit

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
KEEP_UPLOADS = dt.timedelta(hours=24)

TEXT: dict[str, tuple[str, str]] = {
    "choose_title": ("Impor jawaban", "Import answers"),
    "choose_intro": (
        "Impor jawaban dari berkas CSV atau XLSX: templat kolom kami atau ekspor Google Forms. "
        "Pilih unit tujuan lebih dulu.",
        "Import answers from a CSV or XLSX file: our column template or a Google Forms export. "
        "Choose the unit first.",
    ),
    "unit": ("Unit layanan (UPP)", "Service unit"),
    "next": ("Lanjut", "Continue"),
    "no_units": ("Anda tidak mengelola unit mana pun.", "You manage no unit."),
    "upload_title": ("Impor jawaban: {unit}", "Import answers: {unit}"),
    "file": ("Berkas (.csv atau .xlsx, paling besar 10 MB)", "File (.csv or .xlsx, at most 10 MB)"),
    "format": ("Format berkas", "File format"),
    "check": ("Periksa berkas", "Check the file"),
    "check_hint": (
        "Berkas diperiksa dulu; belum ada yang disimpan sampai Anda menekan “Simpan semua” di halaman pratinjau.",
        "The file is checked first; nothing is stored until you press “Save all” on the preview page.",
    ),
    "templates": ("Templat kolom untuk unit ini", "Column template for this unit"),
    "templates_hint": (
        "Satu baris per kuesioner; kolom pertanyaan mengikuti urutan dan judul kolom Pemda Anda.",
        "One row per questionnaire; the question columns follow your Pemda's order and headers.",
    ),
    "guide": ("Kolom templat untuk unit ini", "Template columns for this unit"),
    "guide_column": ("kolom", "column"),
    "guide_what": ("isi", "what to write"),
    "guide_choices": ("pilihan", "choices"),
    "gf_title": ("Ekspor Google Forms", "Google Forms export"),
    "gf_hint": (
        "Unduh tanggapan sebagai CSV (Tanggapan → Unduh tanggapan) atau dari Google Sheets sebagai XLSX. "
        "Judul kolom boleh berupa bunyi pertanyaan (boleh sedikit diubah); isinya label pilihan "
        "(“Sangat sesuai”, “Tidak mudah”, “Gratis” …).",
        "Download the responses as CSV (Responses → Download responses) or from Google Sheets as XLSX. "
        "Headers may be the question wording (slightly edited is fine); cells hold the option labels.",
    ),
    "file_too_large": (
        "Berkas terlalu besar: paling besar 10 MB. Pecah berkas menjadi beberapa bagian.",
        "The file is too large: at most 10 MB. Split it into parts.",
    ),
    "file_type": (
        "Jenis berkas harus .csv atau .xlsx (dari Excel: Simpan sebagai → CSV UTF-8 atau Buku Kerja Excel).",
        "The file must be .csv or .xlsx (from Excel: Save as → CSV UTF-8 or Excel Workbook).",
    ),
    "file_empty": ("Berkas kosong.", "The file is empty."),
    "preview_title": ("Pratinjau impor", "Import preview"),
    "rows": ("Baris jawaban", "Answer rows"),
    "valid": ("Sah dan baru", "Valid and new"),
    "already": ("Sudah pernah diimpor", "Already imported"),
    "invalid": ("Tidak sah", "Invalid"),
    "save_all": ("Simpan semua ({n} jawaban)", "Save all ({n} answers)"),
    "save_hint": (
        "Semua baris disimpan sekaligus dalam satu transaksi. Berkas yang sama dapat diimpor lagi "
        "tanpa membuat jawaban ganda.",
        "All rows are stored at once in one transaction. The same file can be imported again "
        "without duplicating answers.",
    ),
    "nothing_saved": (
        "Tidak ada yang disimpan. Perbaiki baris berikut di berkas Anda, lalu unggah ulang.",
        "Nothing was saved. Fix the rows below in your file, then upload it again.",
    ),
    "file_problem": (
        "Berkas tidak dapat diimpor. Tidak ada yang disimpan.",
        "The file cannot be imported. Nothing was saved.",
    ),
    "nothing_new": (
        "Semua baris sudah pernah diimpor; tidak ada yang perlu disimpan.",
        "Every row was imported before; there is nothing to save.",
    ),
    "already_note": (
        "{n} baris sudah pernah diimpor dan akan dilewati.",
        "{n} rows were imported before and are skipped.",
    ),
    "lookalikes": (
        "Perhatian: {n} baris sama persis (waktu sampai detik dan kesembilan jawaban) dengan jawaban yang "
        "sudah tersimpan di unit ini: mungkin ekspor yang sama diunduh atau disimpan ulang lalu diimpor lagi. "
        "Baris {rows}. Jika benar begitu, jangan simpan: hapus baris lama itu dari berkas.",
        "Caution: {n} rows equal an answer already stored for this unit (time to the second and all nine "
        "answers): perhaps the same export was downloaded or saved again and imported once more. "
        "Rows {rows}. If so, do not save: remove those old rows from the file.",
    ),
    "mapping": ("Pemetaan kolom", "Column mapping"),
    "mapping_hint": (
        "Periksa bahwa setiap judul kolom di berkas menjadi pertanyaan yang benar.",
        "Check that every header of the file became the right question.",
    ),
    "col_file": ("Kolom di berkas", "Column in the file"),
    "col_became": ("Menjadi", "Became"),
    "col_match": ("Kecocokan", "Match"),
    "exact": ("persis", "exact"),
    "ignored": ("Kolom yang diabaikan (tidak cocok dengan apa pun)", "Ignored columns (matched nothing)"),
    "date_order": ("Tanggal dibaca sebagai {order}.", "Dates are read as {order}."),
    "dmy": ("hari/bulan/tahun", "day/month/year"),
    "mdy": ("bulan/hari/tahun", "month/day/year"),
    "format_used": ("Format: {format}.", "Format: {format}."),
    "errors_title": ("Baris yang tidak sah ({n})", "Invalid rows ({n})"),
    "errors_shown": (
        "Ditampilkan {shown} baris pertama dari {n} baris yang tidak sah.",
        "The first {shown} of {n} invalid rows are shown.",
    ),
    "row": ("Baris", "Row"),
    "problems": ("Kesalahan", "Problems"),
    "sample_title": ("{n} baris pertama", "First {n} rows"),
    "time": ("Waktu", "Time"),
    "profile": ("Profil responden", "Respondent profile"),
    "sample_hint": (
        "Nilai U1–U{n} sesuai urutan kuesioner Pemda; waktu dalam zona waktu Pemda ({tz}).",
        "U1–U{n} values in the Pemda's questionnaire order; times in the Pemda's time zone ({tz}).",
    ),
    "service": ("Layanan", "Service"),
    "suggestion": ("Saran", "Suggestion"),
    "status": ("Status", "Status"),
    "status_new": ("baru", "new"),
    "status_already": ("sudah ada", "already stored"),
    "status_invalid": ("tidak sah", "invalid"),
    "again": ("Unggah berkas lain", "Upload another file"),
    "saved": (
        "Tersimpan {created} jawaban baru dari {file}.",
        "Saved {created} new answers from {file}.",
    ),
    "saved_already": ("{n} baris sudah pernah diimpor.", "{n} rows were imported before."),
    "expired": (
        "Unggahan ini sudah tidak tersedia (lebih dari 24 jam). Unggah ulang berkasnya.",
        "This upload is no longer available (over 24 hours). Upload the file again.",
    ),
}


def _lang() -> str:
    return "en" if translation.get_language() == "en" else "id"


def _t(key: str, language: str, **params: Any) -> str:
    text = TEXT[key][1 if language == "en" else 0]
    return text.format(**params) if params else text


def _texts(language: str) -> dict[str, str]:
    return {key: pair[1 if language == "en" else 0] for key, pair in TEXT.items()}


def _unit(request: HttpRequest, unit_slug: str) -> Unit:
    return get_for_user(Unit.objects.select_related("pemda"), request.user, "change", slug=unit_slug)


# --- The upload kept between preview and save --------------------------------------------------


def _store() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _keep(
    preview: importing.Preview | None,
    *,
    table_error: str = "",
    fmt: str,
    unit: Unit,
    user: Any,
    filename: str,
) -> str:
    """Keep a judged upload (or why it could not be read) under a new token."""
    store = _store()
    store.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_UPLOADS.total_seconds()
    for old in store.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    note: dict[str, Any] = {"filename": filename, "format": fmt, "unit": unit.pk, "user": user.pk}
    if preview is None:
        note["table_error"] = table_error
    else:
        note["preview"], rows = importing.kept(preview)
        with (store / f"{token}.rows.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, separators=(",", ":")) + "\n")
    (store / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return token


def _kept(token: str, unit: Unit, user: Any) -> dict[str, Any] | None:
    """The note behind `token` if this user made the upload for this unit; else None."""
    if not TOKEN_RE.match(token):
        return None
    try:
        note = json.loads((_store() / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if note.get("unit") != unit.pk or note.get("user") != user.pk:
        return None
    return note


def _kept_rows(token: str, unit: Unit, summary: dict[str, Any]) -> importing.Preview | None:
    """The kept preview with its rows, read line by line; None when they are gone."""
    try:
        with (_store() / f"{token}.rows.jsonl").open(encoding="utf-8") as kept:
            return importing.restored(summary, unit, (json.loads(line) for line in kept))
    except (OSError, ValueError):
        return None


def _forget(token: str) -> None:
    for suffix in (".json", ".rows.jsonl"):
        (_store() / f"{token}{suffix}").unlink(missing_ok=True)


# --- Forms -------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField()
    format = forms.ChoiceField(initial=importing.Format.AUTO.value)

    def __init__(self, *args: Any, language: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        self.fields["file"].label = _t("file", language)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
        self.fields["format"].label = _t("format", language)
        self.fields["format"].choices = [
            (f.value, importing.FORMAT_LABELS[f][1 if language == "en" else 0]) for f in importing.Format
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.casefold() not in importing.UPLOAD_SUFFIXES:
            raise forms.ValidationError(_t("file_type", self.language))
        if upload.size > importing.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_t("file_too_large", self.language))
        if not upload.size:
            raise forms.ValidationError(_t("file_empty", self.language))
        return upload


# --- Views -------------------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET"])
def choose(request: HttpRequest) -> HttpResponse:
    if request.GET.get("unit"):
        unit = _unit(request, request.GET["unit"])
        return redirect("imports:upload", unit_slug=unit.slug)
    units = list(
        Unit.objects.for_user(request.user, "change")
        .select_related("perangkat_daerah", "pemda")
        .order_by("pemda__name", "perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    )
    if len(units) == 1:
        return redirect("imports:upload", unit_slug=units[0].slug)
    many_pemda = len({u.pemda_id for u in units}) > 1  # the platform operator sees every Pemda
    context = {"units": units, "many_pemda": many_pemda, "t": _texts(_lang())}
    return render(request, "collection/import_choose.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    language = _lang()
    form = UploadForm(request.POST or None, request.FILES or None, language=language)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename, fmt = Path(upload.name).name, form.cleaned_data["format"]
        result, table_error = None, ""
        try:
            result = importing.read(upload.read(), filename, unit, fmt=fmt, language=language)
        except TableError as exc:
            table_error = exc.message
        token = _keep(
            result, table_error=table_error, fmt=fmt, unit=unit, user=request.user, filename=filename
        )
        return redirect("imports:preview", unit_slug=unit.slug, token=token)
    status = 400 if request.method == "POST" else 200
    spec = current_spec(unit.pemda_id)
    context = {
        "unit": unit,
        "form": form,
        "guide": importing.template_guide(unit, spec) if spec else [],
        "t": _texts(language),
        "title": _t("upload_title", language, unit=unit.name),
    }
    return render(request, "collection/import_upload.html", context, status=status)


@admin_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, unit_slug: str, token: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    language = _lang()
    note = _kept(token, unit, request.user)
    if note is None:
        messages.warning(request, _t("expired", language))
        return redirect("imports:upload", unit_slug=unit.slug)
    context: dict[str, Any] = {
        "unit": unit,
        "t": _texts(language),
        "filename": note["filename"],
        "token": token,
    }
    if "preview" not in note:
        context["table_error"] = note["table_error"]
        return render(request, "collection/import_preview.html", context, status=400)
    result = importing.restored(note["preview"], unit)
    if request.method == "POST" and result.ok:
        whole = _kept_rows(token, unit, note["preview"])
        if whole is None:
            messages.warning(request, _t("expired", language))
            return redirect("imports:upload", unit_slug=unit.slug)
        try:
            saved = importing.save(whole, user=request.user)
        except importing.NotClean as exc:
            _forget(token)
            messages.error(request, str(exc))
            return redirect("imports:upload", unit_slug=unit.slug)
        _forget(token)
        if saved.created:
            messages.success(
                request, _t("saved", language, created=_count(saved.created), file=note["filename"])
            )
        if saved.already:
            messages.info(request, _t("saved_already", language, n=_count(saved.already)))
        return redirect("imports:upload", unit_slug=unit.slug)
    context.update(_preview_context(result, language))
    return render(request, "collection/import_preview.html", context, status=400 if not result.ok else 200)


def _count(n: int) -> str:
    from skm.lib.numbers import number

    return number(n, 0)


def _row_list(rows: list[int], limit: int = 15) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f", … (+{len(rows) - limit})" if len(rows) > limit else "")


def _preview_context(result: importing.Preview, language: str) -> dict[str, Any]:
    order = None
    if result.day_first is not None:
        order = _t("date_order", language, order=_t("dmy" if result.day_first else "mdy", language))
    statuses = {s: _t(f"status_{s}", language) for s in ("new", "already", "invalid")}
    format_label = importing.FORMAT_LABELS[result.format][1 if language == "en" else 0]
    return {
        "result": result,
        "format_note": _t("format_used", language, format=format_label),
        "errors_title": _t("errors_title", language, n=_count(result.invalid)),
        "errors_shown": _t(
            "errors_shown",
            language,
            shown=_count(len(result.problems)),
            n=_count(result.invalid),
        )
        if result.invalid > len(result.problems)
        else "",
        "sample_title": _t("sample_title", language, n=len(result.sample)),
        "sample_hint": _t(
            "sample_hint", language, n=len(result.question_codes), tz=result.unit.pemda.get_timezone_display()
        ),
        "date_order": order,
        "statuses": statuses,
        "valid": result.valid,
        "already": len(result.already),
        "invalid": result.invalid,
        "save_label": _t("save_all", language, n=_count(result.valid)),
        "already_note": _t("already_note", language, n=_count(len(result.already))) if result.already else "",
        "lookalikes": _t(
            "lookalikes", language, n=_count(len(result.lookalikes)), rows=_row_list(result.lookalikes)
        )
        if result.lookalikes
        else "",
    }


@admin_required
@require_http_methods(["GET"])
def template_file(request: HttpRequest, unit_slug: str, ext: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    spec = current_spec(unit.pemda_id)
    if spec is None or ext not in ("csv", "xlsx"):
        raise Http404
    if ext == "csv":
        body = importing.template_csv(unit, spec)
        content_type = "text/csv; charset=utf-8"
    else:
        body = importing.template_xlsx(unit, spec)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="impor-jawaban-{unit.slug}.{ext}"'
    return response
