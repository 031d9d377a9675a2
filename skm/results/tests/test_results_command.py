"""`skm results unit|pemda`: what the command prints from the rollups equals the scoring core
applied to the raw answers, for both weights and both element orders (SPEC §4)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skm.collection import changes
from skm.collection.models import Answer, DailyRollup, MonthlyRollup
from skm.results.management.commands.results import Command
from skm.scoring import (
    ELEMENTS,
    ELEMENTS_PENGADUAN_BEFORE_SARANA,
    Level,
    Method,
    Part,
    Weight,
    aggregate,
    band_for_nrr,
    ikm_confidence_interval_from_answers,
    round_half_up,
    sample_adequacy,
    score_answers,
)
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 5)
END = dt.date(2026, 3, 25)
BASE = dt.date(2026, 3, 1)
SETUPS = [
    (Weight.W0111, ELEMENTS),
    (Weight.NINTH, ELEMENTS),
    (Weight.W0111, ELEMENTS_PENGADUAN_BEFORE_SARANA),
    (Weight.NINTH, ELEMENTS_PENGADUAN_BEFORE_SARANA),
]
HYPOTHESIS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

answer = st.fixed_dictionaries(
    {
        "values": st.fixed_dictionaries({e: st.sampled_from([None, 1, 2, 3, 4, 4]) for e in ELEMENTS}),
        "unit": st.integers(0, 2),
        "service": st.integers(0, 2),  # 2: no service
        "day": st.integers(0, 30),
        "excluded": st.booleans(),
    }
)


class World:
    def __init__(self, weight: Weight, order: tuple[str, ...]) -> None:
        self.weight, self.order = weight, order
        self.pemda = make_pemda(weight=weight.value, order=order)
        pd = make_pd(self.pemda)
        self.units = [make_unit(pd, population=500), make_unit(pd), make_unit(pd, population=40)]
        self.services = [make_service(self.units[0]), make_service(self.units[0])]

    def store(self, drawn: list[dict]) -> list[tuple[Answer, dict]]:
        """Answers through the real path: created with their rollup, flagged by changes.set_excluded."""
        Answer.objects.all().delete()
        DailyRollup.objects.all().delete()
        MonthlyRollup.objects.all().delete()
        stored = []
        for item in drawn:
            unit = self.units[item["unit"]]
            service = (
                self.services[item["service"]] if unit == self.units[0] and item["service"] < 2 else None
            )
            row = make_answer(
                unit, dict(item["values"]), day=BASE + dt.timedelta(days=item["day"]), service=service
            )
            if item["excluded"]:
                row = changes.set_excluded(row, True, user=None, reason="uji")
            stored.append((row, item["values"]))
        return stored

    def raw(self, stored, *, unit=None, service="any", include_excluded=False) -> list[dict]:
        return [
            values
            for row, values in stored
            if START <= row.day <= END
            and (include_excluded or not row.excluded)
            and (unit is None or row.unit_id == unit.pk)
            and (service == "any" or row.service_id == (service.pk if service else None))
        ]


@pytest.fixture(params=SETUPS, ids=["0.111", "1/9", "0.111-aduan-dulu", "1/9-aduan-dulu"])
def world(request) -> World:
    return World(*request.param)


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("results", *args, "--from", START.isoformat(), "--to", END.isoformat(), "--json", stdout=out)
    return json.loads(out.getvalue())


def num(value, places):
    return None if value is None else float(round_half_up(value, places))


def expected_elements(nrr: dict, order, weight: Weight) -> dict:
    out = {}
    for element in order:
        value = nrr.get(element)
        out[element] = {
            "nrr": num(value, 4),
            "weighted": None if value is None else num(value * weight.fraction, 4),
            "converted": None if value is None else num(value * 25, 2),
            "category": None if value is None else band_for_nrr(value).mutu,
        }
    return out


def check_unit(doc: dict, world: World, raw: list[dict], population: int | None) -> None:
    score = score_answers(raw, world.weight, world.order)
    assert doc["elements"] == list(world.order)
    assert list(doc["unsur"]) == list(world.order)
    assert doc["unsur"] == expected_elements(
        {e: u.nrr for e, u in score.unsur.items()}, world.order, world.weight
    )
    assert doc["n"] == score.n == len(raw)
    assert doc["ikm"] == num(score.ikm, 2)
    assert doc["ikm_exact"] == num(score.ikm, 4)
    assert doc["category"] == (score.band.mutu if score.band else None)
    assert doc["missing"] == list(score.missing)
    assert doc["weight"] == world.weight.value
    interval = ikm_confidence_interval_from_answers(raw, world.weight, population, elements=world.order)
    expected_interval = None if interval is None else [num(interval.low, 2), num(interval.high, 2)]
    got = doc["interval"] and [doc["interval"]["low"], doc["interval"]["high"]]
    assert got == expected_interval
    sample = sample_adequacy(len(raw), population)
    assert doc["sample"] == {
        "n": len(raw),
        "required": sample.required,
        "population": population,
        "adequate": sample.adequate,
    }


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=30), include=st.booleans())
def test_unit_figures_equal_the_core_on_the_raw_answers(world, drawn, include):
    stored = world.store(drawn)
    for unit in world.units:
        args = ["unit", unit.slug] + (["--include-excluded"] if include else [])
        doc = run(*args)
        assert doc["unit"]["slug"] == unit.slug
        assert doc["include_excluded"] is include
        check_unit(doc, world, world.raw(stored, unit=unit, include_excluded=include), unit.population)


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=30))
def test_service_figures_equal_the_core_on_that_services_answers(world, drawn):
    stored = world.store(drawn)
    unit = world.units[0]
    for service in world.services:
        doc = run("unit", unit.slug, "--service", service.slug)
        assert doc["service"]["slug"] == service.slug
        check_unit(doc, world, world.raw(stored, unit=unit, service=service), unit.population)


def expected_parts(world: World, stored, level: Level) -> tuple[list[Part], list[str]]:
    groups: list[tuple[str, list[dict]]] = []
    for unit in world.pemda.units.all():  # the Pemda's order of units, then of services
        if level is Level.PEMDA:
            groups.append((unit.name, world.raw(stored, unit=unit)))
            continue
        for service in [*unit.services.all(), None]:
            raw = world.raw(stored, unit=unit, service=service)
            if raw:
                groups.append((f"{unit.name} · {service.name if service else '—'}", raw))
    parts, incomplete = [], []
    for label, raw in groups:
        score = score_answers(raw, world.weight, world.order)
        if score.n and score.ikm is None:
            incomplete.append(label)
        else:
            parts.append(Part.from_score(label, score))
    return parts, incomplete


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=30), level=st.sampled_from(["units", "services"]))
def test_pemda_aggregate_equals_the_core_over_the_parts_by_every_method(world, drawn, level):
    stored = world.store(drawn)
    scoring_level = Level.PEMDA if level == "units" else Level.SERVICE
    parts, incomplete = expected_parts(world, stored, scoring_level)
    for method in Method:
        doc = run("pemda", world.pemda.slug, "--method", method.value, "--level", level)
        expected = aggregate(parts, method, scoring_level, world.weight)
        assert doc["method"] == method.value
        assert doc["level"] == scoring_level.value
        assert doc["weight"] == world.weight.value
        assert doc["ikm"] == num(expected.ikm, 2)
        assert doc["ikm_exact"] == num(expected.ikm, 4)
        assert doc["category"] == (expected.band.mutu if expected.band else None)
        assert doc["n"] == expected.n
        assert doc["parts"] == expected.parts
        assert doc["skipped"] == list(expected.skipped)
        assert doc["incomplete"] == incomplete
        assert doc["elements"] == list(world.order)
        assert doc["unsur"] == expected_elements(expected.nrr, world.order, world.weight)
        assert doc["description"] == expected.description
        interval = None
        if method is Method.POOLED and expected.ikm is not None and not incomplete:
            interval = ikm_confidence_interval_from_answers(
                world.raw(stored), world.weight, elements=world.order
            )
        got = doc["interval"] and [doc["interval"]["low"], doc["interval"]["high"]]
        assert got == (interval and [num(interval.low, 2), num(interval.high, 2)])


def test_the_pemdas_own_method_is_the_default(world):
    world.pemda.aggregation_method = Method.POOLED.value
    world.pemda.save()
    make_answer(world.units[0], day=START)
    assert run("pemda", world.pemda.slug)["method"] == "pooled"


def test_text_is_indonesian_by_default_and_english_when_active(world):
    make_answer(world.units[0], [4, 4, 3, 3, 4, 3, 4, 3, 4], day=START)
    make_answer(world.units[0], [3, 4, 3, 4, 4, 3, 4, 3, 3], day=START)
    args = ("results", "unit", world.units[0].slug, "--from", START.isoformat(), "--to", END.isoformat())
    out = io.StringIO()
    call_command(*args, stdout=out)
    text = out.getvalue()
    assert "IKM" in text and "2 responden" in text and "5 Maret 2026" in text
    assert "populasi 500: belum memadai" in text
    number = "87,41" if world.weight is Weight.W0111 else "87,50"
    assert number in text
    with translation.override("en"):
        out = io.StringIO()
        call_command(*args, stdout=out)
    assert "2 respondents" in out.getvalue() and "March 2026" in out.getvalue()
    assert number.replace(",", ".") in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["unit", "tidak-ada"], "Unit dengan kode 'tidak-ada' tidak ditemukan."),
        (["pemda", "tidak-ada"], "Pemda dengan kode 'tidak-ada' tidak ditemukan."),
    ],
)
def test_unknown_names_are_refused_with_exit_code_2(args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert str(error.value) == message


def test_bad_input_says_so_in_indonesian_on_stderr_only(world, capsys, monkeypatch):
    # run_from_argv closes every connection when done: on PostgreSQL, the test's transaction with it
    monkeypatch.setattr(connections, "close_all", lambda: None)
    unit, pemda = world.units[0].slug, world.pemda.slug
    cases = [
        (
            ["unit", unit, "--from", "2026-02-30", "--to", "2026-03-01"],
            "Tanggal --from '2026-02-30' tidak sah",
        ),
        (["unit", unit, "--from", "2026-03-02", "--to", "2026-03-01"], "jatuh setelah --to"),
        (["unit", unit, "--from", "2026-03-01", "--to", "2026-03-02", "--service", "x"], "Jenis layanan 'x'"),
        (
            ["pemda", pemda, "--from", "2026-03-01", "--to", "2026-03-02", "--method", "median"],
            "Metode 'median'",
        ),
        (["pemda", pemda, "--from", "2026-03-01", "--to", "2026-03-02", "--level", "pd"], "Tingkat 'pd'"),
    ]
    for args, message in cases:
        with pytest.raises(SystemExit) as exit_:
            Command().run_from_argv(["skm", "results", *args])
        assert exit_.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert message in captured.err
