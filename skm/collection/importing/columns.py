"""Matching a file's headers to what they hold: the questions, the profile and the other columns.

Two formats: our template's columns match by exact names (after normalising); a Google Forms
export's headers are the question wordings, matched by similarity, so a slightly edited wording
still finds its question.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from skm.collection.importing.text import distinct, norm, ratio
from skm.instrument.spec import InstrumentSpec, ProfileSpec, QuestionSpec

FUZZY_THRESHOLD = 0.65


class Format(StrEnum):
    AUTO = "auto"
    COLUMNS = "columns"
    GOOGLE_FORMS = "google-forms"


FORMAT_LABELS = {
    Format.AUTO: _("otomatis"),
    Format.COLUMNS: _("kolom templat"),
    Format.GOOGLE_FORMS: _("ekspor Google Forms"),
}

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


# What people read in the mapping for the columns that are no question and no profile item.
META_LABELS = {
    TIME: _("Tanggal/waktu pengisian"),
    SERVICE: _("Jenis layanan"),
    SUGGESTION: _("Saran"),
    CONTACT: _("Kontak"),
    KEY: _("Kunci (idempotensi)"),
}


@dataclass
class Target:
    key: str  # "q:<field>", "p:<profile key>" or a meta name (time, service, …)
    label: str  # what people read in the mapping: "U1 · Persyaratan"
    exact: frozenset[str]  # normalised names that match exactly
    marks: tuple[str, ...] = ()  # words that, in a header, point at this target
    texts: tuple[str, ...] = ()  # long wordings (question texts), normalised
    question: QuestionSpec | None = None
    profile: ProfileSpec | None = None


def targets(spec: InstrumentSpec) -> list[Target]:
    """Everything a column can become, labelled in the active language."""
    found: list[Target] = []
    # Words of a question's name/header that no other question uses ("persyaratan", "sarpras").
    words = {q.field: set(distinct(norm(f"{q.name} {q.header} {q.element}")).split()) for q in spec.questions}
    seen = Counter(w for ws in words.values() for w in ws)
    for q in spec.questions:
        code = norm(q.code)
        names = {code, norm(q.element), norm(q.name), norm(q.header)}
        names |= {f"{code} {n}" for n in (norm(q.header), norm(q.name), norm(q.element)) if n}
        names |= {norm(q.text), norm(q.text_en)}
        marks = tuple(
            sorted(w for w in words[q.field] if seen[w] == 1 and len(w) >= 4 and w not in _META_MARKS)
        )
        found.append(
            Target(
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
        found.append(
            Target(
                key=f"p:{item.key}",
                label=item.shown_label,
                exact=frozenset(n for n in names if n),
                marks=marks,
                profile=item,
            )
        )
    for key, (exact, marks) in _META_NAMES.items():
        label = str(META_LABELS[key])
        found.append(Target(key=key, label=label, exact=frozenset(norm(n) for n in exact), marks=marks))
    return found


def _score(header: str, target: Target, fuzzy: bool) -> float:
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
        hd = distinct(h)
        for text in target.texts:
            best = max(best, (ratio(hd, distinct(text)) + ratio(h, text)) / 2)
    if short:
        for name in target.exact:
            if len(name.split()) <= 6:
                best = max(best, ratio(h, name))
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
    headers: Sequence[str], spec: InstrumentSpec, fmt: Format
) -> tuple[list[Column], list[Target]]:
    """Match each header to at most one target (best scores first); returns the columns and the targets."""
    found = targets(spec)
    fuzzy = fmt == Format.GOOGLE_FORMS
    candidates = []
    for i, header in enumerate(headers):
        if not str(header).strip():
            continue
        for t, target in enumerate(found):
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
        column.target, column.label, column.score = found[t].key, found[t].label, -neg
    return columns, found


def detect_format(headers: Sequence[str], spec: InstrumentSpec) -> Format:
    """Columns when the exact names find the date and every IKM question; otherwise Google Forms."""
    columns, all_targets = map_columns(headers, spec, Format.COLUMNS)
    found = {c.target for c in columns}
    needed = {TIME} | {f"q:{q.field}" for q in spec.ikm_questions}
    wordings = {norm(t) for target in all_targets for t in target.texts}
    by_wording = any(c.target.startswith("q:") and norm(c.header) in wordings for c in columns)
    return Format.COLUMNS if needed <= found and not by_wording else Format.GOOGLE_FORMS
