"""The report's figures come from the closed period's snapshot and agree with the scoring core
(issue 25 items 1, 3): every unit row, service sub-row, semester row and its mean, every section
average and the Pemda total are what skm.scoring computes from the answers dated in the period
and received before the cut-off; the late answer is counted apart, never in a figure."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from skm.organisation.models import Period
from skm.periods.models import Status
from skm.reports import content
from skm.reports.tests.world import YEAR, report_world
from skm.results.metode import Metode
from skm.scoring import ELEMENTS, Level, Method, Part, aggregate, score_answers
from skm.scoring.priority import priority_unsur
from skm.scoring.weights import Weight

pytestmark = pytest.mark.django_db


def _score(world, raw):
    return score_answers(raw, world.pemda.weight_enum, ELEMENTS)


@pytest.mark.parametrize("weight", ["0.111", "1/9"])
@pytest.mark.parametrize("method", [m.value for m in Method])
def test_every_row_and_total_follow_from_the_scoring_core(weight, method):
    world = report_world(weight=weight, method=method)
    report = content.build(world.period)
    rows = {r.unit.pk: r for r in report.rows}
    assert [r.number for r in report.rows] == list(range(1, len(report.rows) + 1))
    parts = []
    for key, unit in world.units.items():
        raw = world.raw(unit)
        score = _score(world, raw)
        row = rows[unit.pk]
        assert row.figures.n == len(raw) == score.n
        assert row.figures.ikm == score.ikm
        assert dict(row.figures.nrr) == {e: u.nrr for e, u in score.unsur.items()}
        if score.n:
            parts.append(Part.from_score(unit.name, score))
            assert row.figures.band == score.band
        else:
            assert key == "silent" and row.figures.ikm is None and row.figures.band is None
    expected = aggregate(parts, Method(method), Level.PEMDA, Weight(weight))
    assert report.total.result.ikm == expected.ikm
    assert report.total.result.n == expected.n == 27  # the late answer and last year's are out
    assert report.late_answers == 1


def test_sections_by_unit_type_and_their_averages():
    world = report_world()
    report = content.build(world.period)
    from skm.organisation.models import UnitType

    order = list(
        UnitType.objects.filter(pemda=world.pemda).order_by("position", "name").values_list("name", flat=True)
    )
    assert [s.name for s in report.sections] == sorted(["Puskesmas", "Kelurahan"], key=order.index)
    sections = {s.name: s for s in report.sections}
    puskesmas = sections["Puskesmas"]
    parts = [
        Part.from_score(u.name, _score(world, world.raw(u)))
        for u in (world.units["semester"], world.units["services"])
    ]
    assert puskesmas.average.ikm == aggregate(parts, Method.MEAN_OF_UNITS, Level.UNIT, Weight.W0111).ikm
    kelurahan = sections["Kelurahan"]
    assert [r.unit.name for r in kelurahan.rows] == ['Kelurahan Satu <&> "Tiga"', "Kelurahan Sepi"]
    assert kelurahan.average.n == 6  # the silent unit is no data, never a zero


def test_semester_rows_and_their_mean_from_the_same_snapshot():
    world = report_world()
    report = content.build(world.period)
    row = next(r for r in report.rows if r.unit == world.units["semester"])
    assert [s.label for s in row.subperiods] == ["Semester I", "Semester II"]
    halves = [
        _score(world, world.raw(row.unit, dt.date(YEAR, 1, 1), dt.date(YEAR, 6, 30))),
        _score(world, world.raw(row.unit, dt.date(YEAR, 7, 1), dt.date(YEAR, 12, 31))),
    ]
    for sub, score in zip(row.subperiods, halves, strict=True):
        assert sub.figures.ikm == score.ikm and sub.figures.n == score.n
    mean = aggregate(
        [Part.from_score(str(i), s) for i, s in enumerate(halves)],
        Method.MEAN_OF_UNITS,
        Level.YEAR_FROM_SUBPERIODS,
        Weight.W0111,
    )
    assert row.subperiod_mean is not None
    assert row.subperiod_mean.ikm == mean.ikm and row.subperiod_mean.n == 12
    # The unit's own row is its year from all its answers, as on every page.
    assert row.figures.n == 12 and row.metode == Metode.HYBRID
    others = [r for r in report.rows if r.unit != world.units["semester"]]
    assert all(not r.subperiods and r.subperiod_mean is None for r in others)


def test_service_rows_priority_rtl_and_realisation():
    world = report_world()
    report = content.build(world.period)
    rows = {r.unit.pk: r for r in report.rows}
    two = rows[world.units["services"].pk]
    assert [s.label for s in two.services] == ["Imunisasi", "Rawat Jalan"]  # the services' own order
    for sub, service in zip(
        two.services, world.units["services"].services.order_by("position", "name"), strict=True
    ):
        score = _score(world, world.raw(two.unit, service=service))
        assert sub.figures.ikm == score.ikm and sub.figures.n == score.n == (
            5 if service.name == "Rawat Jalan" else 4
        )
    assert two.priority_chosen and set(two.priority) == {"biaya", "sarana"}
    assert two.rtl == [("biaya", "Pasang papan tarif")]
    assert two.previous_realisation is None
    kel = rows[world.units["kelurahan"].pk]
    assert not kel.priority_chosen
    assert kel.priority == priority_unsur(kel.figures.nrr, places=3)
    assert kel.previous_realisation == Fraction(75) and kel.previous_period == f"Tahunan {YEAR - 1}"
    assert "waktu selesai 100 %" in kel.previous_narrative
    assert kel.metode == Metode.MANUAL and kel.status == Status.DILAPORKAN
    assert report.total_realisation == Fraction(75) and report.realisation_units == 1
    counted = dict(report.priority_counts)
    assert counted["biaya"] >= 1 and sum(counted.values()) == sum(len(r.priority) for r in report.rows)


def test_not_reported_units_and_their_reasons():
    world = report_world()
    report = content.build(world.period)
    silent = [n for n in report.not_reported if n.unit == world.units["silent"]]
    assert silent and silent[0].status == Status.ALASAN and silent[0].reason == "kurangnya SDM"


def test_a_later_version_reads_its_own_snapshot():
    from skm.results import freeze

    world = report_world()
    first = content.build(world.period)
    freeze.reopen_period(world.period, reason="uji")
    freeze.close_period(world.period)
    world.period.refresh_from_db()
    second = content.build(world.period)
    assert (first.snapshot.version, second.snapshot.version) == (1, 2)
    assert second.total.result.n == first.total.result.n + 1  # the late answer is in version 2
    again = content.build(world.period, version=1)
    assert again.total.result.ikm == first.total.result.ikm and again.late_answers == 1


def test_an_open_or_unknown_period_is_refused_with_the_closed_ones():
    world = report_world()
    assert content.find_period(world.pemda, f"tahunan  {YEAR}") == world.period
    assert content.find_period(world.pemda, str(world.period.pk)) == world.period
    Period.objects.create(
        pemda=world.pemda,
        kind="s1",
        year=YEAR + 1,
        start=dt.date(YEAR + 1, 1, 1),
        end=dt.date(YEAR + 1, 6, 30),
    )
    with pytest.raises(content.ReportError) as raised:
        content.find_period(world.pemda, f"Semester I {YEAR + 1}")
    assert "belum ditutup" in str(raised.value) and f"Tahunan {YEAR}" in str(raised.value)
    with pytest.raises(content.ReportError) as raised:
        content.find_period(world.pemda, "Tahunan 1999")
    assert "tidak ditemukan" in str(raised.value) and f"Tahunan {YEAR - 1}" in str(raised.value)


def test_a_sub_period_with_an_unsur_never_answered_has_no_ikm_and_no_mean():
    """A semester whose only answer left an unsur blank: listed with n, no IKM, not averaged."""
    from skm.collection.models import Answer
    from skm.results import freeze
    from skm.testing import make_answer

    world = report_world()
    unit = world.units["semester"]
    freeze.reopen_period(world.period, reason="uji")
    Answer.objects.filter(unit=unit, day__month=9).delete()
    from skm.collection import rollups

    rollups.rebuild(world.pemda.pk)
    make_answer(unit, {**dict.fromkeys(ELEMENTS, 3), "biaya": None}, day=dt.date(YEAR, 9, 3))
    freeze.close_period(world.period)
    world.period.refresh_from_db()
    row = next(r for r in content.build(world.period).rows if r.unit == unit)
    second = row.subperiods[1]
    assert second.figures.n == 1 and second.figures.ikm is None and "biaya" not in second.figures.nrr
    assert row.subperiod_mean is None  # one sub-period with an IKM: no mean to show
