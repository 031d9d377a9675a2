"""The lobby screen (/tv/<pemda>/, /tv/<pemda>/<screen>/ and their data.json): the year's figure is
the staff Pemda page's, a screen's is its units' by the scoring core, its ranking holds only its
units; unpublished suggestions never show; public text is escaped; no login; cached briefly."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skm.followup.replies import follow_up
from skm.public import tv
from skm.public.models import LobbyScreen
from skm.results import freeze, ranges
from skm.results.overview import overview
from skm.results.tests.test_results_command import HYPOTHESIS, SETUPS, World, answer
from skm.scoring import Level, Method, Part, aggregate, score_answers
from skm.scoring.rounding import round_half_up
from skm.testing import People, make_answer, make_pd, make_unit

pytestmark = pytest.mark.django_db

# The World's answers fall on 1…31 March 2026; the board is read on 25 March, so some are later.
NOW = dt.datetime(2026, 3, 25, 10, 15, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
TODAY = NOW.date()


def staff_figures(pemda):
    """The staff Pemda results page's figures for the year so far (as views_pemda reads them)."""
    span = ranges.range_from({"tahun": str(TODAY.year)}, pemda, TODAY)
    with freeze.for_range(pemda, span).reading():
        return overview(pemda, span.start, span.end, method=Method(pemda.aggregation_method), today=TODAY)


@pytest.fixture(params=SETUPS, ids=["0.111", "1/9", "0.111-aduan-dulu", "1/9-aduan-dulu"])
def world(request) -> World:
    return World(*request.param)


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=30), method=st.sampled_from(list(Method)))
def test_the_figure_and_ranking_are_the_staff_pages_and_a_screens_its_units(world, drawn, method):
    stored = world.store(drawn)
    world.pemda.aggregation_method = method.value
    world.pemda.save()
    places = world.pemda.display_precision

    board = tv.build(world.pemda, now=NOW)
    staff = staff_figures(world.pemda)
    expected = staff.headline.result
    assert board["ikm"] == (None if expected.ikm is None else float(round_half_up(expected.ikm, places)))
    assert board["n"] == expected.n
    assert board["mutu"] == (expected.band.mutu if expected.band else "")
    assert [(u["name"], u["n"]) for u in board["units"]] == [(m.unit.name, m.part.n) for m in staff.ranked]

    # A screen of two units: its own aggregate, computed by the core from the raw answers.
    chosen = world.units[1:]
    screen = LobbyScreen.objects.create(pemda=world.pemda, slug="mpp", name="Mal Pelayanan Publik")
    screen.units.set(chosen)
    ids = {u.pk for u in chosen}
    parts = []
    for unit in chosen:
        raw = [v for row, v in stored if row.unit_id == unit.pk and row.day <= TODAY and not row.excluded]
        score = score_answers(raw, world.weight, world.order)
        if score.ikm is not None:
            parts.append(Part.from_score(unit.name, score))
    own = aggregate(parts, method, Level.PEMDA, world.weight)
    got = tv.build(world.pemda, screen, now=NOW)
    assert got["ikm"] == (None if own.ikm is None else float(round_half_up(own.ikm, places)))
    assert got["n"] == own.n
    assert {u["name"] for u in got["units"]} == {p.label for p in parts}
    assert {u["name"] for u in got["units"]} <= {u.name for u in world.units if u.pk in ids}
    screen.delete()


@dataclass
class Lobby:
    people: People
    screen: LobbyScreen


@pytest.fixture
def lobby(people):
    """The people's Pemda with answers this year in three units, a screen of two, and suggestions:
    two published with replies (one of them trying a script), one replied but not published."""
    today = ranges.today_in(people.pemda)
    extra = make_unit(make_pd(people.pemda, "Dinas Kependudukan"), "Disdukcapil", population=30)
    for unit, value, count in ((people.unit, 4, 6), (people.sibling_unit, 3, 4), (extra, 2, 3)):
        for _ in range(count):
            make_answer(unit, [value] * 9, day=today)
    published = make_answer(people.unit, [4] * 9, day=today, suggestion="Antrean pagi panjang sekali")
    follow_up(published, status="selesai", reply="Loket kedua dibuka pukul 08.00", published=True, user=None)
    script = make_answer(people.sibling_unit, [3] * 9, day=today, suggestion="<script>alert(1)</script> halo")
    follow_up(
        script, status="ditindaklanjuti", reply="Terima kasih <b>masukannya</b>", published=True, user=None
    )
    hidden = make_answer(extra, [2] * 9, day=today, suggestion="RAHASIA belum terbit")
    follow_up(hidden, status="selesai", reply="BALASAN belum terbit", published=False, user=None)
    screen = LobbyScreen.objects.create(pemda=people.pemda, slug="mpp", name="Mal Pelayanan Publik")
    screen.units.set([people.sibling_unit, extra])
    return Lobby(people, screen)


def test_the_page_and_its_json_need_no_login_and_agree(client, lobby):
    people = lobby.people
    page = client.get(f"/tv/{people.pemda.slug}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "IKM sementara" in body
    board = page.context["board"]
    data = client.get(f"/tv/{people.pemda.slug}/data.json")
    assert data.status_code == 200
    assert "max-age=30" in data["Cache-Control"]
    got = data.json()
    assert got == board
    assert isinstance(got["ikm"], float) and got["ikm_text"] == got["ikm_text"].replace(".", ",")
    assert got["ikm_text"] in body
    assert [u["name"] for u in got["units"]] == ["Puskesmas Terminal", "Puskesmas Cempaka", "Disdukcapil"]
    assert got["units"][2]["small"] is True  # 4 answers from a population of 30
    for row in got["units"]:
        assert row["name"] in body and row["ikm_text"] in body
    assert got["time_text"] in body and len(got["time_text"]) == 5


def test_a_screen_ranks_only_its_units_and_shows_only_their_suggestions(client, lobby):
    people = lobby.people
    got = client.get(f"/tv/{people.pemda.slug}/mpp/data.json").json()
    assert got["screen"] == "Mal Pelayanan Publik"
    assert [u["name"] for u in got["units"]] == ["Puskesmas Cempaka", "Disdukcapil"]
    assert [s["unit"] for s in got["suggestions"]] == ["Puskesmas Cempaka"]
    page = client.get(f"/tv/{people.pemda.slug}/mpp/").content.decode()
    assert "Puskesmas Terminal" not in page
    assert "Mal Pelayanan Publik" in page


def test_unpublished_suggestions_never_show(client, lobby):
    people = lobby.people
    for url in (f"/tv/{people.pemda.slug}/", f"/tv/{people.pemda.slug}/mpp/"):
        for path in (url, url + "data.json"):
            text = client.get(path).content.decode()
            assert "RAHASIA" not in text and "BALASAN belum" not in text, path
    got = client.get(f"/tv/{people.pemda.slug}/data.json").json()
    assert {s["suggestion"] for s in got["suggestions"]} == {
        "Antrean pagi panjang sekali",
        "<script>alert(1)</script> halo",
    }


def test_a_suggestion_with_a_script_is_escaped(client, lobby):
    people = lobby.people
    # The sibling's suggestion is the first shown on the screen of its units.
    body = client.get(f"/tv/{people.pemda.slug}/mpp/").content.decode()
    assert "<script>alert" not in body and "<b>masukannya" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; halo" in body
    assert "Terima kasih &lt;b&gt;masukannya&lt;/b&gt;" in body
    assert "\\u003Cscript\\u003Ealert" in body  # the board for tv.js (json_script)


def test_unknown_pemda_or_screen_is_404(client, lobby):
    people = lobby.people
    other = LobbyScreen.objects.create(pemda=people.other_pemda, slug="lain", name="Lain")
    for path in (
        "/tv/tidak-ada/",
        "/tv/tidak-ada/data.json",
        f"/tv/{people.pemda.slug}/tidak-ada/",
        f"/tv/{people.pemda.slug}/tidak-ada/data.json",
        f"/tv/{people.pemda.slug}/{other.slug}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/tv/{people.pemda.slug}/").status_code == 405


def test_a_screen_never_counts_another_pemdas_unit(lobby):
    people, screen = lobby.people, lobby.screen
    make_answer(people.other_pemda_unit, [1] * 9)
    screen.units.add(people.other_pemda_unit)
    got = tv.build(people.pemda, screen)
    assert people.other_pemda_unit.name not in {u["name"] for u in got["units"]}
    assert got["n"] == 4 + 1 + 3 + 1  # the sibling's and Disdukcapil's answers only


def test_the_board_is_cached_briefly(client, lobby, django_assert_num_queries):
    people = lobby.people
    first = client.get(f"/tv/{people.pemda.slug}/data.json").json()
    make_answer(people.unit, [1] * 9)
    with django_assert_num_queries(1):  # the Pemda only: the board comes from the cache
        again = client.get(f"/tv/{people.pemda.slug}/data.json").json()
    assert again == first
    from django.core.cache import cache

    cache.clear()
    fresh = client.get(f"/tv/{people.pemda.slug}/data.json").json()
    assert fresh["n"] == first["n"] + 1


def test_building_a_board_reads_a_fixed_number_of_queries(lobby, django_assert_num_queries):
    """Snapshots, units, rollups, recaps, published suggestions: whatever the number of units."""
    people, screen = lobby.people, lobby.screen
    tv.build(people.pemda)  # instrument caches warm
    for _ in range(5):
        make_unit(people.dinas)
    with django_assert_num_queries(5):
        tv.build(people.pemda)
    with django_assert_num_queries(5):
        tv.build(people.pemda, screen)


def test_in_english(client, lobby):
    people = lobby.people
    client.cookies["django_language"] = "en"
    got = client.get(f"/tv/{people.pemda.slug}/data.json").json()
    assert "Year" in got["range_text"]
