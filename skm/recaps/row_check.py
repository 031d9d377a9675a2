"""The checks one recap row needs nothing else for (SPEC §8): its IKM from its unsur values
(:mod:`skm.recaps.ikm_check`), its category against the band of its IKM, values outside the
scale, the sample against Krejcie & Morgan, the Metode SKM."""

from __future__ import annotations

import re
from fractions import Fraction

from django.utils.translation import gettext as _

from skm.recaps.ikm_check import WeightCheck, fits_hint, ikm_checks, judge, nrr_precision
from skm.recaps.reader import UNSUR_COLUMNS
from skm.recaps.results import CategoryCheck, RowResult, SampleCheck
from skm.recaps.rows import CONVERTED_RANGE, NRR_RANGE, Figure, RecapRow, Scale, detect_scale
from skm.recaps.verdicts import Note, Problem, Verdict, problem
from skm.scoring import Band, Weight, band_for, format_id, krejcie_morgan, sample_adequacy
from skm.scoring.bands import BANDS_BY_MUTU

_KINERJA = ("sangat baik", "kurang baik", "tidak baik", "baik")


def read_category(text: str) -> tuple[str | None, str | None]:
    """Mutu letter and kinerja of a published category, any case: "B (bAIK)" → ("B", "Baik"),
    "Sangat Baik" → (None, "Sangat Baik"), "(B atau Baik)" → ("B", "Baik")."""
    plain = " ".join(re.findall(r"[a-z]+", text.casefold()))
    kinerja = None
    for phrase in _KINERJA:
        found = re.search(rf"\b{phrase}\b", plain)
        if found:
            kinerja = phrase
            plain = plain[: found.start()] + " " + plain[found.end() :]
            break
    letters = re.findall(r"\b([abcd])\b", plain)
    mutu = letters[0].upper() if len(set(letters)) == 1 else None
    kinerja_label = None
    if kinerja:
        kinerja_label = next(
            band.kinerja for band in BANDS_BY_MUTU.values() if band.kinerja.casefold() == kinerja
        )
    return mutu, kinerja_label


def category_check(kategori: str, ikm: Figure | None) -> tuple[CategoryCheck | None, list[Problem]]:
    """The published category against the band of the published IKM (SPEC §4 "Bands")."""
    if not kategori:
        return None, []
    mutu, kinerja = read_category(kategori)
    expected: Band | None = None
    if ikm is not None and CONVERTED_RANGE[0] <= ikm.value <= CONVERTED_RANGE[1]:
        expected = band_for(ikm.value)
    problems: list[Problem] = []
    if mutu is None and kinerja is None:
        problems.append(problem("category_unreadable", published=kategori))
        return CategoryCheck(kategori, None, None, expected, False), problems
    if mutu is not None and kinerja is not None and BANDS_BY_MUTU[mutu].kinerja != kinerja:
        problems.append(
            problem(
                "category_conflict",
                published=kategori,
                mutu=mutu,
                kinerja_of_mutu=BANDS_BY_MUTU[mutu].kinerja,
                kinerja=kinerja,
            )
        )
    if expected is None:
        return CategoryCheck(kategori, mutu, kinerja, None, None), problems
    ok = (mutu is None or mutu == expected.mutu) and (kinerja is None or kinerja == expected.kinerja)
    if not ok and ikm is not None:
        problems.append(
            problem(
                "category_mismatch",
                published=kategori,
                ikm=ikm.display,
                expected=f"{expected.mutu} – {expected.kinerja}",
            )
        )
    return CategoryCheck(kategori, mutu, kinerja, expected, ok and not problems), problems


def _out_of_scale(recap: RecapRow, scale: Scale) -> list[Problem]:
    """Unsur values outside the row's scale, with a hint when the value fits the other scale."""
    low, high = scale.bounds
    problems: list[Problem] = []
    unsur = [f for f in recap.unsur if f is not None]
    for column, figure in zip(UNSUR_COLUMNS, recap.unsur, strict=True):
        if figure is None or low <= figure.value <= high:
            continue
        hint = ""
        if scale is Scale.CONVERTED and NRR_RANGE[0] <= figure.value <= NRR_RANGE[1]:
            fixed = [f.on_scale(Fraction(25)) if f is figure else f for f in unsur]
            hint = " " + _("Tampaknya nilai NRR: {value} × 25 = {converted}.{fits}").format(
                value=figure.display,
                converted=format_id(figure.value * 25, 2),
                fits=fits_hint(fixed, Scale.CONVERTED, recap.ikm),
            )
        elif scale is Scale.NRR and CONVERTED_RANGE[0] <= figure.value <= CONVERTED_RANGE[1]:
            fixed = [f.on_scale(Fraction(1, 25)) if f is figure else f for f in unsur]
            hint = " " + _("Tampaknya nilai konversi: {value} / 25 = {nrr}.{fits}").format(
                value=figure.display,
                nrr=format_id(figure.value / 25, 3),
                fits=fits_hint(fixed, Scale.NRR, recap.ikm),
            )
        problems.append(
            problem(
                "unsur_out_of_scale",
                unsur=column.upper(),
                value=figure.display,
                scale=scale.label,
                hint=hint,
            )
        )
    return problems


def _is_zero(figure: Figure | None) -> bool:
    return figure is not None and figure.value == 0


def _no_data(
    recap: RecapRow, has_ikm: bool, has_unsur: bool, problems: list[Problem], notes: list[Note]
) -> RowResult:
    """A row without respondents: never checked, never aggregated; a problem if it shows figures."""
    shown = [what for what, there in (("IKM", has_ikm), (_("nilai unsur"), has_unsur)) if there]
    if recap.n and _is_zero(recap.ikm):
        shown = ["IKM 0"]
    if shown:
        problems.append(
            problem(
                "respondents_zero_with_data",
                n=recap.n if recap.n is not None else _("kosong"),
                what=f" {_('dan')} ".join(shown),
            )
        )
    notes.append(Note("no_data", _("Tanpa responden (no data): tidak diperiksa dan tidak masuk agregat.")))
    return RowResult(recap, Verdict.NO_DATA, None, {}, None, None, problems=problems, notes=notes)


def check_row(recap: RecapRow) -> RowResult:
    """All checks that need only the row itself (SPEC §8)."""
    problems = list(recap.problems)
    notes: list[Note] = []
    present = [f for f in recap.unsur if f is not None]
    has_unsur = bool(present)
    has_ikm = recap.ikm is not None and not _is_zero(recap.ikm)

    if not recap.upp:
        problems.append(problem("unit_missing"))
    if not recap.periode.label:
        problems.append(problem("period_missing"))
    if recap.metode.original and recap.metode.normalised is None:
        unknown = _("Metode SKM '{original}' tidak dikenali sebagai online, manual atau hybrid.")
        notes.append(Note("method_unknown", unknown.format(original=recap.metode.original)))

    if (
        recap.n == 0
        or (_is_zero(recap.ikm) and not has_unsur)
        or (recap.n is None and not has_unsur and not has_ikm)
    ):
        return _no_data(recap, has_ikm, has_unsur, problems, notes)

    if recap.n is None:
        problems.append(problem("respondents_missing"))
    if recap.ikm is not None and not (CONVERTED_RANGE[0] <= recap.ikm.value <= CONVERTED_RANGE[1]):
        hint = ""
        if NRR_RANGE[0] <= recap.ikm.value <= NRR_RANGE[1]:
            hint = " " + _("Tampaknya IKM skala 1–4: {ikm} × 25 = {converted}.").format(
                ikm=recap.ikm.display, converted=format_id(recap.ikm.value * 25, 2)
            )
        problems.append(problem("ikm_out_of_scale", ikm=recap.ikm.display, hint=hint))

    scale: Scale | None = None
    checks: dict[Weight, WeightCheck] = {}
    usable = False
    if has_unsur and len(present) < len(UNSUR_COLUMNS):
        missing = [c.upper() for c, f in zip(UNSUR_COLUMNS, recap.unsur, strict=True) if f is None]
        problems.append(problem("unsur_incomplete", missing=", ".join(missing)))
    elif has_unsur:
        scale = detect_scale([f.value for f in present])
        out = _out_of_scale(recap, scale)
        problems.extend(out)
        usable = not out

    figures: tuple[Figure, ...] = ()
    if usable and scale is not None:
        figures, precision = nrr_precision(tuple(present), scale)
        notes.extend(precision)
        checks, reading = ikm_checks(figures, scale, recap.ikm, recap.n)
        notes.extend(reading)
    verdict = judge(recap, checks, usable, problems, notes)

    category, category_problems = category_check(recap.kategori, recap.ikm)
    problems.extend(category_problems)

    sample = None
    if recap.populasi is not None:
        sample, sample_problems, sample_notes = _sample(recap)
        problems.extend(sample_problems)
        notes.extend(sample_notes)
    return RowResult(
        recap,
        verdict,
        scale,
        checks,
        category,
        sample,
        unsur_usable=usable,
        figures=figures,
        problems=problems,
        notes=notes,
    )


def _sample(recap: RecapRow) -> tuple[SampleCheck | None, list[Problem], list[Note]]:
    population = recap.populasi
    assert population is not None
    if population < 1:
        return None, [problem("population_invalid", population=0)], []
    shown_population = format_id(population, 0)
    if recap.n is None:
        unknown_n = _("Populasi {population} dicantumkan, tetapi jumlah responden kosong.")
        note = Note("sample_unknown_n", unknown_n.format(population=shown_population))
        return SampleCheck(population, None, krejcie_morgan(population), None, None), [], [note]
    adequacy = sample_adequacy(recap.n, population)
    assert adequacy.required is not None
    problems = []
    if recap.n > population:
        problems.append(
            problem("sample_exceeds_population", n=format_id(recap.n, 0), population=shown_population)
        )
    elif not adequacy.adequate:
        problems.append(
            problem(
                "sample_short",
                n=format_id(recap.n, 0),
                required=format_id(adequacy.required, 0),
                population=shown_population,
            )
        )
    check = SampleCheck(population, recap.n, adequacy.required, adequacy.adequate, adequacy.shortfall)
    return check, problems, []
