"""Matching a cell to a code: option labels to answer values, what people write to profile codes.

A Google Forms export holds option labels ("Sangat sesuai"), our template values or codes ("4",
"L", "u35"); people write "laki-laki", "SMA/SMK", "34". Each column gets one matcher that
remembers what it read, since a column of 10,000 rows holds a handful of distinct cells.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from skm.collection.importing.text import norm
from skm.instrument.spec import ProfileSpec, QuestionSpec

MEMO_SIZE = 1_000  # distinct cells a column's reader remembers (labels repeat; garbage does not)

_PREFIX = re.compile(r"^\s*\(?([A-Za-z]|\d{1,2})\s*[.):\]–-]\s*(.+)$")  # "d. Sangat sesuai", "4 - …"


class Unknown(ValueError):
    """A cell that is none of the choices."""


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
            except Unknown:
                found = _NOT_A_CHOICE
            if len(self.memo) < MEMO_SIZE:
                self.memo[cell] = found
        if found is _NOT_A_CHOICE:
            raise Unknown(cell)
        return found

    def _read(self, cell: str) -> Any:
        raise NotImplementedError


class OptionMatcher(_Memo):
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
            self.choices = _("{labels} (atau {first}–{last})").format(
                labels=self.choices, first=options[0].value, last=options[-1].value
            )

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
        raise Unknown(text)


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


class ProfileMatcher(_Memo):
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
        raise Unknown(text)
