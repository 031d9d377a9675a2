"""Results in machine form (`skm results … --json`) and as plain text (SPEC §4, §6, §9).

JSON is keyed by element (skm.scoring.elements), with the Pemda's order in ``elements``. Numbers
are JSON numbers with a decimal dot, rounded half up as in `skm recap check`: NRR and weighted NRR
to 4 decimals; converted values, the IKM and the interval to 2 (the precision a category is
decided on); ``ikm_exact`` to 4. ``target`` is the IKM target of the range's last year (a unit's own,
or the Pemda's; none for a service: skm.organisation.targets), null when none, and ``target_met``
compares the IKM at the Pemda's display precision with it. Text follows the active language (88,93
in Indonesian).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.instrument.spec import current_spec
from skm.lib.dates import format_date
from skm.lib.numbers import number
from skm.organisation.models import Layanan, Pemda
from skm.organisation.targets import is_met, target_for
from skm.results.compute import PemdaResult, UnitResult
from skm.scoring.aggregate import describe
from skm.scoring.bands import Band, band_for_nrr
from skm.scoring.confidence import Interval
from skm.scoring.rounding import round_half_up
from skm.scoring.sample import SampleAdequacy


def _num(value: Fraction | None, places: int) -> float | None:
    return None if value is None else float(round_half_up(value, places))


def _element_json(nrr: Fraction | None, weight: Fraction) -> dict[str, Any]:
    band = None if nrr is None else band_for_nrr(nrr)
    return {
        "nrr": _num(nrr, 4),
        "weighted": None if nrr is None else _num(nrr * weight, 4),
        "converted": None if nrr is None else _num(nrr * 25, 2),
        "category": band.mutu if band else None,
    }


def _figures_json(
    elements: Sequence[str],
    nrr: Mapping[str, Fraction],
    ikm: Fraction | None,
    band: Band | None,
    interval: Interval | None,
    sample: SampleAdequacy,
    population: int | None,
    weight_fraction: Fraction,
) -> dict[str, Any]:
    return {
        "ikm": _num(ikm, 2),
        "ikm_exact": _num(ikm, 4),
        "category": band.mutu if band else None,
        "category_label": band.label if band else None,
        "n": sample.n,
        "interval": None
        if interval is None
        else {"low": _num(interval.low, 2), "high": _num(interval.high, 2), "level": interval.level},
        "sample": {
            "n": sample.n,
            "required": sample.required,
            "population": population,
            "adequate": sample.adequate,
        },
        "elements": list(elements),
        "unsur": {e: _element_json(nrr.get(e), weight_fraction) for e in elements},
    }


def _target_json(ikm: Fraction | None, target: Decimal | None, places: int) -> dict[str, Any]:
    return {
        "target": None if target is None else float(target),
        "target_met": is_met(ikm, target, places),
    }


def _unit_target(result: UnitResult, service: Layanan | None) -> Decimal | None:
    return None if service is not None else target_for(result.unit.pemda, result.unit, result.end.year)


def unit_json(
    result: UnitResult, *, service: Layanan | None = None, include_excluded: bool = False
) -> dict[str, Any]:
    """The document of `skm results unit --json`: one unit (or service) from its own answers."""
    score, unit = result.score, result.unit
    nrr = {e: u.nrr for e, u in score.unsur.items()}
    figures = _figures_json(
        list(score.tallies),
        nrr,
        score.ikm,
        score.band,
        result.interval,
        result.sample,
        unit.population,
        score.weight.fraction,
    )
    return {
        "pemda": {"slug": unit.pemda.slug, "name": unit.pemda.name},
        "unit": {"slug": unit.slug, "name": unit.name},
        "service": None if service is None else {"slug": service.slug, "name": service.name},
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "include_excluded": include_excluded,
        "method": None,
        "level": "unit",
        "weight": score.weight.value,
        **figures,
        **_target_json(score.ikm, _unit_target(result, service), unit.pemda.display_precision),
        "missing": list(score.missing),
    }


def pemda_json(found: PemdaResult) -> dict[str, Any]:
    """The document of `skm results pemda --json`: the Pemda's aggregate by one method and level."""
    result, pemda = found.result, found.pemda
    figures = _figures_json(
        found.elements,
        result.nrr,
        result.ikm,
        result.band,
        found.interval,
        found.sample,
        found.population,
        result.weight.fraction,
    )
    return {
        "pemda": {"slug": pemda.slug, "name": pemda.name},
        "from": found.start.isoformat(),
        "to": found.end.isoformat(),
        "method": result.method.value,
        "method_label": result.method.label,
        "level": result.level.value,
        "weight": result.weight.value,
        "description": result.description,
        **figures,
        **_target_json(result.ikm, target_for(pemda, None, found.end.year), pemda.display_precision),
        "parts": result.parts,
        "skipped": list(result.skipped),
        "incomplete": list(found.incomplete),
    }


# --------------------------------------------------------------------------- text


def _labels(pemda: Pemda) -> dict[str, str]:
    """ "U1 Persyaratan" per element, from the Pemda's instrument."""
    spec = current_spec(pemda.pk)
    if spec is None:
        return {}
    return {q.element: f"{q.code} {_(q.name)}" for q in spec.ikm_questions}


def _period(start: dt.date, end: dt.date) -> str:
    language = "en" if translation.get_language() == "en" else "id"
    return f"{format_date(start, language)} – {format_date(end, language)}"


def _sample_line(sample: SampleAdequacy, population: int | None) -> str:
    answers = ngettext("{n} jawaban", "{n} jawaban", sample.n).format(n=number(sample.n, 0))
    if sample.required is None:
        if sample.adequate:
            return _("{answers}: memadai untuk populasi berapa pun").format(answers=answers)
        return _("{answers}; populasi tidak diketahui, kecukupan sampel tidak dapat dinilai").format(
            answers=answers
        )
    verdict = _("memadai") if sample.adequate else _("belum memadai")
    return _("{answers}; minimal {required} untuk populasi {population}: {verdict}").format(
        answers=answers,
        required=number(sample.required, 0),
        population=number(population, 0),
        verdict=verdict,
    )


def _headline(ikm: Fraction | None, band: Band | None, n: int, weight_label: str, places: int) -> str:
    respondents = ngettext("{n} responden", "{n} responden", n).format(n=number(n, 0))
    if ikm is None or band is None:
        return _("IKM: belum dapat dihitung · {respondents}").format(respondents=respondents)
    return _("IKM {ikm} · {mutu} ({kinerja}) · {respondents} · bobot {weight}").format(
        ikm=number(ikm, places),
        mutu=band.mutu,
        kinerja=_(band.kinerja),
        respondents=respondents,
        weight=weight_label,
    )


def _table(
    labels: Mapping[str, str], elements: Sequence[str], nrr: Mapping[str, Fraction], places: int
) -> list[str]:
    width = max((len(labels.get(e, e)) for e in elements), default=0)
    lines = ["  ".join((_("Unsur").ljust(width), "NRR".rjust(6), _("Konversi").rjust(8), _("Mutu")))]
    for element in elements:
        value = nrr.get(element)
        label = labels.get(element, element).ljust(width)
        if value is None:
            lines.append(f"{label}  {'–':>6}  {'–':>8}  –")
            continue
        converted = number(value * 25, places)
        lines.append(f"{label}  {number(value, 4):>6}  {converted:>8}  {band_for_nrr(value).mutu}")
    return lines


def _target_line(ikm: Fraction | None, target: Decimal | None, places: int) -> list[str]:
    if target is None:
        return []
    line = _("Target IKM: {target}").format(target=number(target, places))
    met = is_met(ikm, target, places)
    if met is not None:
        line += " — " + (_("tercapai") if met else _("belum tercapai"))
    return [line]


def _interval_line(interval: Interval | None, places: int) -> str:
    if interval is None:
        return _("Selang kepercayaan 95%: tidak tersedia")
    return _("Selang kepercayaan 95%: {low} – {high}").format(
        low=number(interval.low, places), high=number(interval.high, places)
    )


def unit_text(result: UnitResult, *, service: Layanan | None = None, include_excluded: bool = False) -> str:
    """`skm results unit` as text in the active language."""
    unit, score = result.unit, result.score
    places = unit.pemda.display_precision
    title = unit.name if service is None else f"{unit.name} · {service.name}"
    lines = [
        f"{title} · {_period(result.start, result.end)}",
        _headline(score.ikm, score.band, score.n, score.weight.label, places),
        *_target_line(score.ikm, _unit_target(result, service), places),
        _interval_line(result.interval, places),
        _("Sampel: {sample}").format(sample=_sample_line(result.sample, unit.population)),
        _("Jawaban yang ditandai ikut dihitung.")
        if include_excluded
        else _("Jawaban yang ditandai tidak dihitung."),
        "",
        *_table(_labels(unit.pemda), list(score.tallies), {e: u.nrr for e, u in score.unsur.items()}, places),
    ]
    return "\n".join(lines)


def pemda_text(found: PemdaResult) -> str:
    """`skm results pemda` as text in the active language."""
    result, pemda = found.result, found.pemda
    places = pemda.display_precision
    lines = [
        f"{pemda.name} · {_period(found.start, found.end)}",
        _headline(result.ikm, result.band, result.n, result.weight.label, places),
        *_target_line(result.ikm, target_for(pemda, None, found.end.year), places),
        _("Metode: {method}").format(method=_(result.method.label)),
        describe(result.method, result.level, result.parts, result.n, len(result.skipped), _),
        _interval_line(found.interval, places),
        _("Sampel: {sample}").format(sample=_sample_line(found.sample, found.population)),
    ]
    if found.incomplete:
        lines.append(
            _("Tanpa IKM (ada unsur tanpa jawaban): {parts}").format(parts=", ".join(found.incomplete))
        )
    lines += ["", *_table(_labels(pemda), found.elements, result.nrr, places)]
    return "\n".join(lines)
