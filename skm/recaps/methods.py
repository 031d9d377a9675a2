"""Metode SKM as written in recaps, normalised to online / manual / hybrid (SPEC §8).

Reports spell the collection method many ways: "Online dan Manual", "Elektronik & Manual",
"SKM Offline (Manual)", "SEKAMPADI", "Manual dan Barcode", even "Mahual dan Online". Imports keep
the original text and add one of three normalised values; anything unrecognised normalises to
``None`` so that a person looks at it rather than the code guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum


class CollectionMethod(StrEnum):
    """How the answers of a unit-period were collected (SPEC §6 BAB III "Metode SKM")."""

    ONLINE = "online"
    MANUAL = "manual"
    HYBRID = "hybrid"


# Words that name a channel. Regional online systems (SEKAMPADI in Kalimantan Barat, SUMBER DAYA in
# Banjarmasin, STAR BANJAR) count as online: their answers arrive through a link or QR code.
_ONLINE_WORDS = frozenset(
    {
        "online",
        "daring",
        "elektronik",
        "electronic",
        "digital",
        "web",
        "website",
        "aplikasi",
        "app",
        "barcode",
        "qr",
        "qrcode",
        "link",
        "tautan",
        "gform",
        "kiosk",
        "kios",
        "tablet",
        "sekampadi",
        "e-skm",
        "eskm",
        "esurvey",
        "e-survey",
        "survey123",
    }
)
_ONLINE_PHRASES = ("google form", "sumber daya", "star banjar", "starbanjar", "e survey")
_MANUAL_WORDS = frozenset(
    {
        "manual",
        "offline",
        "luring",
        "kertas",
        "kuesioner",
        "kuisioner",
        "angket",
        "paper",
        "cetak",
        "langsung",
    }
)
_MANUAL_PHRASES = ("tatap muka",)
_HYBRID_WORDS = frozenset({"hybrid", "hibrid", "hibrida", "campuran", "kombinasi", "gabungan"})

# Typos seen in published reports ("Mahual", "Manuali", "Onlie") are matched by similarity; only
# words of five letters or more, so that short words never match by accident.
_FUZZY_MIN_LENGTH = 5
_FUZZY_RATIO = 0.8


@dataclass(frozen=True)
class NormalisedMethod:
    """A published Metode SKM and what it normalises to (``None``: not recognised or empty)."""

    original: str
    normalised: CollectionMethod | None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "original": self.original,
            "normalised": self.normalised.value if self.normalised else None,
        }


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return ascii_text.casefold()


def _similar(word: str, vocabulary: frozenset[str]) -> bool:
    if len(word) < _FUZZY_MIN_LENGTH:
        return False
    return any(
        len(known) >= _FUZZY_MIN_LENGTH and SequenceMatcher(None, word, known).ratio() >= _FUZZY_RATIO
        for known in vocabulary
    )


def _kinds(word: str) -> set[CollectionMethod]:
    """Channels a word names: exactly when it is a known word, else by similarity (typos)."""
    vocabularies = (
        (CollectionMethod.HYBRID, _HYBRID_WORDS),
        (CollectionMethod.ONLINE, _ONLINE_WORDS),
        (CollectionMethod.MANUAL, _MANUAL_WORDS),
    )
    exact = {kind for kind, vocabulary in vocabularies if word in vocabulary}
    if exact:
        return exact
    return {kind for kind, vocabulary in vocabularies if _similar(word, vocabulary)}


def normalise_method(text: str | None) -> NormalisedMethod:
    """Read a published Metode SKM: online, manual, hybrid (both channels) or ``None``.

    "Online dan Manual" → hybrid, "SKM Offline (Manual)" → manual, "SEKAMPADI" → online,
    "Manual dan Barcode" → hybrid. The original text is kept as written (trimmed).
    """
    original = (text or "").strip()
    plain = _plain(original)
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)?", plain)
    spaced = " ".join(re.findall(r"[a-z0-9]+", plain))
    kinds: set[CollectionMethod] = set()
    for word in words:
        kinds |= _kinds(word)
    if any(phrase in spaced for phrase in _ONLINE_PHRASES):
        kinds.add(CollectionMethod.ONLINE)
    if any(phrase in spaced for phrase in _MANUAL_PHRASES):
        kinds.add(CollectionMethod.MANUAL)
    if (
        CollectionMethod.HYBRID in kinds
        or {
            CollectionMethod.ONLINE,
            CollectionMethod.MANUAL,
        }
        <= kinds
    ):
        return NormalisedMethod(original, CollectionMethod.HYBRID)
    if kinds:
        return NormalisedMethod(original, kinds.pop())
    return NormalisedMethod(original, None)
