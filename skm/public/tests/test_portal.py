"""The public portal (issue 26 item 1, SPEC §6): no login, a closed period's frozen figures and the
running year's live ones labelled "sementara", the same figures as the staff pages, units
searchable and sortable, only published suggestions, shown escaped."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest
from django.test import Client

from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.collection.models import PeriodSnapshot
from skm.public import portal
from skm.public.tests.world import PortalWorld, portal_world
from skm.results import freeze
from skm.results.compute import pemda_result
from skm.testing import make_answer, make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> PortalWorld:
    return portal_world()


def staff(world: PortalWorld) -> Client:
    user = create_user("admin-portal", "uji-rahasia-123", Role.ADMIN_PEMDA, world.pemda)
    client = Client()
    client.force_login(user)
    return client


def pemda_page(client: Client, world: PortalWorld, query: str = ""):
    response = client.get(f"/p/{world.pemda.slug}/{query}")
    assert response.status_code == 200
    return response


def unit_page(client: Client, world: PortalWorld, unit, query: str = ""):
    response = client.get(f"/p/{world.pemda.slug}/{unit.slug}/{query}")
    assert response.status_code == 200
    return response


def test_one_pemda_hosted_goes_straight_to_its_page(client, world):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/p/{world.pemda.slug}/"


def test_several_pemda_are_listed_with_their_last_closed_figure(client, world):
    other = make_pemda("Kabupaten Tanpa Periode")
    make_unit(make_pd(other))
    response = client.get("/")
    assert response.status_code == 200
    lines = {line.pemda.slug: line for line in response.context["lines"]}
    with freeze.reading_for(world.pemda):  # the snapshot: the suggestions came after the close
        closed = pemda_result(world.pemda, world.closed.start, world.closed.end)
    assert lines[world.pemda.slug].ikm == closed.result.ikm
    assert lines[world.pemda.slug].n == closed.result.n
    assert lines[world.pemda.slug].period == world.closed.display_label
    assert lines[other.slug].ikm is None
    assert "Kabupaten Tanpa Periode" in response.content.decode()


def test_the_pemda_page_shows_the_staff_pages_figures_for_the_closed_period_and_the_year(client, world):
    portal_page = pemda_page(client, world)
    closed_card, year_card = portal_page.context["cards"]
    admin = staff(world)
    frozen = admin.get(f"/kelola/hasil/pemda/?periode={world.closed.pk}").context["result"]
    assert closed_card["result"].ikm == frozen.ikm is not None
    assert closed_card["result"].n == frozen.n
    assert closed_card["provisional"] is False
    running = admin.get(f"/kelola/hasil/pemda/?tahun={world.today.year}").context["result"]
    assert year_card["result"].ikm == running.ikm is not None
    assert year_card["result"].n == running.n == 5
    assert year_card["provisional"] is True
    text = portal_page.content.decode()
    assert "sementara" in text
    # Per unsur and per unit, as the staff page ranks them.
    staff_page = admin.get(f"/kelola/hasil/pemda/?periode={world.closed.pk}")
    assert [r.nrr for r in portal_page.context["data"].unsur] == [
        r.nrr for r in staff_page.context["data"].unsur
    ]
    assert [(m.unit.pk, m.part.ikm) for m in staff_page.context["ranked"]] == [
        (line.unit.pk, line.ikm) for line in portal_page.context["lines"] if line.ikm is not None
    ]


def test_a_late_answer_leaves_the_closed_figures_and_moves_the_running_year(client, world):
    before = pemda_page(client, world).context["cards"]
    make_answer(
        world.beta, [1] * 9, day=world.closed.start + dt.timedelta(days=40)
    )  # late for the closed year
    make_answer(world.beta, [1] * 9, day=world.today)
    after = pemda_page(client, world).context["cards"]
    assert after[0]["result"].ikm == before[0]["result"].ikm
    assert after[0]["result"].n == before[0]["result"].n
    assert after[1]["result"].n == before[1]["result"].n + 1
    assert after[1]["result"].ikm < before[1]["result"].ikm


def test_the_unit_page_shows_the_staff_unit_figures(client, world):
    page = unit_page(client, world, world.alpha)
    assert page.context["view"].key == str(world.closed.pk)
    admin = staff(world)
    main = admin.get(f"/kelola/hasil/upp/{world.alpha.slug}/?periode={world.closed.pk}").context["main"]
    sheet = page.context["sheet"]
    assert sheet["ikm"] == main["score"].ikm is not None
    assert sheet["n"] == main["score"].n == 12
    assert [u.converted for u in sheet["unsur"]] == [r.converted for r in main["rows"]]
    # The service's own figure, and the running year's
    service = admin.get(
        f"/kelola/hasil/upp/{world.alpha.slug}/?periode={world.closed.pk}&layanan={world.service.slug}"
    ).context["main"]
    (row,) = page.context["services"]
    assert row["ikm"] == service["score"].ikm and row["n"] == service["score"].n == 6
    year = admin.get(f"/kelola/hasil/upp/{world.alpha.slug}/?tahun={world.today.year}").context["main"]
    assert page.context["year"].score.ikm == year["score"].ikm
    # History: the closed period's IKM recorded at close
    (history,) = page.context["history"]
    assert history["ikm"] == main["score"].ikm and history["n"] == 12


def test_the_unit_page_for_the_running_year_is_labelled_sementara(client, world):
    page = unit_page(client, world, world.alpha, "?periode=berjalan")
    assert page.context["view"].provisional
    assert page.context["sheet"]["n"] == 5
    assert "sementara" in page.content.decode()


def test_only_published_suggestions_show_and_they_are_escaped(client, world):
    text = unit_page(client, world, world.alpha).content.decode()
    assert "Antrean lama &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; =1+1" in text
    assert "<script>alert" not in text
    assert "Loket kedua dibuka sejak Maret." in text
    assert "Saran yang tidak diterbitkan" not in text
    assert "0812-rahasia" not in text
    assert "Antrean lama" not in unit_page(client, world, world.beta).content.decode()


def test_units_are_searchable_and_sortable(client, world):
    names = lambda response: [line.unit.name for line in response.context["lines"]]  # noqa: E731
    assert names(pemda_page(client, world)) == ["Puskesmas Alpha", "Puskesmas Beta", "Puskesmas Gamma"]
    assert names(pemda_page(client, world, "?urut=ikm-naik")) == [
        "Puskesmas Beta",
        "Puskesmas Alpha",
        "Puskesmas Gamma",
    ]
    assert names(pemda_page(client, world, "?urut=n"))[0] == "Puskesmas Alpha"
    assert names(pemda_page(client, world, "?q=beta")) == ["Puskesmas Beta"]
    assert names(pemda_page(client, world, "?q=DINAS+kesehatan"))[:1] == ["Puskesmas Alpha"]
    assert names(pemda_page(client, world, "?q=tidak-ada")) == []
    assert "Tidak ada unit yang cocok." in pemda_page(client, world, "?q=tidak-ada").content.decode()
    assert names(pemda_page(client, world, "?urut=<script>")) == names(pemda_page(client, world))


def test_small_samples_and_units_without_data_are_marked(client, world):
    page = pemda_page(client, world)
    lines = {line.unit.name: line for line in page.context["lines"]}
    assert lines["Puskesmas Alpha"].short is True  # 12 answers for a population of 40 (needs 36)
    assert lines["Puskesmas Gamma"].ikm is None
    assert "belum ada data" in page.content.decode()


def test_inactive_units_are_not_listed_but_keep_their_page(client, world):
    world.beta.active = False
    world.beta.save()
    names = [line.unit.name for line in pemda_page(client, world).context["lines"]]
    assert "Puskesmas Beta" not in names
    page = unit_page(client, world, world.beta)
    assert page.context["sheet"]["n"] == 7
    assert page.context["survey_url"] == ""  # no survey link for a unit that no longer surveys


def test_bad_choices_fall_back_with_a_message(client, world):
    for query in ("?periode=999999", "?periode=abc"):
        page = pemda_page(client, world, query)
        assert page.context["view"].key == str(world.closed.pk)
        assert "tidak ada atau belum ditutup" in page.content.decode()
    # An open period is not offered on the portal: its figures are the staff's until it closes.
    open_period = world.pemda.periods.create(
        kind="s2",
        year=world.today.year,
        start=dt.date(world.today.year, 7, 1),
        end=dt.date(world.today.year, 12, 31),
    )
    page = pemda_page(client, world, f"?periode={open_period.pk}")
    assert page.context["view"].key == str(world.closed.pk)


def test_unknown_pemda_or_unit_is_404(client, world):
    other = make_pemda("Kota Lain")
    foreign = make_unit(make_pd(other))
    assert client.get("/p/tidak-ada/").status_code == 404
    assert client.get(f"/p/{world.pemda.slug}/tidak-ada/").status_code == 404
    assert client.get(f"/p/{world.pemda.slug}/{foreign.slug}/").status_code == 404


def test_a_reopened_period_leaves_the_portal_until_it_closes_again(client, world):
    freeze.reopen_period(world.closed, reason="koreksi")
    page = pemda_page(client, world)
    assert page.context["view"].provisional  # no closed period left: the running year
    assert len(page.context["cards"]) == 1
    freeze.close_period(world.closed)
    page = pemda_page(client, world)
    assert page.context["view"].snapshot.version == 2
    assert PeriodSnapshot.objects.filter(period=world.closed).count() == 2


def test_english_pages_use_english_words_and_numbers(client, world):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = pemda_page(client, world)
    text = page.content.decode()
    ikm = page.context["cards"][0]["result"].ikm
    assert "provisional" in text
    assert f"{float(ikm):.2f}" in text


def test_pages_are_compressed_and_small(client, world):
    for url in (f"/p/{world.pemda.slug}/", f"/p/{world.pemda.slug}/{world.alpha.slug}/"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip"
        assert len(response.content) < len(gzip.decompress(response.content)) / 2


def test_views_choose_the_latest_closed_period_first(world):
    s1 = world.pemda.periods.create(
        kind="s2",
        year=world.closed.year,
        start=dt.date(world.closed.year, 7, 1),
        end=dt.date(world.closed.year, 12, 31),
    )
    freeze.close_period(s1)
    world.pemda.__dict__.pop("period_list", None)
    views = portal.closed_views(world.pemda)
    assert [v.key for v in views] == [str(world.closed.pk), str(s1.pk)]  # the year before its semester
