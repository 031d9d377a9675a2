"""Recaps saved in the workspace and how they enter the results (issue 24 item 4, SPEC §4, §8)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from skm.accounts.models import AuditEvent
from skm.organisation.models import Period
from skm.recaps.models import Source, StoredRecap
from skm.recaps.stored import recap_parts, recap_units
from skm.recaps.storing import (
    Checked,
    EntryRow,
    Placement,
    Unexplained,
    check_table,
    entry_table,
    instrument_elements,
    period_label,
    save_checked,
)
from skm.results.compute import pemda_result
from skm.scoring.aggregate import Method
from skm.scoring.rounding import format_id
from skm.testing import make_answer, make_people

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def consistent(unit, converted: list[int], n: int = 120, service: str = "") -> EntryRow:
    """A row whose IKM follows from its converted values with 0.111 and whose category fits."""
    elements = instrument_elements(unit.pemda)
    ikm = Fraction(111, 1000) * sum(converted)
    bounds = ((Fraction(8831, 100), "A"), (Fraction(7661, 100), "B"), (Fraction(65), "C"))
    mutu = next((m for low, m in bounds if ikm >= low), "D")
    return EntryRow(
        service=service,
        values={e: str(v) for e, v in zip(elements, converted, strict=True)},
        ikm=format_id(ikm, 2),
        category=mutu,
        n=str(n),
        metode="Online dan Manual",
    )


def tahunan(pemda):
    return Period.objects.create(pemda=pemda, kind="tahunan", year=2026, start=YEAR[0], end=YEAR[1])


def enter(unit, period, rows, *, explanations=None, user=None):
    checked = Checked(
        check_table(unit.pemda, entry_table(unit, period_label(period), rows)), explanations or {}
    )
    return checked, save_checked(unit, Placement.of(period), checked, source=Source.ENTRY, user=user)


def test_a_consistent_recap_is_saved_checked_and_counts_as_reported():
    people = make_people()
    period = tahunan(people.pemda)
    checked, saved = enter(people.unit, period, [consistent(people.unit, [88] * 9)], user=people.unit_admin)
    assert checked.problem_count == 0
    (recap,) = saved
    assert (
        recap.verdict == "0.111"
    )  # 9 × 88 × 0,111 = 87,912 → the IKM 87,91 written; by 1/9 it would be 88,00
    assert recap.converted == dict.fromkeys(instrument_elements(people.pemda), "88")
    assert recap.n == 120 and str(recap.ikm) == "87.9100" and recap.metode == "hybrid"
    assert recap.metode_original == "Online dan Manual"
    assert recap_units(people.pemda, period) == {people.unit.pk}
    assert AuditEvent.objects.filter(action="recap.save", object_id=str(recap.pk)).exists()


def test_nrr_values_are_kept_and_converted():
    people = make_people()
    period = tahunan(people.pemda)
    elements = instrument_elements(people.pemda)
    row = EntryRow("", dict.fromkeys(elements, "3,52"), "87,91", "B", "50")
    _, (recap,) = enter(people.unit, period, [row])
    assert recap.nrr == dict.fromkeys(elements, "3.52")
    assert recap.converted == dict.fromkeys(elements, "88")


def test_a_problem_must_be_explained_before_saving():
    people = make_people()
    period = tahunan(people.pemda)
    wrong = consistent(people.unit, [88] * 9)
    wrong = EntryRow(wrong.service, wrong.values, "91,50", "A", wrong.n)  # follows from no weight
    with pytest.raises(Unexplained):
        enter(people.unit, period, [wrong])
    assert not StoredRecap.objects.exists()
    checked = Checked(check_table(people.pemda, entry_table(people.unit, "Tahunan", [wrong])))
    codes = [p.code for p in checked.results[0].problems]
    assert codes, "the check finds the IKM that follows from no weight"
    explanations = {(1, i): "Salah ketik saat rekap" for i in range(len(codes))}
    _, (recap,) = enter(people.unit, period, [wrong], explanations=explanations)
    assert recap.verdict == "inconsistent"
    assert [p["code"] for p in recap.problems] == codes
    assert all(p["explanation"] == "Salah ketik saat rekap" for p in recap.problems)


def test_saving_again_replaces_the_earlier_recap_and_audits_it():
    people = make_people()
    period = tahunan(people.pemda)
    enter(people.unit, period, [consistent(people.unit, [88] * 9)])
    enter(people.unit, period, [consistent(people.unit, [80] * 9)])
    assert StoredRecap.objects.count() == 1
    assert StoredRecap.objects.get().converted[instrument_elements(people.pemda)[0]] == "80"
    assert AuditEvent.objects.filter(action="recap.replace").count() == 1


def test_a_recap_enters_the_pemda_aggregate_marked_and_only_without_answers():
    people = make_people()
    period = tahunan(people.pemda)
    for _ in range(4):
        make_answer(people.unit, [4] * 9, day=dt.date(2026, 3, 2))
    enter(people.sibling_unit, period, [consistent(people.sibling_unit, [80] * 9, n=60)])
    # A recap of a unit that has answers does not replace them.
    enter(people.unit, period, [consistent(people.unit, [60] * 9)])
    result = pemda_result(people.pemda, *YEAR, method=Method.MEAN_OF_UNITS)
    by_unit = {m.unit.pk: m for m in result.members if m.part.n}
    assert by_unit[people.sibling_unit.pk].recap is True
    assert by_unit[people.unit.pk].recap is False and by_unit[people.unit.pk].part.ikm == Fraction(999, 10)
    recap_ikm = Fraction(111, 1000) * 720
    assert result.result.ikm == (Fraction(999, 10) + recap_ikm) / 2
    assert result.result.n == 4 + 60


def test_no_data_never_enters_and_unverifiable_only_where_the_method_allows():
    people = make_people()
    period = tahunan(people.pemda)
    for _ in range(2):
        make_answer(people.unit, [4] * 9, day=dt.date(2026, 3, 2))
    enter(people.sibling_unit, period, [EntryRow("", {}, "82,00", "B", "40")])  # IKM only
    enter(people.other_pd_unit, period, [EntryRow("", {}, "0,00", "", "0")])  # no data
    stored = {r.unit_id: r.verdict for r in StoredRecap.objects.all()}
    assert stored == {people.sibling_unit.pk: "unverifiable", people.other_pd_unit.pk: "no data"}
    mean = pemda_result(people.pemda, *YEAR, method=Method.MEAN_OF_UNITS)
    assert mean.result.ikm == (Fraction(999, 10) + 82) / 2  # 4 on every unsur with 0.111: 99,9
    assert mean.result.n == 42  # the no-data unit is not a zero
    pooled = pemda_result(people.pemda, *YEAR, method=Method.POOLED)
    assert pooled.recaps_apart == (people.sibling_unit.name,)
    assert pooled.result.ikm == Fraction(999, 10)


def test_pooled_with_a_full_recap_is_approximated_and_says_so():
    people = make_people()
    period = tahunan(people.pemda)
    for _ in range(3):
        make_answer(people.unit, [4] * 9, day=dt.date(2026, 3, 2))
    enter(people.sibling_unit, period, [consistent(people.sibling_unit, [50] * 9, n=1)])
    pooled = pemda_result(people.pemda, *YEAR, method=Method.POOLED)
    assert pooled.approximation
    # NRR per unsur weighted by respondents: (3 × 4 + 1 × 2) / 4 = 3,5; IKM = 9 × 3,5 × 0,111 × 25.
    assert pooled.result.ikm == 9 * Fraction(7, 2) * Fraction(111, 1000) * 25
    assert pooled.interval is None


def test_the_period_must_match_exactly_and_a_year_takes_its_semesters():
    people = make_people()
    s1 = Period.objects.create(
        pemda=people.pemda, kind="s1", year=2026, start=YEAR[0], end=dt.date(2026, 6, 30)
    )
    s2 = Period.objects.create(
        pemda=people.pemda, kind="s2", year=2026, start=dt.date(2026, 7, 1), end=YEAR[1]
    )
    enter(people.unit, s1, [consistent(people.unit, [80] * 9, n=10)])
    enter(people.unit, s2, [consistent(people.unit, [90] * 9, n=30)])
    first, year, other = recap_parts(
        people.pemda,
        [(s1.start, s1.end), YEAR, (dt.date(2026, 1, 1), dt.date(2026, 6, 29))],
        instrument_elements(people.pemda),
    )
    assert first[people.unit.pk].part.ikm == Fraction(111, 1000) * 720
    # The year from its semesters: unweighted mean of the IKMs, n the sum (SPEC §4).
    assert year[people.unit.pk].part.ikm == (Fraction(111, 1000) * 720 + Fraction(111, 1000) * 810) / 2
    assert year[people.unit.pk].part.n == 40
    assert other == {}
    assert recap_units(people.pemda, s1) == {people.unit.pk}
    assert recap_units(people.pemda, tahunan(people.pemda)) == set()


def test_services_without_a_unit_row_are_averaged():
    people = make_people()
    period = tahunan(people.pemda)
    rows = [
        consistent(people.unit, [80] * 9, n=10, service="Rawat jalan"),
        consistent(people.unit, [90] * 8 + [70], n=30, service="Laboratorium"),
    ]
    enter(people.unit, period, rows)
    (parts,) = recap_parts(people.pemda, [YEAR], instrument_elements(people.pemda))
    part = parts[people.unit.pk].part
    assert part.ikm == (Fraction(111, 1000) * 720 + Fraction(111, 1000) * 790) / 2
    assert part.n == 40
