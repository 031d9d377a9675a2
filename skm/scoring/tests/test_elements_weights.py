"""The nine unsur and the two weights (SPEC §3, §4)."""

from __future__ import annotations

from fractions import Fraction

from skm.scoring import (
    DEFAULT_WEIGHT,
    ELEMENT_NAMES,
    ELEMENT_NAMES_EN,
    ELEMENTS,
    ELEMENTS_PENGADUAN_BEFORE_SARANA,
    Weight,
)


def test_nine_elements_in_the_sample_questionnaire_order() -> None:
    assert ELEMENTS == (
        "persyaratan", "prosedur", "waktu", "biaya", "produk",
        "kompetensi", "perilaku", "sarana", "pengaduan",
    )  # fmt: skip
    assert len(set(ELEMENTS)) == 9


def test_every_element_has_an_indonesian_and_an_english_name() -> None:
    assert list(ELEMENT_NAMES) == list(ELEMENTS)
    assert list(ELEMENT_NAMES_EN) == list(ELEMENTS)
    assert ELEMENT_NAMES["prosedur"] == "Sistem, mekanisme dan prosedur"
    assert ELEMENT_NAMES["pengaduan"] == "Penanganan pengaduan, saran dan masukan"
    assert all(ELEMENT_NAMES_EN.values())


def test_the_regulation_list_puts_pengaduan_before_sarana() -> None:
    assert set(ELEMENTS_PENGADUAN_BEFORE_SARANA) == set(ELEMENTS)
    assert ELEMENTS_PENGADUAN_BEFORE_SARANA[7:] == ("pengaduan", "sarana")


def test_weights_are_exact_and_0111_is_the_default() -> None:
    assert Weight.W0111.fraction == Fraction(111, 1000)
    assert Weight.NINTH.fraction == Fraction(1, 9)
    assert DEFAULT_WEIGHT is Weight.W0111
    assert Weight("1/9") is Weight.NINTH
    assert Weight("0.111") == "0.111"
    assert Weight.W0111.label == "0,111"


def test_ikm_range_depends_on_the_weight() -> None:
    assert Weight.NINTH.ikm_range == (Fraction(25), Fraction(100))
    assert Weight.W0111.ikm_range == (Fraction("24.975"), Fraction("99.9"))
