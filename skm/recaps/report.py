"""A checked recap as one report: rows, aggregates, summary — as JSON or text, in the active
language (Indonesian by default).

The JSON document is a public interface, documented in the README section "Pemeriksaan rekap": keys and codes
may be added, never renamed. Numbers in JSON use a decimal dot; computed figures carry 4
decimals (rounded half up), published ones exactly what was written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.recaps.aggregates import METHOD_LABELS, AggregateResult, recap_aggregates
from skm.recaps.check import check_rows
from skm.recaps.ikm_check import WEIGHTS
from skm.recaps.reader import UNSUR_COLUMNS, RecapTable
from skm.recaps.results import AnnualCheck, RowResult
from skm.recaps.rows import Figure
from skm.recaps.verdicts import Verdict
from skm.scoring import Weight, format_id, round_half_up


@dataclass(frozen=True)
class RecapReport:
    """Everything ``skm recap check`` found in one file."""

    source: str
    rows: list[RowResult]
    aggregates: list[AggregateResult]
    weight: Weight
    weight_reason: str

    @property
    def problem_count(self) -> int:
        return sum(len(r.problems) for r in self.rows)

    @property
    def exit_code(self) -> int:
        """0 when every row is consistent, 1 when any problem was found."""
        return 1 if self.problem_count else 0


def check_recap(table: RecapTable, weight: Weight | None = None) -> RecapReport:
    """Check a recap and aggregate it (SPEC §8, §4). ``weight`` as in :func:`check_rows`."""
    checked = check_rows(table, weight)
    aggregates = recap_aggregates(checked.rows, checked.weight)
    return RecapReport(table.source, checked.rows, aggregates, checked.weight, checked.weight_reason)


# --------------------------------------------------------------------------- JSON


def _num(value: Fraction | None, places: int = 4) -> float | None:
    return None if value is None else float(round_half_up(value, places))


def _published(figure: Figure | None) -> float | None:
    return None if figure is None else float(figure.value)


def _annual_json(check: AnnualCheck, row: RowResult) -> dict[str, Any]:
    ikm = row.recap.ikm
    return {
        "kind": check.kind.value,
        "subperiod_rows": list(check.subperiod_rows),
        "periods": list(check.periods),
        "ok": check.ok,
        "unsur": None
        if check.unsur is None
        else [
            {
                "unsur": c.column,
                "published": float(c.published.value),
                "expected": _num(c.expected),
                "tolerance": _num(c.tolerance, 6),
                "ok": c.ok,
            }
            for c in check.unsur
        ],
        "ikm": None
        if check.ikm_ok is None
        else {
            "published": _published(ikm),
            "expected": _num(check.ikm_expected),
            "tolerance": _num(check.ikm_tolerance, 6),
            "ok": check.ikm_ok,
        },
        "n": None
        if check.n_ok is None
        else {"published": row.recap.n, "expected": check.n_expected, "ok": check.n_ok},
        "notes": [{"code": n.code, "message": n.message} for n in check.notes],
    }


def row_json(result: RowResult) -> dict[str, Any]:
    recap = result.recap
    checks = result.checks
    category = result.category
    sample = result.sample
    return {
        "row": recap.row,
        "upp": recap.upp,
        "periode": recap.periode.label,
        "periode_kind": recap.periode.kind.value,
        "layanan": recap.layanan or None,
        "verdict": result.verdict.value,
        "matches": [w.value for w in WEIGHTS if w in checks and checks[w].matches],
        "scale": result.scale.value if result.scale else None,
        "unsur": [_published(f) for f in recap.unsur],
        "ikm_published": _published(recap.ikm),
        "ikm_0111": _num(checks[Weight.W0111].ikm) if checks else None,
        "ikm_1_9": _num(checks[Weight.NINTH].ikm) if checks else None,
        "accepted_range": {w.value: [_num(c.low, 6), _num(c.high, 6)] for w, c in checks.items()} or None,
        "reading": checks[Weight.W0111].reading.value if checks else None,
        "n": recap.n,
        "category_published": category.published if category else (recap.kategori or None),
        "category_expected": category.expected.mutu if category and category.expected else None,
        "category_expected_label": category.expected.label if category and category.expected else None,
        "category_ok": category.ok if category else None,
        "copy_of": list(result.copy_of),
        "annual_check": _annual_json(result.annual, result) if result.annual else None,
        "sample": None
        if sample is None
        else {
            "population": sample.population,
            "n": sample.n,
            "required": sample.required,
            "adequate": sample.adequate,
            "shortfall": sample.shortfall,
        },
        "metode": recap.metode.as_dict(),
        "problems": [{"code": p.code, "message": p.message} for p in result.problems],
        "notes": [{"code": n.code, "message": n.message} for n in result.notes],
    }


def aggregate_json(result: AggregateResult) -> dict[str, Any]:
    return {
        "method": result.method.value,
        "label": str(METHOD_LABELS[result.method]),
        "level": "pemda",
        "weight": result.weight.value,
        "computable": result.computable,
        "ikm": _num(result.ikm, 2),
        "ikm_exact": _num(result.ikm),
        "category": result.band.mutu if result.band else None,
        "category_label": result.band.label if result.band else None,
        "n": result.n,
        "units": result.units,
        "nrr": {column: _num(result.nrr[column]) for column in UNSUR_COLUMNS if column in result.nrr},
        "description": result.description,
        "approximation": result.approximation,
        "left_out": [
            {
                "row": x.row,
                "upp": x.upp,
                "periode": x.periode,
                "code": x.code,
                "reason": x.reason,
            }
            for x in result.left_out
        ],
        "ikm_only_rows": list(result.ikm_only_rows),
        "notes": list(result.notes),
    }


def summary_json(report: RecapReport) -> dict[str, Any]:
    verdicts = Counter(r.verdict for r in report.rows)
    codes = Counter(p.code for r in report.rows for p in r.problems)
    return {
        "source": report.source,
        "rows": len(report.rows),
        "verdicts": {v.value: verdicts.get(v, 0) for v in Verdict},
        "rows_with_problems": sum(1 for r in report.rows if r.problems),
        "problems": report.problem_count,
        "problem_codes": dict(sorted(codes.items())),
        "weight": report.weight.value,
        "weight_reason": report.weight_reason,
        "exit_code": report.exit_code,
    }


def to_json(report: RecapReport) -> dict[str, Any]:
    """The public JSON document of ``skm recap check --json`` (see README)."""
    return {
        "rows": [row_json(r) for r in report.rows],
        "aggregates": [aggregate_json(a) for a in report.aggregates],
        "summary": summary_json(report),
    }


# --------------------------------------------------------------------------- text


def _row_details(result: RowResult) -> list[str]:
    recap = result.recap
    details = []
    if result.category and result.category.ok:
        details.append(_("kategori '{category}' sesuai").format(category=result.category.published))
    if recap.n is not None:
        details.append(_respondents(recap.n))
    if result.sample is not None and result.sample.adequate:
        details.append(
            _("sampel cukup (perlu {required} untuk populasi {population})").format(
                required=format_id(result.sample.required, 0),
                population=format_id(result.sample.population, 0),
            )
        )
    if recap.metode.original:
        normalised = recap.metode.normalised.value if recap.metode.normalised else "?"
        details.append(
            _("metode '{original}' → {normalised}").format(
                original=recap.metode.original, normalised=normalised
            )
        )
    if result.annual is not None and result.annual.ok:
        details.append(_("sesuai rata-rata {periods}").format(periods=", ".join(result.annual.periods)))
    return details


def _row_text(result: RowResult) -> list[str]:
    recap = result.recap
    title = " · ".join(
        part for part in (recap.upp or _("(tanpa nama unit)"), recap.layanan, recap.periode.label) if part
    )
    lines = [_("Baris {row}  {title}").format(row=recap.row, title=title)]
    facts = []
    if recap.ikm is not None:
        facts.append(f"IKM {recap.ikm.display}")
    if result.checks:
        recomputed = ", ".join(f"{format_id(c.ikm, 2)} ({w.label})" for w, c in result.checks.items())
        facts.append(_("dari unsur: {values}").format(values=recomputed))
    facts.append(str(result.verdict.label))
    lines.append("  " + " · ".join(facts))
    details = _row_details(result)
    if details:
        lines.append("  " + " · ".join(details))
    lines.extend(f"  ✗ {p.message}" for p in result.problems)
    lines.extend(f"  · {n.message}" for n in result.notes if n.code != "no_data")
    return lines


def _respondents(n: int) -> str:
    return ngettext("{n} responden", "{n} responden", n).format(n=format_id(n, 0))


def _rows(count: int) -> str:
    return ngettext("{n} baris", "{n} baris", count).format(n=count)


def _aggregate_text(result: AggregateResult) -> list[str]:
    label = str(METHOD_LABELS[result.method])
    if result.approximation:
        label = _("{method} (pendekatan)").format(method=label)
    if not result.computable or result.ikm is None:
        return ["  " + _("{method}: tidak dapat dihitung.").format(method=label)]
    band = f" {result.band.label}" if result.band else ""
    units = ngettext("{n} unit", "{n} unit", result.units).format(n=result.units)
    lines = [
        f"  {label}: {format_id(result.ikm, 2)}{band} · {units} · {_respondents(result.n)}",
        f"    {result.description}",
    ]
    if result.approximation:
        lines.append(f"    {result.approximation}")
    return lines


def _left_out_text(aggregates: list[AggregateResult]) -> list[str]:
    reasons: dict[str, list[int]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for result in aggregates:
        for item in result.left_out:
            key = (item.row, item.reason)
            if key not in seen:
                seen.add(key)
                reasons[item.reason].append(item.row)
    lines = []
    for reason, rows in reasons.items():
        listed = ngettext("baris {rows}", "baris {rows}", len(rows)).format(
            rows=", ".join(str(r) for r in sorted(rows))
        )
        lines.append(f"    {reason}: {listed}")
    return lines


def to_text(report: RecapReport) -> str:
    """The report printed by ``skm recap check``, in the active language (decimal comma)."""
    summary = summary_json(report)
    lines = [
        _("Pemeriksaan rekap SKM: {source}").format(source=report.source),
        _("{rows} · bobot rekap {weight} ({reason})").format(
            rows=_rows(len(report.rows)), weight=report.weight.label, reason=report.weight_reason
        ),
        "",
    ]
    for result in report.rows:
        lines.extend(_row_text(result))
        lines.append("")
    lines.append(_("Agregat seluruh unit (bobot {weight}):").format(weight=report.weight.label))
    for combined in report.aggregates:
        lines.extend(_aggregate_text(combined))
    left = _left_out_text(report.aggregates)
    if left:
        lines.append("  " + _("Baris yang tidak dihitung sendiri:"))
        lines.extend(left)
    notes = list(dict.fromkeys(n for a in report.aggregates for n in a.notes))
    lines.extend(f"  · {n}" for n in notes)
    lines.append("")
    counts = summary["verdicts"]
    verdicts = ", ".join(f"{counts[v.value]} {v.label}" for v in Verdict if counts[v.value])
    lines.append(_("Ringkasan: {rows} — {verdicts}.").format(rows=_rows(len(report.rows)), verdicts=verdicts))
    if report.problem_count:
        problems = ngettext("{n} masalah", "{n} masalah", report.problem_count).format(n=report.problem_count)
        lines.append(
            _("{problems} pada {rows}.").format(problems=problems, rows=_rows(summary["rows_with_problems"]))
        )
    else:
        lines.append(_("Tidak ada masalah: semua baris konsisten."))
    return "\n".join(lines)
