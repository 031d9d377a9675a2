"""For any answers (blanks, excluded ones, any survey frequency, several services), the report's
figures are the scoring core's over the answers dated in the period and received before the
cut-off: each unit row, each semester or quarter row, the "Rata-rata Tahunan" mean over the
sub-periods with an IKM, each section's average and the Pemda total (SPEC §4, issue 25 item 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skm.collection import changes
from skm.organisation.models import Period
from skm.reports import content
from skm.results import freeze
from skm.scoring import ELEMENTS, Level, Method, Part, aggregate, score_answers
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db
YEAR = 2025

answer = st.fixed_dictionaries(
    {
        "values": st.fixed_dictionaries({e: st.sampled_from([None, 1, 2, 3, 4, 4]) for e in ELEMENTS}),
        "unit": st.integers(0, 2),
        "service": st.integers(0, 2),  # 2: no service
        "month": st.integers(1, 12),
        "excluded": st.booleans(),
    }
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    drawn=st.lists(answer, max_size=30),
    frequencies=st.tuples(*(st.sampled_from(["tahunan", "semester", "triwulan"]) for _ in range(3))),
    weight=st.sampled_from(["0.111", "1/9"]),
)
def test_report_figures_are_the_scoring_core_s(drawn, frequencies, weight):
    pemda = make_pemda(weight=weight)
    pd = make_pd(pemda)
    units = [make_unit(pd, frequency=f) for f in frequencies]
    services = [make_service(units[0]), make_service(units[0])]
    period = Period.objects.create(
        pemda=pemda, kind="tahunan", year=YEAR, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31)
    )
    stored = []
    for item in drawn:
        unit = units[item["unit"]]
        service = services[item["service"]] if item["unit"] == 0 and item["service"] < 2 else None
        row = make_answer(unit, dict(item["values"]), day=dt.date(YEAR, item["month"], 15), service=service)
        if item["excluded"]:
            row = changes.set_excluded(row, True, user=None, reason="uji")
        stored.append((row, item["values"]))
    freeze.close_period(period)
    period.refresh_from_db()
    make_answer(units[0], dict.fromkeys(ELEMENTS, 1), day=dt.date(YEAR, 6, 1))  # late: never counted
    report = content.build(period)
    rows = {r.unit.pk: r for r in report.rows}
    wt = pemda.weight_enum
    parts = []
    for unit in units:
        raw = [v for row, v in stored if row.unit_id == unit.pk and not row.excluded]
        score = score_answers(raw, wt, ELEMENTS)
        row = rows.get(unit.pk)
        assert row is not None  # every active unit is listed
        assert row.figures.n == len(raw) and row.figures.ikm == score.ikm
        assert row.incomplete == (score.n > 0 and score.ikm is None)
        if score.ikm is not None:
            parts.append(Part.from_score(unit.name, score))
        if unit.frequency == "tahunan":
            assert row.subperiods == [] and row.subperiod_mean is None
            continue
        size = 6 if unit.frequency == "semester" else 3
        with_ikm = []
        for i, sub in enumerate(row.subperiods):
            months = range(1 + i * size, 1 + (i + 1) * size)
            part_raw = [
                v for r, v in stored if r.unit_id == unit.pk and not r.excluded and r.day.month in months
            ]
            part_score = score_answers(part_raw, wt, ELEMENTS)
            assert sub.figures.n == len(part_raw) and sub.figures.ikm == part_score.ikm
            if part_score.ikm is not None:
                with_ikm.append(Part.from_score(sub.label, part_score))
        assert len(row.subperiods) == 12 // size
        if len(with_ikm) >= 2:
            mean = aggregate(with_ikm, Method.MEAN_OF_UNITS, Level.YEAR_FROM_SUBPERIODS, wt)
            assert row.subperiod_mean is not None and row.subperiod_mean.ikm == mean.ikm
        else:
            assert row.subperiod_mean is None
    assert report.total.result.ikm == aggregate(parts, Method.MEAN_OF_UNITS, Level.PEMDA, wt).ikm
    section_parts = [
        Part(r.unit.name, dict(r.figures.nrr), r.figures.ikm, r.figures.n)
        for r in report.sections[0].rows
        if r.figures.ikm is not None
    ]
    assert (
        report.sections[0].average.ikm == aggregate(section_parts, Method.MEAN_OF_UNITS, Level.UNIT, wt).ikm
    )
