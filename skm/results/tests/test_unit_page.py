"""The unit results page and the lembar hasil IKM (issue 23 items 2 and 3): every figure equals the
scoring core applied to the raw answers (hypothesis, both weights, both element orders), the
profile percentages add up to 100, bad input gets a message, and the query count is pinned."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.collection import changes
from skm.collection.models import Answer, Channel, DailyRollup, MonthlyRollup
from skm.instrument.defaults import PROFILE_FIELDS
from skm.organisation.models import IkmTarget
from skm.organisation.tests.builders import every_unit_has_a_target
from skm.results import present, sheets
from skm.results.metode import metode_skm
from skm.results.ranges import today_in
from skm.results.tests.test_results_command import BASE, END, HYPOTHESIS, SETUPS, START, World
from skm.scoring import (
    ELEMENTS,
    Level,
    Method,
    Part,
    aggregate,
    ikm_confidence_interval_from_answers,
    priority_unsur,
    score_answers,
)
from skm.scoring.shares import largest_remainder
from skm.testing import make_answer, make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db

GENDERS = ["", "L", "P"]
AGES = ["", "u25", "u35", "u56"]
answer = st.fixed_dictionaries(
    {
        "values": st.fixed_dictionaries({e: st.sampled_from([None, 1, 2, 3, 4, 4]) for e in ELEMENTS}),
        "unit": st.integers(0, 2),
        "service": st.integers(0, 2),  # 2: no service
        "day": st.integers(0, 30),
        "excluded": st.booleans(),
        "channel": st.sampled_from(Channel.values),
        "gender": st.sampled_from(GENDERS),
        "age_band": st.sampled_from(AGES),
    }
)
RANGE = {"dari": START.isoformat(), "sampai": END.isoformat()}


class Shown(World):
    """The command tests' world, with answers that carry a channel and a profile."""

    def store(self, drawn):
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
                unit,
                dict(item["values"]),
                day=BASE + dt.timedelta(days=item["day"]),
                service=service,
                channel=item["channel"],
                gender=item["gender"],
                age_band=item["age_band"],
            )
            if item["excluded"]:
                row = changes.set_excluded(row, True, user=None, reason="uji")
            stored.append((row, {**item["values"], "_row": row}))
        return stored

    def rows(self, stored, **kwargs):
        values = self.raw(stored, **kwargs)
        return [v["_row"] for v in values], [{e: v[e] for e in ELEMENTS} for v in values]


@pytest.fixture(params=SETUPS, ids=["0.111", "1/9", "0.111-aduan-dulu", "1/9-aduan-dulu"])
def world(request) -> Shown:
    return Shown(*request.param)


@pytest.fixture
def reader(client, world):
    client.force_login(
        create_user(f"pimpinan-{world.pemda.pk}", "uji-rahasia-123", Role.PIMPINAN, world.pemda)
    )
    return client


def check_figures(f, world, answers, raw, population):
    score = score_answers(raw, world.weight, world.order)
    assert f["score"].n == score.n == len(raw)
    assert f["score"].ikm == score.ikm
    assert [r.element for r in f["rows"]] == list(world.order)
    for row in f["rows"]:
        unsur = score.unsur.get(row.element)
        assert row.nrr == (unsur.nrr if unsur else None)
        assert row.converted == (unsur.converted if unsur else None)
        assert row.weighted == (unsur.weighted if unsur else None)
        assert row.band == (unsur.band if unsur else None)
    nrr = [r.nrr for r in f["sorted_rows"] if r.nrr is not None]
    assert nrr == sorted(nrr, reverse=True)
    expected_priority = (
        priority_unsur({e: u.nrr for e, u in score.unsur.items()}, places=present.NRR_PLACES)
        if score.ikm is not None
        else []
    )
    assert f["priority"] == expected_priority
    interval = ikm_confidence_interval_from_answers(raw, world.weight, population, elements=world.order)
    got = f["result"].interval
    assert (got and (got.low, got.high)) == (interval and (interval.low, interval.high))
    for table, (key, _title, options) in zip(f["profile"], PROFILE_FIELDS, strict=True):
        counts = {code: sum(1 for a in answers if getattr(a, key) == code) for code, _ in options}
        shown = {r.label: r.count for r in table.rows}
        assert sum(shown.values()) == len(raw)
        if raw:
            assert sum(r.share for r in table.rows) == Decimal(100)
        expected = largest_remainder(
            {**counts, **({"": len(raw) - sum(counts.values())} if len(raw) > sum(counts.values()) else {})},
            2,
        )
        assert [r.share for r in table.rows] == list(expected.values())
    channels = {code: sum(1 for a in answers if a.channel == code) for code in Channel.values}
    assert [r.count for r in f["channels"].rows] == list(channels.values())
    assert f["channels"].metode == metode_skm(channels)


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=25), both=st.booleans())
def test_unit_page_figures_equal_the_core_on_the_raw_answers(world, reader, drawn, both):
    stored = world.store(drawn)
    for unit in world.units:
        params = {**RANGE, **({"termasuk_dikecualikan": "1"} if both else {})}
        response = reader.get(f"/kelola/hasil/upp/{unit.slug}/", params)
        assert response.status_code == 200
        answers, raw = world.rows(stored, unit=unit)
        check_figures(response.context["main"], world, answers, raw, unit.population)
        everything, raw_all = world.rows(stored, unit=unit, include_excluded=True)
        assert response.context["excluded_count"] == len(raw_all) - len(raw)
        if both:
            check_figures(response.context["with_excluded"], world, everything, raw_all, unit.population)
        else:
            assert response.context["with_excluded"] is None


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=25))
def test_service_figures_equal_the_core_on_that_services_answers(world, reader, drawn):
    stored = world.store(drawn)
    unit = world.units[0]
    for service in world.services:
        response = reader.get(f"/kelola/hasil/upp/{unit.slug}/", {**RANGE, "layanan": service.slug})
        assert response.context["service"] == service
        answers, raw = world.rows(stored, unit=unit, service=service)
        check_figures(response.context["main"], world, answers, raw, unit.population)


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=25))
def test_sheets_equal_the_core(world, reader, drawn):
    stored = world.store(drawn)
    unit = world.units[0]
    _answers, raw = world.rows(stored, unit=unit)
    span = reader.get(f"/kelola/hasil/upp/{unit.slug}/", RANGE).context["range"]
    sheet = sheets.unit_sheet(unit, span)
    score = score_answers(raw, world.weight, world.order)
    assert (sheet["ikm"], sheet["n"]) == (score.ikm, score.n)
    assert [r.converted for r in sheet["unsur"]] == [
        score.unsur[e].converted if e in score.unsur else None for e in world.order
    ]
    # The Pemda's sheet: its default method over its units.
    parts = []
    for each in world.pemda.units.all():
        part_score = score_answers(world.rows(stored, unit=each)[1], world.weight, world.order)
        if not (part_score.n and part_score.ikm is None):
            parts.append(Part.from_score(each.name, part_score))
    expected = aggregate(parts, Method(world.pemda.aggregation_method), Level.PEMDA, world.weight)
    pemda = sheets.pemda_sheet(world.pemda, span)
    assert (pemda["ikm"], pemda["n"]) == (expected.ikm, expected.n)
    assert [r.converted for r in pemda["unsur"]] == [
        expected.nrr[e] * 25 if e in expected.nrr else None for e in world.order
    ]
    all_answers = [a for a, _ in stored if START <= a.day <= END and not a.excluded]
    for table, (key, _t, _o) in zip(pemda["profile"], PROFILE_FIELDS, strict=True):
        assert sum(r.count for r in table.rows) == len(all_answers)
        assert not all_answers or sum(r.share for r in table.rows) == 100


def seeded(units: int, per_unit: int):
    pemda = make_pemda()
    pd = make_pd(pemda)
    made = [make_unit(pd, population=200) for _ in range(units)]
    for unit in made:
        for i in range(per_unit):
            make_answer(unit, [1 + (i + j) % 4 for j in range(9)], gender="LP"[i % 2], channel=Channel.MANUAL)
    return pemda, made


@pytest.mark.parametrize("units,per_unit", [(3, 2), (30, 6)])
def test_query_counts_do_not_grow_with_units_or_answers(client, units, per_unit, django_assert_num_queries):
    pemda, made = seeded(units, per_unit)
    client.force_login(create_user(f"p{units}", "uji-rahasia-123", Role.ADMIN_PEMDA, pemda))
    every_unit_has_a_target(pemda)
    client.get(f"/kelola/hasil/upp/{made[0].slug}/")  # warm the instrument cache
    # Each counts one query for the snapshots of closed periods (skm.results.freeze.snapshots_of).
    # +1 on each page for the IKM target (skm.organisation.targets.target_for)
    with django_assert_num_queries(
        14
    ):  # + the unit's stored recaps (skm.recaps.stored); the periods read once
        assert client.get(f"/kelola/hasil/upp/{made[-1].slug}/").status_code == 200
    with django_assert_num_queries(11):
        assert client.get(f"/kelola/hasil/upp/{made[-1].slug}/lembar/").status_code == 200
    with django_assert_num_queries(14):  # + the stored recaps, the snapshots, the targets
        assert client.get("/kelola/hasil/pemda/lembar/").status_code == 200


def test_bad_input_gets_a_message_not_an_error(client):
    pemda, (unit, *_) = seeded(1, 3)
    client.force_login(create_user("pemda-x", "uji-rahasia-123", Role.ADMIN_PEMDA, pemda))
    for params, text in (
        ({"dari": "2026-13-01", "sampai": "x"}, "Isi tanggal mulai dan selesai"),
        ({"periode": "999999"}, "Periode yang dipilih tidak ada"),
        ({"tahun": "1900"}, "Tahun harus antara"),
        ({"layanan": "tidak-ada"}, "Layanan yang dipilih tidak ada"),
    ):
        response = client.get(f"/kelola/hasil/upp/{unit.slug}/", params)
        assert response.status_code == 200
        assert text in response.content.decode()
        assert client.get(f"/kelola/hasil/upp/{unit.slug}/lembar/", params).status_code == 200
    assert client.get("/kelola/hasil/upp/tidak-ada/").status_code == 404
    assert client.get(f"/kelola/hasil/upp/{unit.slug}/lembar.docx").status_code == 404


def test_the_page_shows_the_figures_metode_and_links(client):
    pemda, (unit, *_) = seeded(1, 5)
    make_answer(unit, [4] * 9, channel=Channel.ONLINE, excluded=True)
    client.force_login(create_user("pemda-y", "uji-rahasia-123", Role.ADMIN_PEMDA, pemda))
    page = client.get(f"/kelola/hasil/upp/{unit.slug}/").content.decode()
    ikm = score_answers(
        [dict(zip(ELEMENTS, [1 + (i + j) % 4 for j in range(9)], strict=True)) for i in range(5)]
    )
    from skm.lib.numbers import number

    assert number(ikm.ikm, 2) in page
    assert "Manual" in page  # paper only: the excluded online answer does not count
    assert "1 jawaban ditandai dan dikecualikan" in page
    assert f"/kelola/entri/{unit.slug}/" in page and f"/kelola/impor/{unit.slug}/" in page
    both = client.get(f"/kelola/hasil/upp/{unit.slug}/", {"termasuk_dikecualikan": "1"}).content.decode()
    assert "Termasuk jawaban yang dikecualikan" in both and "Hybrid" in both


def test_pdf_shows_the_ikm_and_png_is_1080_wide(client):
    pemda, (unit, *_) = seeded(2, 4)
    client.force_login(create_user("pemda-z", "uji-rahasia-123", Role.ADMIN_PEMDA, pemda))
    context = client.get(f"/kelola/hasil/upp/{unit.slug}/").context
    from skm.lib.numbers import number

    shown = number(context["main"]["score"].ikm, pemda.display_precision)
    for url in (f"/kelola/hasil/upp/{unit.slug}/lembar.pdf", "/kelola/hasil/pemda/lembar.pdf"):
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True)
        assert b"Pages:           1" in info.stdout  # one A4 page
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Lembar Hasil" in text or "LEMBAR HASIL" in text
        if "upp" in url:
            assert shown in text and unit.name in text
        else:
            assert pemda.name in text and "metode" in text
    png = client.get(f"/kelola/hasil/upp/{unit.slug}/lembar.png").content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == sheets.PNG_WIDTH and abs(height - round(1080 * 297 / 210)) <= 2


def test_largest_remainder_rows_sum_to_100_on_the_page():
    tables = present.profile_tables({"gender": {"L": 1, "P": 1}}, 3)
    gender = tables[0]
    assert [r.count for r in gender.rows] == [1, 1, 1]
    assert sum(r.share for r in gender.rows) == 100
    assert Fraction(gender.rows[0].share) - Fraction(100, 3) < Fraction(1, 100)


def test_target_and_answers_over_time_follow_the_range(client):
    pemda, (unit, *_) = seeded(1, 4)
    client.force_login(create_user("pemda-t", "uji-rahasia-123", Role.ADMIN_PEMDA, pemda))
    today = today_in(pemda)
    # The Pemda's own target is not the unit's (skm.organisation.targets): nothing is shown.
    IkmTarget.objects.create(pemda=pemda, unit=None, year=None, value=Decimal("50.00"))
    page = client.get(f"/kelola/hasil/upp/{unit.slug}/", {"tahun": today.year})
    assert page.context["main"]["target_met"] is None and "Target IKM" not in page.content.decode()
    IkmTarget.objects.create(pemda=pemda, unit=unit, year=today.year, value=Decimal("99.00"))
    page = client.get(f"/kelola/hasil/upp/{unit.slug}/", {"tahun": today.year})
    assert page.context["main"]["target_met"] is False
    assert "Target IKM: 99,00" in page.content.decode()
    # Another year's range reads that year's target: none for the unit last year.
    page = client.get(f"/kelola/hasil/upp/{unit.slug}/", {"tahun": today.year - 1})
    assert "Target IKM" not in page.content.decode()
    spans = {
        "hari": (today - dt.timedelta(days=61), 62),
        "minggu": (today - dt.timedelta(days=189), None),
        "bulan": (today - dt.timedelta(days=400), None),
    }
    for word, (start, count) in spans.items():
        chart = client.get(
            f"/kelola/hasil/upp/{unit.slug}/", {"dari": start.isoformat(), "sampai": today.isoformat()}
        ).context["time_chart"]
        assert f"per {word}" in chart.title.lower()
        assert sum(int(row[1].replace(".", "")) for row in chart.rows) == 4
        if count:
            assert len(chart.rows) == count
