"""Metode SKM spellings → online / manual / hybrid; period labels → kind and ordinal."""

from __future__ import annotations

import pytest

from skm.recaps.methods import CollectionMethod, normalise_method
from skm.recaps.periods import PeriodKind, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Online dan Manual", "hybrid"),
        ("Elektronik & Manual", "hybrid"),
        ("SKM Offline (Manual)", "manual"),
        ("SEKAMPADI", "online"),
        ("Manual dan Online", "hybrid"),
        ("Online", "online"),
        ("SKM Online", "online"),
        ("Manual", "manual"),
        ("Manual dan Barcode", "hybrid"),  # seed 003
        ("Mahual dan Online", "hybrid"),  # seed 003, typo
        ("Manuali dan online", "hybrid"),  # seed 003, typo
        ("Google Form", "online"),
        ("Kuesioner kertas", "manual"),
        ("Hybrid", "hybrid"),
        ("Offline", "manual"),
    ],
)
def test_spellings(text, expected):
    result = normalise_method(text)
    assert result.normalised == CollectionMethod(expected)
    assert result.original == text


@pytest.mark.parametrize("text", ["", "   ", "Lainnya", None])
def test_unrecognised_or_empty(text):
    assert normalise_method(text).normalised is None


def test_original_is_kept_trimmed():
    assert normalise_method("  Online dan Manual ").as_dict() == {
        "original": "Online dan Manual",
        "normalised": "hybrid",
    }


@pytest.mark.parametrize(
    ("label", "kind", "ordinal"),
    [
        ("Tahunan", PeriodKind.ANNUAL, None),
        ("Tahunan (1 Juni - 12 November)", PeriodKind.ANNUAL, None),
        ("Semester I", PeriodKind.SEMESTER, 1),
        ("semester 2", PeriodKind.SEMESTER, 2),
        ("SEMESTER II", PeriodKind.SEMESTER, 2),
        ("Triwulan III", PeriodKind.QUARTER, 3),
        ("TW 4", PeriodKind.QUARTER, 4),
        ("triwulan iv", PeriodKind.QUARTER, 4),
        ("Januari – November", PeriodKind.CUSTOM, None),
        ("Semester III", PeriodKind.CUSTOM, None),
    ],
)
def test_periods(label, kind, ordinal):
    period = parse_period(label)
    assert (period.kind, period.ordinal) == (kind, ordinal)
