"""Bulk import of answers from CSV/XLSX (SPEC §7): our column template or a Google Forms export.

`read()` turns a file into a `Preview` (dry run: the column mapping, every row judged by the same
`validate()` as every other channel, the rows already received); `save()` stores a clean preview
in one transaction, all rows or none, with its rollups. Nothing here knows about HTTP: the upload
pages (`views/imports.py`) and `skm import-answers` call these two functions.

Two formats, told apart automatically:

* **columns** (our template): `tanggal`, optional `layanan`, `u1 … u9` in the Pemda's order (or the
  element names, or the Pemda's column headers), `jenis_kelamin`, `usia`, `pendidikan`,
  `pekerjaan`, `saran`, optional `kunci`. Headers must match exactly (after normalising).
* **google-forms**: a "Timestamp"/"Stempel waktu" column, then one column per question whose
  header is the question's wording (matched by text similarity, so a slightly edited wording
  still finds its question) and whose cells are option labels.

Each row's idempotency key is its `kunci` or `imp-<24 hex of the file's SHA-256>-<row number>`,
so importing the same file twice stores nothing new. Keys belong to the unit (`skm.collection.keys`):
a key already stored *in this unit* is the same questionnaire again ("already imported") when its
content is equal, and a row error when it is not; another unit's keys are never looked at.

Reading is bounded (`LIMITS`): the file is streamed row by row, only the cells of the mapped
columns are kept, and the first row, column or cell beyond a limit stops it with a message. Only
the first rows with problems keep their messages (`PROBLEMS_KEPT`); the rest are counted. A
preview can be kept as JSON (`kept` / `restored`), so the upload pages save exactly what they
showed without reading the file again.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from skm.accounts import audit
from skm.collection import bulk, rollups
from skm.collection.keys import CONTENT_COLUMNS, same_content
from skm.collection.models import Answer, Channel
from skm.collection.validation import Invalid, Received, Submission, validate
from skm.instrument.spec import InstrumentSpec, ProfileSpec, QuestionSpec, current_spec
from skm.lib.errors import message as shared_message
from skm.lib.tabular import MAX_BYTES, Limits, iter_grid
from skm.organisation.models import Layanan, Unit
from skm.scoring.elements import ELEMENTS

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the upload page; the command takes up to LIMITS.bytes
UPLOAD_SUFFIXES = (".csv", ".xlsx")
# What one import reads at most (README, "Impor jawaban"); beyond, the file is refused where the
# limit was hit, before anything else is done with it.
# * rows 100,000: a year of answers of one unit. The busiest counters (a Puskesmas, Dukcapil) take
#   some hundreds of questionnaires a day, 50,000–80,000 a year; the judged rows of 100,000 stay
#   within tens of MB.
# * columns 100: our template has 17, a Google Forms export one per question plus timestamp,
#   e-mail and profile (20–40); a form with extra questions still fits. Cells after a row's last
#   one holding text do not count.
# * cell 5,000 characters: the longest thing a cell holds is a suggestion, stored up to 2,000
#   (validation.SUGGESTION_LIMIT); a longer one still reaches that row-level message.
# * bytes 50 MB for `skm import-answers` (the upload page stops at MAX_UPLOAD_BYTES first).
LIMITS = Limits(rows=100_000, columns=100, cell=5_000, bytes=MAX_BYTES)
PREVIEW_ROWS = 20
# Rows with problems whose messages are kept and shown. Every row with a problem is counted, but
# past these one problem settles it: a file of garbage is not judged cell by cell to the end.
PROBLEMS_KEPT = 50
MEMO_SIZE = 1_000  # distinct cells a column's reader remembers (labels repeat; garbage does not)
IN_CHUNK = 900  # SQLite's historical limit on bound parameters is 999
FUZZY_THRESHOLD = 0.65


class Format(StrEnum):
    AUTO = "auto"
    COLUMNS = "columns"
    GOOGLE_FORMS = "google-forms"


FORMAT_LABELS = {
    Format.AUTO: ("otomatis", "automatic"),
    Format.COLUMNS: ("kolom templat", "template columns"),
    Format.GOOGLE_FORMS: ("ekspor Google Forms", "Google Forms export"),
}

# Messages of this importer (code → Indonesian, English); the answer messages themselves come
# from validate() and skm.lib.errors.
MESSAGES: dict[str, tuple[str, str]] = {
    "columns_missing": (
        "Kolom untuk pertanyaan berikut tidak ditemukan: {missing}. Ganti judul kolomnya dengan "
        "kode (u1 … u9) atau bunyi pertanyaan, atau pilih format yang sesuai.",
        "No column was found for these questions: {missing}. Rename the column to its code "
        "(u1 … u9) or the question's wording, or choose the right format.",
    ),
    "time_column_missing": (
        "Kolom tanggal/waktu pengisian tidak ditemukan (judul 'tanggal', 'Timestamp' atau 'Stempel waktu').",
        "No date/time column was found (header 'tanggal', 'Timestamp' or 'Stempel waktu').",
    ),
    "no_rows": ("Berkas tidak berisi satu baris jawaban pun.", "The file holds no answer rows."),
    "time_missing": (
        "Tanggal/waktu pengisian (kolom '{column}') kosong.",
        "The date/time (column '{column}') is empty.",
    ),
    "time_unreadable": (
        "'{value}' pada kolom '{column}' bukan tanggal/waktu yang dikenali "
        "(contoh: 2024-03-05 10:12, 05/03/2024 10:12:33, 2024/03/05 10:12:33 AM GMT+8).",
        "'{value}' in column '{column}' is not a recognised date/time "
        "(e.g. 2024-03-05 10:12, 05/03/2024 10:12:33, 2024/03/05 10:12:33 AM GMT+8).",
    ),
    "label_unknown": (
        "'{value}' pada kolom '{column}' ({code} {name}) bukan pilihan yang sah; pilih salah satu: {choices}.",
        "'{value}' in column '{column}' ({code} {name}) is not a valid choice; choose one of: {choices}.",
    ),
    "profile_unknown": (
        "'{value}' pada kolom '{column}' bukan pilihan {label} yang sah; pilih salah satu: {choices}.",
        "'{value}' in column '{column}' is not a valid {label}; choose one of: {choices}.",
    ),
    "no_answers": (
        "Baris ini tidak berisi satu jawaban pun untuk U1–U{n}.",
        "This row holds no answer at all for U1–U{n}.",
    ),
    "key_duplicate": (
        "Kunci '{value}' sudah dipakai di baris {other}.",
        "Key '{value}' is already used on row {other}.",
    ),
    "key_conflict": (
        "Kunci '{value}' sudah dipakai untuk kuesioner lain di unit ini (jawaban #{id}). Beri kunci "
        "lain, atau hapus kolom kunci bila berkas ini berbeda.",
        "Key '{value}' is already used for another questionnaire in this unit (answer #{id}). Give it "
        "another key, or remove the key column if this file is a different one.",
    ),
    "save_conflict": (
        "Sejak pratinjau dibuat, kunci '{value}' (baris {row}) dipakai untuk kuesioner lain di unit ini. "
        "Tidak ada yang disimpan; unggah ulang berkasnya.",
        "Since the preview was made, key '{value}' (row {row}) was used for another questionnaire in "
        "this unit. Nothing was saved; upload the file again.",
    ),
    "save_stale": (
        "Kuesioner atau jenis layanan unit ini berubah sejak pratinjau dibuat. Tidak ada yang disimpan; "
        "unggah ulang berkasnya.",
        "The questionnaire or the services of this unit changed since the preview was made. Nothing "
        "was saved; upload the file again.",
    ),
}


def _message(error: str, language: str, /, **params: object) -> str:
    id_text, en_text = MESSAGES[error]
    return (en_text if language == "en" else id_text).format(**params)


# --- Text normalisation and similarity ----------------------------------------------------------


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def norm(text: object) -> str:
    """'Sangat  Sesuai!' → 'sangat sesuai'; '≤ 18 tahun' → '18 tahun': lower case, no accents or punctuation."""
    text = str(text or "")
    if text.isascii():  # nearly every cell: nothing to decompose, casefold is lower
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text).casefold()
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


# Words that every question shares ("Bagaimana pendapat Saudara tentang …"): comparing without
# them keeps the distinctive part ("kesesuaian persyaratan") from drowning in the common prefix.
_FILLER_WORDS = (
    "bagaimana pendapat penilaian menurut saudara anda bapak ibu kamu tentang terhadap dengan dalam "
    "yang di ini itu dan atau apa apakah pelayanan layanan unit jenis"
)
_FILLER = frozenset(_FILLER_WORDS.split())


def _distinct(normed: str) -> str:
    return " ".join(w for w in normed.split() if w not in _FILLER)


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Column targets -----------------------------------------------------------------------------

TIME, SERVICE, SUGGESTION, CONTACT, KEY = "time", "service", "suggestion", "contact", "key"

_META_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # target: (exact names, words that mark a short header as this column)
    TIME: (
        (
            "tanggal",
            "timestamp",
            "stempel waktu",
            "cap waktu",
            "tanda waktu",
            "tanggal pengisian",
            "waktu pengisian",
            "tanggal survei",
            "tanggal dan waktu",
            "tanggal waktu",
            "date",
            "date time",
            "submitted at",
        ),
        ("tanggal", "timestamp"),
    ),
    SERVICE: (
        (
            "layanan",
            "jenis layanan",
            "jenis pelayanan",
            "nama layanan",
            "layanan yang diterima",
            "layanan yang anda terima",
            "service",
        ),
        ("layanan",),
    ),
    SUGGESTION: (
        (
            "saran",
            "kritik dan saran",
            "saran dan kritik",
            "saran dan masukan",
            "kritik saran",
            "saran masukan",
            "masukan",
            "kritik",
            "komentar",
            "suggestion",
            "saran masukan",
        ),
        ("saran", "kritik", "masukan", "komentar"),
    ),
    CONTACT: (
        ("kontak", "kontak opsional", "email address", "alamat email", "email", "nomor hp", "no hp"),
        ("kontak", "email"),
    ),
    KEY: (("kunci", "kunci pengiriman", "idempotency key"), ()),
}
_PROFILE_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "gender": (("jenis kelamin", "kelamin", "gender", "jk", "sex"), ("kelamin", "gender")),
    "age_band": (
        ("usia", "umur", "age", "usia tahun", "umur tahun", "kelompok usia", "kelompok umur"),
        ("usia", "umur"),
    ),
    "education": (
        ("pendidikan", "pendidikan terakhir", "tingkat pendidikan", "education"),
        ("pendidikan",),
    ),
    "occupation": (("pekerjaan", "pekerjaan utama", "profesi", "occupation"), ("pekerjaan", "profesi")),
}


# Words that mark a meta or profile column never mark a question ("saran" in the name of the
# pengaduan unsur must not pull the suggestion column).
_META_MARKS = frozenset(m for _, marks in (*_META_NAMES.values(), *_PROFILE_NAMES.values()) for m in marks)


@dataclass
class _Target:
    key: str  # "q:<field>", "p:<profile key>" or a meta name (time, service, …)
    label: str  # what people read in the mapping: "U1 · Persyaratan"
    exact: frozenset[str]  # normalised names that match exactly
    marks: tuple[str, ...] = ()  # words that, in a header, point at this target
    texts: tuple[str, ...] = ()  # long wordings (question texts), normalised
    question: QuestionSpec | None = None
    profile: ProfileSpec | None = None


def _targets(spec: InstrumentSpec, language: str) -> list[_Target]:
    targets: list[_Target] = []
    # Words of a question's name/header that no other question uses ("persyaratan", "sarpras").
    words = {
        q.field: set(_distinct(norm(f"{q.name} {q.header} {q.element}")).split()) for q in spec.questions
    }
    seen = Counter(w for ws in words.values() for w in ws)
    for q in spec.questions:
        code = norm(q.code)
        names = {code, norm(q.element), norm(q.name), norm(q.header)}
        names |= {f"{code} {n}" for n in (norm(q.header), norm(q.name), norm(q.element)) if n}
        names |= {norm(q.text), norm(q.text_en)}
        marks = tuple(
            sorted(w for w in words[q.field] if seen[w] == 1 and len(w) >= 4 and w not in _META_MARKS)
        )
        targets.append(
            _Target(
                key=f"q:{q.field}",
                label=f"{q.code} · {q.name}",
                exact=frozenset(n for n in names if n),
                marks=marks,
                texts=tuple(t for t in (norm(q.text), norm(q.text_en)) if t),
                question=q,
            )
        )
    for item in spec.profile:
        exact, marks = _PROFILE_NAMES.get(item.key, ((), ()))
        names = {norm(n) for n in exact} | {norm(item.label), norm(item.label_en), norm(item.key)}
        label = item.label_en if language == "en" and item.label_en else item.label
        targets.append(
            _Target(
                key=f"p:{item.key}",
                label=label,
                exact=frozenset(n for n in names if n),
                marks=marks,
                profile=item,
            )
        )
    meta_labels = {
        TIME: ("Tanggal/waktu pengisian", "Date/time"),
        SERVICE: ("Jenis layanan", "Service"),
        SUGGESTION: ("Saran", "Suggestion"),
        CONTACT: ("Kontak", "Contact"),
        KEY: ("Kunci (idempotensi)", "Key (idempotency)"),
    }
    for key, (exact, marks) in _META_NAMES.items():
        label = meta_labels[key][1 if language == "en" else 0]
        targets.append(_Target(key=key, label=label, exact=frozenset(norm(n) for n in exact), marks=marks))
    return targets


def _score(header: str, target: _Target, fuzzy: bool) -> float:
    """How well a header names a target: 1.0 for an exact name, else a similarity (fuzzy only)."""
    h = re.sub(r"^u (\d+)\b", r"u\1", norm(header))  # "U 1" is "u1"
    if not h:
        return 0.0
    if h in target.exact:
        return 1.0
    # Google Forms grid questions export as "Question [Row]": the row label names the item.
    bracket = re.search(r"\[([^\]]+)\]\s*$", header)
    if bracket and norm(bracket.group(1)) in target.exact:
        return 0.99
    if not fuzzy:
        return 0.0
    best = 0.0
    words = h.split()
    short = len(words) <= 5
    if target.texts:
        hd = _distinct(h)
        for text in target.texts:
            best = max(best, (_ratio(hd, _distinct(text)) + _ratio(h, text)) / 2)
    if short:
        for name in target.exact:
            if len(name.split()) <= 6:
                best = max(best, _ratio(h, name))
    if target.question is None:
        # "Jenis kelamin Anda" is the gender column; a long header that merely mentions "saran"
        # stays below any question that matches its wording; the earlier the word, the likelier
        # it names the column ("Saran … untuk perbaikan layanan" is the suggestion).
        at = [i for i, w in enumerate(words) if w in target.marks]
        if at and len(words) <= 15:
            best = max(best, (0.9 if short else 0.68) - 0.001 * at[0])
    elif any(m in words for m in target.marks):
        best = max(best, 0.7)
    return best


@dataclass
class Column:
    """One header of the file and what it became."""

    index: int
    header: str
    target: str = ""  # "" = not used
    label: str = ""
    score: float = 0.0

    @property
    def exact(self) -> bool:
        return self.score >= 0.99

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def map_columns(
    headers: Sequence[str], spec: InstrumentSpec, fmt: Format, language: str = "id"
) -> tuple[list[Column], list[_Target]]:
    """Match each header to at most one target (best scores first); returns the columns and the targets."""
    targets = _targets(spec, language)
    fuzzy = fmt == Format.GOOGLE_FORMS
    candidates = []
    for i, header in enumerate(headers):
        if not str(header).strip():
            continue
        for t, target in enumerate(targets):
            score = _score(str(header), target, fuzzy)
            if score >= (1.0 if not fuzzy else FUZZY_THRESHOLD):
                candidates.append((-score, i, t))
    candidates.sort()
    columns = [Column(i, str(h).strip()) for i, h in enumerate(headers) if str(h).strip()]
    by_index = {c.index: c for c in columns}
    taken: set[int] = set()
    for neg, i, t in candidates:
        column = by_index[i]
        if column.target or t in taken:
            continue
        taken.add(t)
        column.target, column.label, column.score = targets[t].key, targets[t].label, -neg
    return columns, targets


def detect_format(headers: Sequence[str], spec: InstrumentSpec) -> Format:
    """Columns when the exact names find the date and every IKM question; otherwise Google Forms."""
    columns, targets = map_columns(headers, spec, Format.COLUMNS)
    found = {c.target for c in columns}
    needed = {TIME} | {f"q:{q.field}" for q in spec.ikm_questions}
    wordings = {norm(t) for target in targets for t in target.texts}
    by_wording = any(c.target.startswith("q:") and norm(c.header) in wordings for c in columns)
    return Format.COLUMNS if needed <= found and not by_wording else Format.GOOGLE_FORMS


# --- Cells ------------------------------------------------------------------------------------

_PREFIX = re.compile(r"^\s*\(?([A-Za-z]|\d{1,2})\s*[.):\]–-]\s*(.+)$")  # "d. Sangat sesuai", "4 - …"


class _Unknown(ValueError):
    pass


_NOT_A_CHOICE = object()


class _Memo:
    """A cell reader that remembers: a column of 10,000 rows holds a handful of distinct labels.

    Up to MEMO_SIZE of them: a column of garbage holds as many distinct cells as rows. A cell that
    is no choice is remembered as a mark, and raised anew each time (an exception raised again
    keeps growing its traceback)."""

    def __init__(self) -> None:
        self.memo: dict[str, Any] = {}

    def __call__(self, cell: str) -> Any:
        try:
            found = self.memo[cell]
        except KeyError:
            try:
                found = self._read(cell)
            except _Unknown:
                found = _NOT_A_CHOICE
            if len(self.memo) < MEMO_SIZE:
                self.memo[cell] = found
        if found is _NOT_A_CHOICE:
            raise _Unknown(cell)
        return found

    def _read(self, cell: str) -> Any:
        raise NotImplementedError


class _OptionMatcher(_Memo):
    """Cell → option value for one question: labels (any case/spacing), "4", "d", "d. Sangat sesuai"."""

    def __init__(self, question: QuestionSpec) -> None:
        super().__init__()
        options = sorted(question.options, key=lambda o: o.value)
        self.labels: dict[str, int] = {}
        for option in options:
            for label in (option.label, option.label_en):
                if norm(label):
                    self.labels.setdefault(norm(label), option.value)
        self.values = {o.value for o in options}
        self.letters = {chr(ord("a") + i): o.value for i, o in enumerate(options)}
        self.choices = ", ".join(o.label for o in options)
        if options:
            self.choices += f" (atau {options[0].value}–{options[-1].value})"

    def _read(self, cell: str) -> int | None:
        text = cell.strip()
        if not text:
            return None
        key = norm(text)
        if key in self.labels:
            return self.labels[key]
        if key.isdigit() and int(key) in self.values:
            return int(key)
        if len(key) == 1 and key in self.letters:
            return self.letters[key]
        prefixed = _PREFIX.match(text)
        if prefixed and norm(prefixed.group(2)) in self.labels:
            return self.labels[norm(prefixed.group(2))]
        raise _Unknown(text)


# Sensible readings of what people write in a profile column, by stable profile code.
_PROFILE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {
        "L": ("l", "lk", "laki", "laki laki", "lelaki", "pria", "male", "m"),
        "P": ("p", "pr", "perempuan", "wanita", "female", "f"),
    },
    "education": {
        "sd": ("sd", "mi", "sd sederajat", "tidak sekolah", "tidak tamat sd", "belum sekolah", "sd ke bawah"),
        "smp": ("smp", "sltp", "mts", "smp sederajat"),
        "sma": ("sma", "smk", "slta", "ma", "mak", "sma smk", "sma sederajat", "slta sederajat"),
        "d3": ("d1", "d2", "d3", "diploma", "d1 d3", "d i", "d ii", "d iii"),
        "s1": ("d4", "s1", "sarjana", "d4 s1", "d iv", "strata 1"),
        "s2": ("s2", "s3", "magister", "doktor", "pascasarjana", "s2 s3", "s2 ke atas", "strata 2"),
    },
    "occupation": {
        "pns": ("pns", "asn", "pns asn", "pegawai negeri", "pegawai negeri sipil", "pppk"),
        "tni": ("tni", "polri", "tni polri", "polisi", "tentara"),
        "swasta": ("swasta", "pegawai swasta", "karyawan", "karyawan swasta", "buruh"),
        "wirausaha": ("wirausaha", "wiraswasta", "pengusaha", "pedagang", "usaha sendiri"),
        "pelajar": ("pelajar", "mahasiswa", "pelajar mahasiswa", "siswa"),
        "lainnya": (
            "lainnya",
            "lain lain",
            "lain",
            "other",
            "ibu rumah tangga",
            "irt",
            "petani",
            "nelayan",
            "pensiunan",
            "tidak bekerja",
            "belum bekerja",
        ),
    },
}
_NOISE = frozenset({"sederajat", "ke", "atas", "bawah", "lulusan", "tamat", "dan", "atau"})
# Age bands by stable code: (lowest, highest) age.
_AGE_BANDS = {
    "u18": (0, 18),
    "u25": (19, 25),
    "u35": (26, 35),
    "u45": (36, 45),
    "u55": (46, 55),
    "u56": (56, 150),
}


def _age_band(text: str, codes: set[str]) -> str | None:
    """'34' → u35; '19-25 tahun' → u25; '≥ 56' → u56; None when it fits no single band."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not numbers or len(numbers) > 2 or any(n > 150 for n in numbers):
        return None
    low, high = numbers[0], numbers[-1]
    if "<" in text and len(numbers) == 1:
        low = high = numbers[0] - 1
    elif ">" in text and len(numbers) == 1:
        low = high = numbers[0] + 1
    for code, (lo, hi) in _AGE_BANDS.items():
        if code in codes and lo <= low <= hi and lo <= high <= hi:
            return code
    return None


class _ProfileMatcher(_Memo):
    """Cell → profile code: the code, the Pemda's label, English label, or a common way of writing it."""

    def __init__(self, item: ProfileSpec, lenient_other: bool) -> None:
        super().__init__()
        self.key = item.key
        self.codes = {o.code for o in item.options}
        self.names: dict[str, str] = {}
        for option in item.options:
            for name in (option.label, option.label_en, option.code):
                if norm(name):
                    self.names.setdefault(norm(name), option.code)
        for code, words in _PROFILE_WORDS.get(item.key, {}).items():
            if code in self.codes:
                for word in words:
                    self.names.setdefault(word, code)
        # A Google Form's "Lainnya: …" option exports the text the respondent typed.
        self.other = "lainnya" if lenient_other and "lainnya" in self.codes else None
        self.choices = ", ".join(o.label for o in item.options)

    def _read(self, cell: str) -> str | None:
        text = cell.strip()
        if not text:
            return None
        key = norm(text)
        if key in self.names:
            return self.names[key]
        if self.key == "age_band":
            band = _age_band(text, self.codes)
            if band:
                return band
        else:
            found = {self.names[w] for w in key.split() if w in self.names and w not in _NOISE}
            if len(found) == 1 and all(w in self.names or w in _NOISE for w in key.split()):
                return found.pop()
        if self.other:
            return self.other
        raise _Unknown(text)


_TIME_RE = re.compile(
    r"""^\s*(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})
    (?:[T\s,]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,]\d+)?)?
       \s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?)?
    \s*(?P<tz>Z|(?:GMT|UTC)\s*(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|WIB|WITA|WIT)?\s*$""",
    re.X | re.I,
)
_NAMED_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}


def day_first(cells: Iterable[str], *, google_export: bool = False) -> bool:
    """Whether dd/mm/yyyy (Indonesian habit, Google Sheets in Indonesian) rather than m/d/yyyy is meant.

    Decided once per file: a first part above 12 says day first, a second part above 12 says
    month first. Without such a value day first is assumed, except in a Google Forms export
    whose timestamps carry seconds and no zero padding ("3/5/2024 10:12:33"): that is how
    Google's US locale writes them, while its Indonesian locale writes "05/03/2024 10:12:33".
    """
    votes: Counter[str] = Counter()
    padded = unpadded = 0
    for cell in cells:
        m = _TIME_RE.match(cell)
        if not m or len(m.group("a")) == 4:
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        if a > 12 >= b:
            votes["day"] += 1
        elif b > 12 >= a:
            votes["month"] += 1
        small = [part for part in (m.group("a"), m.group("b")) if int(part) < 10]
        if small and m.group("S") is not None:
            if any(part.startswith("0") for part in small):
                padded += 1
            else:
                unpadded += 1
    if votes["day"] != votes["month"]:
        return votes["day"] > votes["month"]
    return not (google_export and unpadded > padded)


def parse_time(text: str, tz: dt.tzinfo, dayfirst: bool = True) -> dt.datetime:
    """A timestamp as written in a spreadsheet, time-zone aware (naive → the Pemda's zone)."""
    m = _TIME_RE.match(text)
    if not m:
        raise ValueError(text)
    a, b, c = m.group("a"), m.group("b"), m.group("c")
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        year = int(c) + (2000 if len(c) <= 2 else 0)
        day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
    hour, minute, second = int(m.group("H") or 0), int(m.group("M") or 0), int(m.group("S") or 0)
    ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    zone: dt.tzinfo = tz
    raw_zone = (m.group("tz") or "").upper().replace(" ", "")
    if raw_zone in _NAMED_ZONES:
        zone = dt.timezone(dt.timedelta(hours=_NAMED_ZONES[raw_zone]))
    elif raw_zone in ("Z", "GMT", "UTC"):
        zone = dt.UTC
    elif raw_zone:
        offset = re.search(r"([+-])(\d{1,2})(?::?(\d{2}))?$", raw_zone)
        if not offset:
            raise ValueError(text)
        sign = -1 if offset.group(1) == "-" else 1
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise ValueError(text)
        zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    if year < 2000:
        raise ValueError(text)
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)  # ValueError if impossible


# --- The preview ------------------------------------------------------------------------------

PROFILE_COLUMNS = ("gender", "age_band", "education", "occupation")
_AT = {column: i for i, column in enumerate(CONTENT_COLUMNS)}


@dataclass
class RowProblem:
    row: int
    messages: list[str]


class _RowContext:
    """What a judged row's Submission is rebuilt from: the unit, its instrument and its services."""

    def __init__(self, unit: Unit, spec: InstrumentSpec, services: Iterable[Layanan]) -> None:
        self.unit, self.spec = unit, spec
        self.services = {service.pk: service for service in services}


@dataclass(slots=True)
class ParsedRow:
    """A valid row not yet stored: its key, its time, and the values of keys.CONTENT_COLUMNS (in
    that order) it is stored with. Kept compact, since a preview may hold 100,000 of them."""

    row: int
    key: str
    submitted_at: dt.datetime
    day: dt.date
    content: tuple[Any, ...]
    context: _RowContext = field(repr=False, compare=False)

    def columns(self) -> dict[str, Any]:
        """Column → value as stored: what keys.same_content compares, and what save() inserts."""
        columns = dict(zip(CONTENT_COLUMNS, self.content, strict=True))
        columns["extra"] = columns["extra"] or {}
        columns["submitted_at"] = self.submitted_at
        return columns

    @property
    def submission(self) -> Submission:
        """The row as validate() returned it, rebuilt from what it stores."""
        spec, content = self.context.spec, self.content
        return Submission(
            unit=self.context.unit,
            service=self.context.services.get(content[_AT["service_id"]]),
            spec=spec,
            channel=Channel.IMPORT,
            idempotency_key=self.key,
            values={q.element: content[_AT[q.element]] for q in spec.ikm_questions},
            extra=dict(content[_AT["extra"]] or {}),
            profile={key: content[_AT[key]] for key in PROFILE_COLUMNS if content[_AT[key]]},
            suggestion=content[_AT["suggestion"]],
            contact=content[_AT["contact"]],
            submitted_at=self.submitted_at,
        )


def _content(submission: Submission) -> tuple[Any, ...]:
    """A validated row as the values of keys.CONTENT_COLUMNS."""
    values: dict[str, Any] = {
        **submission.values,
        "extra": submission.extra or None,
        "service_id": submission.service.pk if submission.service else None,
        **{key: submission.profile.get(key, "") for key in PROFILE_COLUMNS},
        "suggestion": submission.suggestion,
        "contact": submission.contact,
    }
    return tuple(values.get(column) for column in CONTENT_COLUMNS)


@dataclass
class SampleRow:
    """One of the first rows as the preview shows it."""

    row: int
    status: str  # "new", "already", "invalid"
    when: dt.datetime | None = None
    service: str = ""
    values: list[int | None] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    suggestion: str = ""


@dataclass
class Preview:
    unit: Unit
    filename: str
    sha256: str
    format: Format
    language: str = "id"
    columns: list[Column] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    total: int = 0
    rows: list[ParsedRow] = field(default_factory=list)  # valid and not yet received
    valid: int = 0  # len(rows), also for a kept preview restored without its rows
    already: list[int] = field(default_factory=list)  # row numbers already stored with this content
    problems: list[RowProblem] = field(default_factory=list)  # the first PROBLEMS_KEPT rows with problems
    invalid: int = 0  # rows with problems, every one
    sample: list[SampleRow] = field(default_factory=list)
    day_first: bool | None = None  # None: no ambiguous dates in the file
    lookalikes: list[int] = field(default_factory=list)  # new rows equal to a stored answer (see _lookalikes)
    spec: InstrumentSpec | None = None
    version_id: int | None = None  # the instrument version the rows were judged with

    @property
    def ok(self) -> bool:
        """Nothing wrong: saving stores every new row."""
        return not self.file_errors and not self.invalid

    @property
    def used_columns(self) -> list[Column]:
        return [c for c in self.columns if c.target]

    @property
    def ignored_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.target]

    @property
    def question_codes(self) -> list[str]:
        return [q.code for q in self.spec.ikm_questions] if self.spec else []

    @property
    def profile_labels(self) -> list[str]:
        if not self.spec:
            return []
        return [p.label_en if self.language == "en" and p.label_en else p.label for p in self.spec.profile]


def file_key(sha256: str, row: int) -> str:
    """The idempotency key of a row without `kunci`: fits validate()'s 8–64 characters."""
    return f"imp-{sha256[:24]}-{row}"


STORED_COLUMNS = ("pk", "submitted_at", *CONTENT_COLUMNS)


def stored_answers(unit: Unit, keys: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """The answers of `unit` stored under any of `keys`: key → the values of STORED_COLUMNS (a
    tuple, not a dict: a year imported again holds 100,000 of them), one query per IN_CHUNK keys.
    Only this unit's answers are looked at: other units may use the same keys."""
    keys = list(dict.fromkeys(keys))
    found: dict[str, tuple[Any, ...]] = {}
    for i in range(0, len(keys), IN_CHUNK):
        answers = Answer.objects.filter(unit=unit, idempotency_key__in=keys[i : i + IN_CHUNK])
        for key, *stored in answers.values_list("idempotency_key", *STORED_COLUMNS):
            found[key] = tuple(stored)
    return found


def _same_questionnaire(stored: tuple[Any, ...], row: ParsedRow) -> bool:
    """Whether `row` repeats the answer stored under its key (a retry), or is another one."""
    return same_content(dict(zip(STORED_COLUMNS, stored, strict=True)), row.columns(), with_time=True)


def read(
    data: bytes,
    filename: str,
    unit: Unit,
    *,
    fmt: Format | str = Format.AUTO,
    language: str = "id",
    now: dt.datetime | None = None,
) -> Preview:
    """Dry run: read the file, map its columns, judge every row. Raises TableError for a file that
    cannot be read or goes beyond LIMITS (at the first row, column or cell beyond them)."""
    now = now or timezone.now()
    grid = iter_grid(data, filename=filename, limits=LIMITS)
    fmt = Format(fmt)
    sha = hashlib.sha256(data).hexdigest()
    preview = Preview(unit=unit, filename=filename, sha256=sha, format=fmt, language=language)
    first = next(grid, None)
    spec = current_spec(unit.pemda_id)
    preview.spec = spec
    if spec is None:
        preview.file_errors.append(shared_message("no_instrument", language))
        return preview
    preview.version_id = spec.version_id
    if first is None:
        preview.file_errors.append(_message("no_rows", language))
        return preview
    headers = first[1]
    if fmt == Format.AUTO:
        fmt = preview.format = detect_format(headers, spec)
    preview.columns, targets = map_columns(headers, spec, fmt, language)
    by_target = {c.target: c for c in preview.columns if c.target}
    missing = [t for t in targets if t.question and t.question.element and t.key not in by_target]
    if TIME not in by_target:
        preview.file_errors.append(_message("time_column_missing", language))
    if missing:
        preview.file_errors.append(
            _message(
                "columns_missing",
                language,
                missing="; ".join(f"{t.label} ({shorten(t.question.text, 70)})" for t in missing),  # type: ignore[union-attr]
            )
        )

    # Only the cells of mapped columns are kept, joined into one string per row (a tuple of cells
    # costs some 50 bytes per cell more); the keys and the times are taken as the rows pass.
    used = [] if preview.file_errors else preview.used_columns
    slot = {column.index: i for i, column in enumerate(used)}
    at_time = slot[by_target[TIME].index] if used else 0
    at_key = slot[by_target[KEY].index] if used and KEY in by_target else None
    rows: list[tuple[int, str | tuple[str, ...]]] = []
    keys: list[str] = []
    times: list[str] = []
    for number, cells in grid:
        preview.total += 1
        if not used:
            continue  # the file cannot be imported: only count its rows
        kept = [cells[column.index] if column.index < len(cells) else "" for column in used]
        joined = _SEPARATOR.join(kept)
        rows.append((number, joined if joined.count(_SEPARATOR) == len(kept) - 1 else tuple(kept)))
        keys.append((kept[at_key].strip() if at_key is not None else "") or file_key(sha, number))
        times.append(kept[at_time])
    if not preview.total:
        preview.file_errors.append(_message("no_rows", language))
    if preview.file_errors:
        return preview

    dayfirst = day_first(times, google_export=fmt == Format.GOOGLE_FORMS)
    if any((m := _TIME_RE.match(c)) and len(m.group("a")) != 4 for c in times):
        preview.day_first = dayfirst
    del times
    _judge_rows(preview, rows, keys, spec, by_target, slot, fmt, dayfirst, now)
    return preview


_SEPARATOR = "\x1f"  # the ASCII unit separator: a kept row's cells, joined


def _judge_rows(
    preview: Preview,
    rows: list[tuple[int, str | tuple[str, ...]]],
    keys: list[str],
    spec: InstrumentSpec,
    by_target: dict[str, Column],
    slot: dict[int, int],
    fmt: Format,
    dayfirst: bool,
    now: dt.datetime,
) -> None:
    unit, language = preview.unit, preview.language
    tz = unit.pemda.tz
    services: list[Layanan] = list(unit.services.all())
    questions = [
        (by_target[f"q:{q.field}"], q, _OptionMatcher(q) if q.options else None)
        for q in spec.questions
        if f"q:{q.field}" in by_target
    ]
    profiles = [
        (by_target[f"p:{p.key}"], p, _ProfileMatcher(p, lenient_other=fmt == Format.GOOGLE_FORMS))
        for p in spec.profile
        if f"p:{p.key}" in by_target
    ]
    plain = [(by_target[k], k) for k in (SERVICE, SUGGESTION, CONTACT) if k in by_target]
    time_col = by_target[TIME]
    n_ikm = len(spec.ikm_questions)
    context = _RowContext(unit, spec, services)

    def cell(cells: Sequence[str], column: Column) -> str:
        return cells[slot[column.index]]

    header = {column.index: shorten(column.header) for column in by_target.values()}

    first_use: dict[str, int] = {}
    stored: dict[str, tuple[Any, ...]] = {}
    messages: list[str] = []
    keep = True

    def note(error: str, /, **params: object) -> None:
        # Only the first rows with problems keep their messages; the others are only counted.
        messages.append(_message(error, language, **params) if keep else "")

    rows.reverse()  # taken from the end, so a row is let go of as soon as it is judged
    for i, key in enumerate(keys):
        if i % IN_CHUNK == 0:  # this unit's answers under the next keys, a chunk at a time
            stored = stored_answers(unit, keys[i : i + IN_CHUNK])
        number, packed = rows.pop()
        cells = packed.split(_SEPARATOR) if isinstance(packed, str) else packed
        messages = []
        keep = len(preview.problems) < PROBLEMS_KEPT
        earlier_use = first_use.setdefault(key, number)
        data: dict[str, Any] = {}
        answered_at: dt.datetime | None = None
        for column, question, matcher in questions:
            raw = cell(cells, column)
            if matcher is None:
                data[question.field] = raw
                continue
            try:
                data[question.field] = matcher(raw)
            except _Unknown:
                note(
                    "label_unknown",
                    value=raw.strip(),
                    column=header[column.index],
                    code=question.code,
                    name=question.name,
                    choices=matcher.choices,
                )
                if not keep:
                    break
        if messages and not keep:
            preview.invalid += 1
            continue
        for column, item, pmatcher in profiles:
            raw = cell(cells, column)
            try:
                data[item.key] = pmatcher(raw) or ""
            except _Unknown:
                label = item.label_en if language == "en" and item.label_en else item.label
                note(
                    "profile_unknown",
                    value=raw.strip(),
                    column=header[column.index],
                    label=label.lower(),
                    choices=pmatcher.choices,
                )
        for column, name in plain:
            data[name] = cell(cells, column) if name == SUGGESTION else " ".join(cell(cells, column).split())

        submitted_at = None
        raw_time = cell(cells, time_col).strip()
        if not raw_time:
            note("time_missing", column=header[time_col.index])
        else:
            try:
                submitted_at = parse_time(raw_time, tz, dayfirst)
            except ValueError:
                note("time_unreadable", value=raw_time, column=header[time_col.index])
            else:  # validate() holds it to the rule of every channel (not before last year, not ahead)
                answered_at = submitted_at

        if earlier_use != number:
            note("key_duplicate", value=key, other=earlier_use)
        if messages and not keep:
            preview.invalid += 1
            continue
        submission = None
        try:
            submission = validate(
                Received(data, key=key, answered_at=answered_at),
                unit=unit,
                spec=spec,
                channel=Channel.IMPORT,
                services=services,
                language=language,
                now=now,
            )
        except Invalid as exc:
            messages.extend(exc.errors.values())
        else:
            if all(submission.values.get(q.element) is None for q in spec.ikm_questions):
                note("no_answers", n=n_ikm)

        status = "invalid"
        if not messages and submission is not None and submitted_at is not None:
            submitted_at = submission.submitted_at or submitted_at  # today's noon: not after now
            day = timezone.localtime(submitted_at, tz).date()
            parsed = ParsedRow(number, key, submitted_at, day, _content(submission), context)
            earlier = stored.get(key)
            if earlier is None:
                status = "new"
                preview.rows.append(parsed)
            elif _same_questionnaire(earlier, parsed):
                status = "already"  # the same questionnaire again: the stored copy stands
                preview.already.append(number)
            else:
                note("key_conflict", value=key, id=earlier[0])
        if messages:
            preview.invalid += 1
            if len(preview.problems) < PROBLEMS_KEPT:
                preview.problems.append(RowProblem(number, messages))
        if len(preview.sample) < PREVIEW_ROWS:
            preview.sample.append(_sample(number, status, submission, submitted_at, spec, tz, language))
    preview.valid = len(preview.rows)
    preview.lookalikes = _lookalikes(preview.rows, unit, spec)


def _lookalikes(rows: list[ParsedRow], unit: Unit, spec: InstrumentSpec) -> list[int]:
    """New rows whose time (to the second) and nine answers equal an answer already stored for the unit.

    Keys come from the file's bytes, so an export downloaded again later (Google Forms exports
    are cumulative) or saved again from Excel gets new keys for old rows. Such rows are worth a
    warning before saving; rows with a date only (paper forms keyed in) are left out, since two
    respondents on one day may well give the same answers.
    """
    tz = unit.pemda.tz
    timed = [r for r in rows if timezone.localtime(r.submitted_at, tz).time() != dt.time(0)]
    if not timed:
        return []
    elements = [q.element for q in spec.ikm_questions]
    at = [_AT[e] for e in elements]
    first, last = min(r.day for r in timed), max(r.day for r in timed)
    stored = set(
        Answer.objects.filter(unit=unit, day__range=(first, last)).values_list("submitted_at", *elements)
    )
    return [r.row for r in timed if (r.submitted_at, *(r.content[i] for i in at)) in stored]


def _sample(
    number: int,
    status: str,
    submission: Submission | None,
    submitted_at: dt.datetime | None,
    spec: InstrumentSpec,
    tz: dt.tzinfo,
    language: str,
) -> SampleRow:
    row = SampleRow(number, status, when=timezone.localtime(submitted_at, tz) if submitted_at else None)
    if submission is None or status != "new":
        return row
    row.service = submission.service.name if submission.service else ""
    row.values = [submission.values.get(q.element) for q in spec.ikm_questions]
    for item in spec.profile:
        code = submission.profile.get(item.key, "")
        option = next((o for o in item.options if o.code == code), None)
        label = (option.label_en if language == "en" and option.label_en else option.label) if option else ""
        row.profile.append(label)
    row.suggestion = submission.suggestion
    return row


# --- Keeping a preview between its page and the save -----------------------------------------------


def kept(preview: Preview) -> tuple[dict[str, Any], Iterator[list[Any]]]:
    """A preview as JSON-ready data: what its page shows, and the rows save() stores, one list per
    row as they are written (kept apart, so the page is shown again without loading the rows)."""
    summary = {
        "filename": preview.filename,
        "sha256": preview.sha256,
        "format": str(preview.format),
        "language": preview.language,
        "version_id": preview.version_id,
        "columns": [[c.index, c.header, c.target, c.label, c.score] for c in preview.columns],
        "file_errors": preview.file_errors,
        "total": preview.total,
        "valid": preview.valid,
        "already": preview.already,
        "problems": [[p.row, p.messages] for p in preview.problems],
        "invalid": preview.invalid,
        "sample": [
            [
                s.row,
                s.status,
                s.when.isoformat() if s.when else None,
                s.service,
                s.values,
                s.profile,
                s.suggestion,
            ]
            for s in preview.sample
        ],
        "day_first": preview.day_first,
        "lookalikes": preview.lookalikes,
    }
    rows = ([r.row, r.key, r.submitted_at.isoformat(), r.day.isoformat(), *r.content] for r in preview.rows)
    return summary, rows


def restored(summary: dict[str, Any], unit: Unit, rows: Iterable[list[Any]] | None = None) -> Preview:
    """A preview from what `kept()` gave, with its rows when given. Its instrument is the unit's
    current one; save() refuses when that is not the one the rows were judged with."""
    spec = current_spec(unit.pemda_id)
    preview = Preview(
        unit=unit,
        filename=summary["filename"],
        sha256=summary["sha256"],
        format=Format(summary["format"]),
        language=summary["language"],
        columns=[Column(*c) for c in summary["columns"]],
        file_errors=summary["file_errors"],
        total=summary["total"],
        valid=summary["valid"],
        already=summary["already"],
        problems=[RowProblem(row, messages) for row, messages in summary["problems"]],
        invalid=summary["invalid"],
        sample=[
            SampleRow(row, status, dt.datetime.fromisoformat(when) if when else None, *rest)
            for row, status, when, *rest in summary["sample"]
        ],
        day_first=summary["day_first"],
        lookalikes=summary["lookalikes"],
        spec=spec,
        version_id=summary["version_id"],
    )
    if rows is not None and spec is not None:
        context = _RowContext(unit, spec, unit.services.all())
        # Codes ("L", "u35", "sma") come back from JSON as a new string per row: share them.
        shared: dict[str, str] = {}
        preview.rows = [
            ParsedRow(
                row,
                key,
                dt.datetime.fromisoformat(at),
                dt.date.fromisoformat(day),
                tuple(shared.setdefault(v, v) if isinstance(v, str) and len(v) <= 16 else v for v in content),
                context,
            )
            for row, key, at, day, *content in rows
        ]
    return preview


# --- Saving -----------------------------------------------------------------------------------


@dataclass
class SaveResult:
    created: int
    already: int


class NotClean(ValueError):
    """save() was given a preview with problems, or one the database has moved past: nothing is stored."""


def _inserts(preview: Preview, rows: list[ParsedRow], user: Any) -> Iterator[dict[str, Any]]:
    """The rows as bulk.insert_answers() takes them, one at a time (it inserts in batches)."""
    unit = preview.unit
    base = {
        "pemda_id": unit.pemda_id,
        "unit_id": unit.pk,
        "instrument_version_id": preview.version_id,
        "channel": Channel.IMPORT.value,
        "entered_by_id": user.pk if getattr(user, "is_authenticated", False) else None,
    }
    for row in rows:
        yield {**base, **row.columns(), "day": row.day, "idempotency_key": row.key}


def _tallies(preview: Preview, rows: list[ParsedRow]) -> Iterator[SimpleNamespace]:
    """What rollups.deltas() reads of an answer, without building model instances."""
    unit = preview.unit
    for row in rows:
        content = row.content
        yield SimpleNamespace(
            pemda_id=unit.pemda_id,
            unit_id=unit.pk,
            service_id=content[_AT["service_id"]],
            day=row.day,
            excluded=False,
            **{column: content[_AT[column]] for column in (*ELEMENTS, *PROFILE_COLUMNS)},
        )


def _still_fits(preview: Preview) -> bool:
    """Whether the instrument and services the rows were judged against are still the unit's."""
    spec = current_spec(preview.unit.pemda_id)
    if spec is None or spec.version_id != preview.version_id:
        return False
    used = {row.content[_AT["service_id"]] for row in preview.rows} - {None}
    return used <= set(preview.unit.services.values_list("pk", flat=True))


def save(preview: Preview, *, user: Any = None) -> SaveResult:
    """Store every new row of a clean preview and its rollups in one transaction: all or nothing."""
    if not preview.ok:
        raise NotClean(f"{preview.invalid} invalid rows, {len(preview.file_errors)} file errors")
    if not _still_fits(preview):
        raise NotClean(_message("save_stale", preview.language))
    unit = preview.unit
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                # Another import may have stored some keys in this unit since the preview was made.
                rows, skipped = [], 0
                for start in range(0, len(preview.rows), IN_CHUNK):
                    chunk = preview.rows[start : start + IN_CHUNK]
                    stored = stored_answers(unit, (r.key for r in chunk))
                    for row in chunk:
                        earlier = stored.get(row.key)
                        if earlier is None:
                            rows.append(row)
                        elif _same_questionnaire(earlier, row):
                            skipped += 1
                        else:
                            raise NotClean(
                                _message("save_conflict", preview.language, value=row.key, row=row.row)
                            )
                already = len(preview.already) + skipped
                if rows:
                    bulk.insert_answers(_inserts(preview, rows, user))
                    rollups.apply(_tallies(preview, rows))
                    audit.record(
                        "answer.import",
                        unit,
                        user=user,
                        summary=f"Impor {len(rows)} jawaban dari {preview.filename}"[:300],
                        after={
                            "file": preview.filename,
                            "sha256": preview.sha256,
                            "format": str(preview.format),
                            "created": len(rows),
                            "already": already,
                        },
                    )
            return SaveResult(created=len(rows), already=already)
        except IntegrityError:
            # A concurrent import stored one of these keys between our check and our insert.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# --- The template -------------------------------------------------------------------------------


def template_headers(spec: InstrumentSpec) -> list[str]:
    """The columns of our template for a Pemda: questions in its order, with its column headers."""
    return [
        "tanggal",
        "layanan",
        *(f"{q.code.lower()} {q.header}".strip() for q in spec.ikm_questions),
        "jenis_kelamin",
        "usia",
        "pendidikan",
        "pekerjaan",
        "saran",
        "kunci",
    ]


def template_guide(unit: Unit, spec: InstrumentSpec) -> list[tuple[str, str, str]]:
    """(column, what to write, the choices) for the guide sheet of the template."""
    services = (
        ", ".join(f"{s.name}" for s in unit.services.all() if s.active) or "(unit ini belum punya layanan)"
    )
    guide = [
        (
            "tanggal",
            "Tanggal atau tanggal dan jam pengisian kuesioner (wajib)",
            "2024-03-05 atau 2024-03-05 10:12",
        ),
        ("layanan", "Jenis layanan yang diterima (boleh kosong): nama atau kode", services),
    ]
    for q in spec.ikm_questions:
        choices = "; ".join(f"{o.value} = {o.label}" for o in sorted(q.options, key=lambda o: o.value))
        guide.append((f"{q.code.lower()} {q.header}".strip(), f"{q.code} {q.name}: {q.text}", choices))
    for item, column in zip(spec.profile, ("jenis_kelamin", "usia", "pendidikan", "pekerjaan"), strict=False):
        choices = "; ".join(f"{o.code} = {o.label}" for o in item.options)
        if item.key == "age_band":
            choices += "; atau usia dalam tahun (mis. 34)"
        guide.append((column, f"{item.label}: kode atau label (boleh kosong)", choices))
    guide.append(("saran", "Saran/masukan responden, apa adanya (boleh kosong)", ""))
    guide.append(
        (
            "kunci",
            "Opsional: kode unik per kuesioner (8–64 huruf/angka/-/_), mis. nomor lembar. "
            "Baris dengan kunci yang sudah pernah diimpor dilewati.",
            "",
        )
    )
    return guide


def template_csv(unit: Unit, spec: InstrumentSpec) -> bytes:
    from skm.lib.spreadsheet import safe_csv_writer

    out = io.StringIO()
    safe_csv_writer(out).writerow(template_headers(spec))
    return out.getvalue().encode("utf-8")


def template_xlsx(unit: Unit, spec: InstrumentSpec) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from skm.lib.spreadsheet import append_safe_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Jawaban"
    headers = template_headers(spec)
    append_safe_row(sheet, headers)
    for i, header in enumerate(headers, start=1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = max(10, len(header) + 2)
    sheet.column_dimensions["A"].width = 18
    sheet.freeze_panes = "A2"
    first_q = 3  # after tanggal and layanan
    last_q = first_q + len(spec.ikm_questions) - 1
    values = sorted({o.value for q in spec.ikm_questions for o in q.options})
    check = DataValidation(type="list", formula1=f'"{",".join(map(str, values))}"', allow_blank=True)
    check.error = "Isi dengan " + ", ".join(map(str, values)) + " atau kosongkan."
    check.add(f"{get_column_letter(first_q)}2:{get_column_letter(last_q)}10001")
    sheet.add_data_validation(check)
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"

    guide = workbook.create_sheet("Petunjuk")
    append_safe_row(guide, [f"Templat impor jawaban SKM — {unit.name} ({unit.pemda.name})"])
    guide["A1"].font = Font(bold=True)
    append_safe_row(guide, ["Isi lembar 'Jawaban': satu baris per kuesioner. Jangan ubah judul kolom."])
    guide.append([])
    append_safe_row(guide, ["kolom", "isi", "pilihan"])
    for cell in guide[4]:
        cell.font = Font(bold=True)
    for row in template_guide(unit, spec):
        append_safe_row(guide, row)
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 70
    guide.column_dimensions["C"].width = 70
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
