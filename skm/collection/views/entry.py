"""Paper entry (SPEC §7; issue 3 item 6): admins key in paper questionnaires as rows of digits.

One questionnaire is one line typed straight through: the nine answers in the Pemda's question
order, then (optionally) four profile codes, e.g. ``343343442 2334``; ``0`` or ``-`` is a blank.
Every save goes through `validate()` and `submit()` like any other channel (channel "manual");
edits, exclusions and deletions go through `skm.collection.changes`, which keeps the rollups
right and writes the audit trail.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods, require_POST

from skm.accounts.access import admin_required, get_for_user
from skm.accounts.models import AuditEvent
from skm.collection import changes
from skm.collection.models import Answer, Channel
from skm.collection.submit import KeyConflict, Origin, Throttled, submit
from skm.collection.validation import Invalid, Received, earliest_day, validate
from skm.instrument.models import InstrumentVersion
from skm.instrument.spec import InstrumentSpec, current_spec, spec_for
from skm.lib.errors import message
from skm.organisation.models import Layanan, Unit

PAGE_SIZE = 50
AUDIT_LIMIT = 100
BLANKS = frozenset("0-")
# Short column codes of the profile positions (the answers use the instrument's U1…U9).
PROFILE_ABBR = {"gender": "JK", "age_band": "Usia", "education": "Pddk", "occupation": "Pkrj"}
PROFILE_ABBR_EN = {"gender": "Sex", "age_band": "Age", "education": "Edu", "occupation": "Occ"}

# View-local texts (Indonesian, English); the shared error table holds validation messages.
TEXT: dict[str, tuple[str, str]] = {
    "units_title": ("Entri kuesioner kertas", "Paper questionnaire entry"),
    "units_intro": (
        "Pilih UPP yang kuesioner kertasnya akan Anda ketik.",
        "Choose the unit whose paper questionnaires you will key in.",
    ),
    "units_none": ("Tidak ada UPP aktif yang dapat Anda isi.", "There is no active unit you may enter for."),
    "unit": ("UPP", "Unit"),
    "pd": ("Perangkat Daerah", "Regional office"),
    "paper_count": ("Kuesioner kertas tercatat", "Paper questionnaires entered"),
    "grid_title": ("Entri kuesioner kertas", "Paper questionnaire entry"),
    "back_units": ("← Daftar UPP", "← Units"),
    "batch": ("Pengaturan batch", "Batch settings"),
    "date": ("Tanggal pengisian kuesioner", "Date the questionnaires were filled in"),
    "date_hint": (
        "Tanggal yang tertulis di kertas; bawaan hari ini.",
        "The date on the forms; today by default.",
    ),
    "service": ("Jenis layanan", "Service"),
    "service_none": ("— tanpa layanan —", "— no service —"),
    "service_row": ("Layanan baris ini", "Service for this row"),
    "service_same": ("— sama dengan batch —", "— same as batch —"),
    "entry": ("Isian kuesioner", "Questionnaire digits"),
    "entry_hint": (
        "Ketik {a} angka jawaban lalu {p} kode profil, Enter untuk simpan. 0 atau - = kosong. Spasi boleh.",
        "Type {a} answer digits then {p} profile codes, Enter to save. 0 or - = blank. Spaces are fine.",
    ),
    "edit_hint": (
        "Ketik {a} angka jawaban lalu {p} kode profil. 0 atau - = kosong.",
        "Type {a} answer digits then {p} profile codes. 0 or - = blank.",
    ),
    "suggestion": ("Saran (opsional)", "Suggestion (optional)"),
    "suggestion_col": ("Saran", "Suggestion"),
    "save": ("Simpan", "Save"),
    "preview": ("Pratinjau isian", "Preview"),
    "legend": ("Kode", "Codes"),
    "legend_answers": ("Jawaban U1–U9: 1–4 (a = 1 … d = 4)", "Answers U1–U9: 1–4 (a = 1 … d = 4)"),
    "blank": ("0 atau - = tidak diisi", "0 or - = not filled"),
    "recent": ("Kuesioner kertas UPP ini", "Paper questionnaires of this unit"),
    "recent_none": ("Belum ada kuesioner kertas.", "No paper questionnaires yet."),
    "number": ("No.", "No."),
    "entered_by": ("Diinput oleh", "Entered by"),
    "status": ("Status", "Status"),
    "excluded": ("dikecualikan", "excluded"),
    "actions": ("Aksi", "Actions"),
    "edit": ("Ubah", "Edit"),
    "page": ("Halaman {n} dari {of}", "Page {n} of {of}"),
    "prev": ("← Lebih baru", "← Newer"),
    "next": ("Lebih lama →", "Older →"),
    "audit": ("Jejak audit", "Audit trail"),
    "audit_none": ("Belum ada perubahan.", "No changes yet."),
    "audit_when": ("Waktu", "When"),
    "audit_who": ("Pengguna", "User"),
    "audit_action": ("Tindakan", "Action"),
    "audit_change": ("Perubahan", "Change"),
    "audit_reason": ("Alasan", "Reason"),
    "saved": ("Tersimpan: kuesioner #{n}", "Saved: questionnaire #{n}"),
    "already": (
        "Sudah tersimpan sebelumnya: kuesioner #{n} (tidak dicatat dua kali).",
        "Already saved: questionnaire #{n} (not stored twice).",
    ),
    "already_differs": (
        "Kiriman ini sudah tersimpan sebagai kuesioner #{n} dengan isi {digits}; ubah #{n} bila perlu.",
        "This entry was already saved as questionnaire #{n} with {digits}; edit #{n} if needed.",
    ),
    "count": (
        "Terbaca {n} karakter; ketik {a} angka jawaban lalu {p} kode profil ({total} karakter), "
        "atau {a} angka jawaban saja.",
        "Read {n} characters; type {a} answer digits then {p} profile codes ({total} characters), "
        "or just the {a} answer digits.",
    ),
    "bad_digit": (
        "Kolom {code} ({header}): '{value}' tidak sah; ketik {allowed}, atau 0/- bila kosong.",
        "Column {code} ({header}): '{value}' is not valid; type {allowed}, or 0/- for a blank.",
    ),
    "key_taken": (
        "Kunci kiriman ini sudah dipakai; muat ulang halaman.",
        "This entry key is already used; reload the page.",
    ),
    "edit_title": ("Ubah kuesioner #{n}", "Edit questionnaire #{n}"),
    "reason": ("Alasan (opsional)", "Reason (optional)"),
    "edited": ("Kuesioner #{n} diubah.", "Questionnaire #{n} changed."),
    "unchanged": ("Tidak ada perubahan pada kuesioner #{n}.", "Questionnaire #{n} is unchanged."),
    "exclude": ("Kecualikan dari perhitungan", "Exclude from results"),
    "include": ("Ikutkan kembali dalam perhitungan", "Include in results again"),
    "excluded_msg": ("Kuesioner #{n} dikecualikan.", "Questionnaire #{n} excluded."),
    "included_msg": ("Kuesioner #{n} diikutkan kembali.", "Questionnaire #{n} included again."),
    "excluded_note": (
        "Kuesioner ini dikecualikan dari perhitungan IKM.",
        "This questionnaire is excluded from the IKM.",
    ),
    "delete": ("Hapus kuesioner", "Delete questionnaire"),
    "delete_title": ("Hapus kuesioner #{n}?", "Delete questionnaire #{n}?"),
    "delete_warn": (
        "Kuesioner ini akan dihapus dan rekap dihitung ulang. Jejak audit tetap tersimpan.",
        "This questionnaire will be deleted and the tallies recomputed. The audit trail is kept.",
    ),
    "delete_confirm": ("Ya, hapus", "Yes, delete"),
    "cancel": ("Batal", "Cancel"),
    "deleted": ("Kuesioner #{n} dihapus.", "Questionnaire #{n} deleted."),
    "back_grid": ("← Kembali ke entri", "← Back to entry"),
    "saved_on": ("Tanggal", "Date"),
    "network": (
        "Gagal terhubung ke server. Tekan Enter lagi untuk mencoba ulang (tidak akan tercatat ganda).",
        "Could not reach the server. Press Enter again to retry (it will not be stored twice).",
    ),
    "total": ("{n} kuesioner kertas", "{n} paper questionnaires"),
    "reload": (
        "Server menolak kiriman (sesi mungkin berakhir). Muat ulang halaman; isian Anda masih di kolom.",
        "The server refused the entry (the session may have ended). Reload the page; your digits are kept.",
    ),
    "answer": ("Jawaban", "Answer"),
    "profile": ("Profil", "Profile"),
    "none": ("–", "–"),
}
ACTIONS = {
    "answer.edit": ("Diubah", "Edited"),
    "answer.delete": ("Dihapus", "Deleted"),
    "answer.exclude": ("Dikecualikan", "Excluded"),
    "answer.include": ("Diikutkan kembali", "Included again"),
}


def _lang() -> str:
    return "en" if translation.get_language() == "en" else "id"


def _t(key: str, language: str | None = None, **params: Any) -> str:
    text = TEXT[key][1 if (language or _lang()) == "en" else 0]
    return text.format(**params) if params else text


def _texts(language: str, **params: Any) -> dict[str, str]:
    return {key: (pair[1] if language == "en" else pair[0]) for key, pair in TEXT.items()} | params


# --- the digit line ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One position of the digit line: an IKM question or a profile field."""

    key: str  # the field name validate() takes: element or profile key
    code: str  # "U1" … or "JK"
    header: str  # the Pemda's short column header, or the profile field's label
    kind: str  # "answer" | "profile"
    choices: tuple[tuple[str, str, str], ...]  # (typed digit, stored value/code, label)

    def lookup(self, token: str) -> str | None:
        for digit, value, _ in self.choices:
            if token == digit:
                return value
        if self.kind == "profile":  # single-letter codes may be typed as such (L/P)
            for _, value, _ in self.choices:
                if len(value) == 1 and token.upper() == value.upper():
                    return value
        return None

    def digit_of(self, value: Any) -> str:
        if value is None or value == "":
            return "-"
        for digit, stored, _ in self.choices:
            if str(value) == stored:
                return digit
        return "?"

    def label_of(self, value: Any) -> str:
        for _, stored, label in self.choices:
            if str(value) == stored:
                return label
        return ""

    @property
    def allowed(self) -> str:
        return f"{self.choices[0][0]}–{self.choices[-1][0]}" if self.choices else "–"


def columns_for(spec: InstrumentSpec, language: str = "id") -> list[Column]:
    """The positions of the digit line for `spec`: its IKM questions in order, then the profile."""
    en = language == "en"
    cols = [
        Column(
            key=q.element,
            code=q.code,
            header=q.header or q.name,
            kind="answer",
            choices=tuple(
                (str(o.value), str(o.value), (o.label_en if en and o.label_en else o.label))
                for o in q.options
            ),
        )
        for q in spec.ikm_questions
    ]
    for item in spec.profile:
        cols.append(
            Column(
                key=item.key,
                code=(PROFILE_ABBR_EN if en else PROFILE_ABBR).get(item.key, item.key[:4]),
                header=item.label_en if en and item.label_en else item.label,
                kind="profile",
                choices=tuple(
                    (str(i), o.code, (o.label_en if en and o.label_en else o.label))
                    for i, o in enumerate(item.options, start=1)
                ),
            )
        )
    return cols


class EntryError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_digits(text: str, columns: list[Column], language: str = "id") -> dict[str, str]:
    """``"343343442 2334"`` → {element/profile key: value or ""}; raise EntryError in plain words.

    Whitespace is ignored; each other character is one position. Either all positions are typed
    or only the answers (no profile). ``0`` and ``-`` are blanks.
    """
    tokens = [ch for ch in text if not ch.isspace()]
    n_answers = sum(1 for c in columns if c.kind == "answer")
    if len(tokens) not in (n_answers, len(columns)):
        raise EntryError(
            [
                _t(
                    "count",
                    language,
                    n=len(tokens),
                    a=n_answers,
                    p=len(columns) - n_answers,
                    total=len(columns),
                )
            ]
        )
    values = {c.key: "" for c in columns}
    problems = []
    for column, token in zip(columns, tokens, strict=False):
        if token in BLANKS:
            continue
        value = column.lookup(token)
        if value is None:
            problems.append(
                _t(
                    "bad_digit",
                    language,
                    code=column.code,
                    header=column.header,
                    value=token,
                    allowed=column.allowed,
                )
            )
        else:
            values[column.key] = value
    if problems:
        raise EntryError(problems)
    return values


def digits_of(values: Mapping[str, Any], columns: list[Column]) -> str:
    """The digit line of stored values, grouped as typed: answers, a space, the profile."""
    answers = "".join(c.digit_of(values.get(c.key)) for c in columns if c.kind == "answer")
    profile = "".join(c.digit_of(values.get(c.key)) for c in columns if c.kind == "profile")
    return f"{answers} {profile}" if profile else answers


def _answer_values(answer: Answer) -> dict[str, Any]:
    return {key: getattr(answer, key) for key in (*changes.EDITABLE, "excluded")}


# --- access -----------------------------------------------------------------------------------


def _unit(request: HttpRequest, unit_slug: str) -> Unit:
    return get_for_user(
        Unit.objects.filter(active=True).select_related("pemda").prefetch_related("services"),
        request.user,
        "change",
        slug=unit_slug,
    )


def _paper_answers(request: HttpRequest, unit: Unit):
    return Answer.objects.for_user(request.user, "change").filter(unit=unit, channel=Channel.MANUAL)


def _services(unit: Unit, also: Iterable[int | None] = ()) -> list[Layanan]:
    """The unit's active services (plus any in `also`); `unit.services` is fetched once per request."""
    keep = {pk for pk in also if pk}
    return [s for s in unit.services.all() if s.active or s.pk in keep]


def _today(unit: Unit) -> dt.date:
    return timezone.localtime(timezone.now(), unit.pemda.tz).date()


def _new_key() -> str:
    return f"kertas-{secrets.token_urlsafe(18)}"


# --- views ------------------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET"])
def units(request: HttpRequest) -> HttpResponse:
    rows = (
        Unit.objects.for_user(request.user, "change")
        .filter(active=True)
        .select_related("perangkat_daerah")
        .annotate(paper=Count("answers", filter=Q(answers__channel=Channel.MANUAL)))
        .order_by("pemda__name", "perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    )
    language = _lang()
    return render(request, "collection/entry_units.html", {"units": list(rows), "t": _texts(language)})


@admin_required
@require_http_methods(["GET", "POST"])
def grid(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    language = _lang()
    spec = current_spec(unit.pemda_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if spec is None:
        if wants_json:
            return JsonResponse({"ok": False, "errors": [message("no_instrument", language)]}, status=409)
        return render(
            request,
            "collection/entry_grid.html",
            {"unit": unit, "t": _texts(language), "no_instrument": message("no_instrument", language)},
        )
    columns = columns_for(spec, language)
    services = _services(unit)
    today = _today(unit)
    source = request.POST if request.method == "POST" else request.GET
    batch = {
        "tanggal": (source.get("tanggal") or today.isoformat()).strip(),
        "layanan": (source.get("layanan") or "").strip(),
    }
    form = {
        "isian": "",
        "saran": "",
        "layanan_baris": "",
        "kunci": _new_key(),
    }
    errors: list[str] = []
    if request.method == "POST":
        form = {
            "isian": request.POST.get("isian", ""),
            "saran": request.POST.get("saran", ""),
            "layanan_baris": request.POST.get("layanan_baris", "").strip(),
            "kunci": request.POST.get("kunci", "").strip(),
        }
        try:
            answer, created = _save(request, unit, spec, columns, services, batch, form, today, language)
        except EntryError as exc:
            errors = exc.problems
            if wants_json:
                return JsonResponse({"ok": False, "errors": errors}, status=422)
        else:
            note = _saved_note(answer, created, form["isian"], columns, language)
            if wants_json:
                row = _row(answer, columns, language)
                return JsonResponse(
                    {
                        "ok": True,
                        "created": created,
                        "id": answer.pk,
                        "message": note,
                        "next_key": _new_key(),
                        "row_html": render_to_string(
                            "collection/entry_row.html",
                            {"row": row, "unit": unit, "t": _texts(language)},
                            request=request,
                        ),
                    },
                    status=201 if created else 200,
                )
            messages.success(request, note)
            query = urlencode({k: v for k, v in batch.items() if v})
            # 303: the browser fetches the grid afresh; a reload does not post again.
            return HttpResponseRedirect(f"{reverse('entry:grid', args=[unit.slug])}?{query}", status=303)
    return render(
        request,
        "collection/entry_grid.html",
        _grid_context(request, unit, spec, columns, services, batch, form, errors, today, language),
    )


def _save(
    request: HttpRequest,
    unit: Unit,
    spec: InstrumentSpec,
    columns: list[Column],
    services: list[Layanan],
    batch: dict[str, str],
    form: dict[str, str],
    today: dt.date,
    language: str,
) -> tuple[Answer, bool]:
    """Parse, validate and submit one typed questionnaire; EntryError lists what is wrong."""
    data: dict[str, Any] = parse_digits(form["isian"], columns, language)
    # Today means "now"; an earlier date is the date written on the form (noon, local time).
    day = batch["tanggal"]
    data.update(service=form["layanan_baris"] or batch["layanan"], suggestion=form["saran"])
    received = Received(data, key=form["kunci"], answered_at="" if day == today.isoformat() else day)
    try:
        submission = validate(
            received, unit=unit, spec=spec, channel=Channel.MANUAL, services=services, language=language
        )
        receipt = submit(submission, Origin(user=request.user))
        answer_id, created = receipt.answer_id, receipt.created
    except Invalid as exc:
        raise EntryError(list(exc.errors.values())) from None
    except Throttled:
        raise EntryError([message("rate_limited", language)]) from None
    except KeyConflict as exc:  # this line was saved before with other digits: say which, as before
        answer_id, created = exc.answer_id, False
    answer = Answer.objects.select_related("service", "entered_by").filter(pk=answer_id, unit=unit).first()
    if answer is None or answer.channel != Channel.MANUAL:
        raise EntryError([_t("key_taken", language)])
    return answer, created


def _saved_note(answer: Answer, created: bool, typed: str, columns: list[Column], language: str) -> str:
    if created:
        return _t("saved", language, n=answer.pk)
    stored = digits_of(_answer_values(answer), columns)
    try:
        same = digits_of(parse_digits(typed, columns, language), columns) == stored
    except EntryError:
        same = False
    if same:
        return _t("already", language, n=answer.pk)
    return _t("already_differs", language, n=answer.pk, digits=stored)


@dataclass
class Row:
    answer: Answer
    cells: list[tuple[str, str, str]]  # (digit, label, css class)
    digits: str


def _row(answer: Answer, columns: list[Column], language: str) -> Row:
    values = _answer_values(answer)
    cells = []
    for column in columns:
        value = values.get(column.key)
        digit = column.digit_of(value)
        css = "blank" if digit == "-" else column.kind
        cells.append((digit, column.label_of(value), css))
    return Row(answer, cells, digits_of(values, columns))


def _columns_by_version(version_ids: Iterable[int], language: str) -> dict[int, list[Column]]:
    """Columns per instrument version, so an older answer shows its digits in its own order."""
    versions = InstrumentVersion.objects.filter(pk__in=set(version_ids))
    return {version.pk: columns_for(spec_for(version), language) for version in versions}


def _grid_context(
    request: HttpRequest,
    unit: Unit,
    spec: InstrumentSpec,
    columns: list[Column],
    services: list[Layanan],
    batch: dict[str, str],
    form: dict[str, str],
    errors: list[str],
    today: dt.date,
    language: str,
) -> dict[str, Any]:
    paper = _paper_answers(request, unit).select_related("service", "entered_by").order_by("-pk")
    page = Paginator(paper, PAGE_SIZE).get_page(request.GET.get("halaman"))
    answers = list(page.object_list)
    by_version = {spec.version_id: columns}
    other_versions = {a.instrument_version_id for a in answers} - {spec.version_id}
    if other_versions:
        by_version |= _columns_by_version(other_versions, language)
    rows = [_row(a, by_version.get(a.instrument_version_id, columns), language) for a in answers]
    n_answers = sum(1 for c in columns if c.kind == "answer")
    keep = urlencode({k: v for k, v in batch.items() if v})
    return {
        "unit": unit,
        "spec": spec,
        "columns": columns,
        "answer_columns": [c for c in columns if c.kind == "answer"],
        "profile_columns": [c for c in columns if c.kind == "profile"],
        "services": services,
        "batch": batch,
        "form": form,
        "errors": errors,
        "page": page,
        "rows": rows,
        "keep": keep,
        "audit": _audit_rows(request, unit, columns, list(unit.services.all()), language),
        "min_date": earliest_day(today).isoformat(),  # validate() refuses earlier days
        "max_date": today.isoformat(),
        "t": _texts(language)
        | {
            "entry_hint": _t("entry_hint", language, a=n_answers, p=len(columns) - n_answers),
            "total": _t("total", language, n=page.paginator.count),
            "page": _t("page", language, n=page.number, of=page.paginator.num_pages),
        },
        **_preview_context(columns, language),
    }


def _preview_context(columns: list[Column], language: str) -> dict[str, Any]:
    """What entry.js needs for the live preview: the positions and the message templates."""
    pick = 1 if language == "en" else 0
    return {
        "columns_json": [
            {"key": c.key, "code": c.code, "header": c.header, "kind": c.kind, "choices": c.choices}
            for c in columns
        ],
        "js_text": {
            "network": _t("network", language),
            "reload": _t("reload", language),
            "count": TEXT["count"][pick],
            "bad_digit": TEXT["bad_digit"][pick],
            "total": TEXT["total"][pick],
        },
    }


def _audit_rows(
    request: HttpRequest, unit: Unit, columns: list[Column], all_services: list[Layanan], language: str
) -> list[dict[str, Any]]:
    """This unit's changes to paper answers: who, when, what (before → after), why."""
    paper_ids = (
        Answer.objects.filter(unit=unit, channel=Channel.MANUAL)
        .annotate(sid=Cast("pk", CharField()))
        .values("sid")
    )
    # A deleted answer is gone: its channel is known only if the snapshot recorded it.
    deleted_paper = Q(action="answer.delete") & (
        Q(before__channel=Channel.MANUAL) | ~Q(before__has_key="channel")
    )
    events = (
        AuditEvent.objects.for_user(request.user)
        .filter(unit=unit, action__in=list(ACTIONS))
        .filter(Q(object_id__in=paper_ids) | deleted_paper)
        .select_related("user")[:AUDIT_LIMIT]
    )
    names = {c.key: f"{c.code} {c.header}" for c in columns}
    by_key = {c.key: c for c in columns}
    service_names = {s.pk: s.name for s in all_services}
    en = language == "en"

    def show(key: str, value: Any) -> str:
        if value is None or value == "":
            return "–"
        if key == "service_id":
            return service_names.get(value, f"#{value}")
        if key == "excluded":
            return ("yes" if en else "ya") if value else ("no" if en else "tidak")
        if key == "suggestion":
            text = str(value)
            return text if len(text) <= 60 else text[:59] + "…"
        column = by_key.get(key)
        if column is not None and column.kind == "profile":
            return column.label_of(value) or str(value)
        return str(value)

    labels = names | {
        "service_id": _t("service", language),
        "suggestion": "Suggestion" if en else "Saran",
        "excluded": _t("excluded", language),
    }
    rows = []
    for event in events:
        before, after = event.before or {}, event.after or {}
        if event.action == "answer.delete":
            details = [digits_of(before, columns)] if before else []
        else:
            details = [
                f"{labels.get(key, key)}: {show(key, before.get(key))} → {show(key, after.get(key))}"
                for key in after
                if key in labels and before.get(key) != after.get(key)
            ]
        rows.append(
            {
                "event": event,
                "action": ACTIONS[event.action][1 if en else 0],
                "details": details,
                "answer_id": event.object_id,
            }
        )
    return rows


@admin_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, unit_slug: str, answer_id: int) -> HttpResponse:
    unit = _unit(request, unit_slug)
    answer = get_for_user(
        Answer.objects.filter(unit=unit, channel=Channel.MANUAL).select_related(
            "service", "entered_by", "instrument_version"
        ),
        request.user,
        "change",
        pk=answer_id,
    )
    language = _lang()
    spec = spec_for(answer.instrument_version)
    columns = columns_for(spec, language)
    services = _services(unit, also=[answer.service_id])
    values = _answer_values(answer)
    form = {
        "isian": digits_of(values, columns),
        "layanan": str(answer.service_id or ""),
        "saran": answer.suggestion,
        "alasan": "",
    }
    errors: list[str] = []
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        try:
            data: dict[str, Any] = parse_digits(form["isian"], columns, language)
            data.update(service=form["layanan"], suggestion=form["saran"])
            clean = validate(  # an edit stores no new answer: no key
                Received(data),
                unit=unit,
                spec=spec,
                channel=Channel.MANUAL,
                services=services,
                language=language,
            )
        except EntryError as exc:
            errors = exc.problems
        except Invalid as exc:
            errors = list(exc.errors.values())
        else:
            new = {**clean.values} | {
                c.key: clean.profile.get(c.key, "") for c in columns if c.kind == "profile"
            }
            new["service_id"] = clean.service.pk if clean.service else None
            new["suggestion"] = clean.suggestion
            diff = {key: value for key, value in new.items() if values.get(key) != value}
            if diff:
                changes.edit(answer, diff, user=request.user, reason=form["alasan"].strip())
                messages.success(request, _t("edited", language, n=answer.pk))
            else:
                messages.info(request, _t("unchanged", language, n=answer.pk))
            return redirect("entry:grid", unit.slug)
    return render(
        request,
        "collection/entry_edit.html",
        {
            "unit": unit,
            "answer": answer,
            "row": _row(answer, columns, language),
            "columns": columns,
            "services": services,
            "form": form,
            "errors": errors,
            **_preview_context(columns, language),
            "t": _texts(language)
            | {
                "edit_title": _t("edit_title", language, n=answer.pk),
                "entry_hint": _t(
                    "edit_hint", language, a=len(spec.ikm_questions), p=len(columns) - len(spec.ikm_questions)
                ),
            },
        },
    )


@admin_required
@require_POST
def exclude(request: HttpRequest, unit_slug: str, answer_id: int) -> HttpResponse:
    unit = _unit(request, unit_slug)
    answer = get_for_user(_paper_answers(request, unit), request.user, "change", pk=answer_id)
    language = _lang()
    excluded = request.POST.get("kecualikan") == "1"
    reason = request.POST.get("alasan", "").strip() or (
        _t("exclude", language) if excluded else _t("include", language)
    )
    changes.set_excluded(answer, excluded, user=request.user, reason=reason)
    messages.success(request, _t("excluded_msg" if excluded else "included_msg", language, n=answer.pk))
    return redirect("entry:edit", unit.slug, answer.pk)


@admin_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, unit_slug: str, answer_id: int) -> HttpResponse:
    unit = _unit(request, unit_slug)
    answer = get_for_user(
        _paper_answers(request, unit).select_related("instrument_version", "service"),
        request.user,
        "change",
        pk=answer_id,
    )
    language = _lang()
    if request.method == "POST":
        changes.delete(answer, user=request.user, reason=request.POST.get("alasan", "").strip())
        messages.success(request, _t("deleted", language, n=answer_id))
        return redirect("entry:grid", unit.slug)
    columns = columns_for(spec_for(answer.instrument_version), language)
    return render(
        request,
        "collection/entry_delete.html",
        {
            "unit": unit,
            "answer": answer,
            "row": _row(answer, columns, language),
            "columns": columns,
            "t": _texts(language) | {"delete_title": _t("delete_title", language, n=answer.pk)},
        },
    )
