"""Text as people write it in a spreadsheet: normalised for matching, compared by similarity."""

from __future__ import annotations

import difflib
import re
import unicodedata

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


def distinct(normed: str) -> str:
    """A normalised text without the words every question shares."""
    return " ".join(w for w in normed.split() if w not in _FILLER)


def ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
