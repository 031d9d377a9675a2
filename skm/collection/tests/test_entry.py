"""Paper entry (kelola/entri): scoping, the digit line, saving, editing, deleting, excluding, audit."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone, translation

from skm.accounts.models import AuditEvent
from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.collection.models import Answer, Channel, DailyRollup
from skm.collection.paper.line import EntryError, columns_for, digits_of, parse_digits
from skm.instrument.spec import current_spec
from skm.scoring.elements import ELEMENTS, ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db


def grid_url(unit):
    return f"/kelola/entri/{unit.slug}/"


def key():
    return uuid.uuid4().hex


def post_entry(client, unit, digits, *, json=False, **fields):
    data = {"isian": digits, "kunci": fields.pop("kunci", key()), **fields}
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(grid_url(unit), data, **headers)


def login(client, user):
    client.force_login(user)
    return client


def paper(unit):
    return Answer.objects.filter(unit=unit, channel=Channel.MANUAL)


def rollup_sum(unit, column, excluded=False):
    return DailyRollup.objects.filter(unit=unit, is_excluded=excluded).aggregate(s=Sum(column))["s"] or 0


# --- who may enter, for which units -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/kelola/entri/", "UNIT"])
def test_anonymous_is_sent_to_the_admin_login(client, people, path):
    url = grid_url(people.unit) if path == "UNIT" else path
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/kelola/masuk/?next={url}"
    response = client.post(url, {"isian": "333333333", "kunci": key()})
    assert response.status_code == 302 and not Answer.objects.exists()


@pytest.mark.parametrize("who", ["pimpinan", "no_role"])
def test_pimpinan_and_users_without_a_role_are_refused(client, people, who):
    login(client, getattr(people, who))
    assert client.get("/kelola/entri/").status_code == 403
    assert client.get(grid_url(people.unit)).status_code == 403
    assert post_entry(client, people.unit, "333333333").status_code == 403
    assert not Answer.objects.exists()


def test_unit_admin_lists_and_enters_only_their_own_unit(client, people):
    login(client, people.unit_admin)
    listing = client.get("/kelola/entri/").content.decode()
    assert grid_url(people.unit) in listing
    assert people.sibling_unit.name not in listing and people.other_pd_unit.name not in listing
    assert client.get(grid_url(people.unit)).status_code == 200
    assert client.get(grid_url(people.sibling_unit)).status_code == 404
    assert post_entry(client, people.sibling_unit, "333333333").status_code == 404
    assert client.get(grid_url(people.other_pemda_unit)).status_code == 404
    assert not Answer.objects.exists()


def test_pd_admin_enters_for_the_units_under_their_perangkat_daerah(client, people):
    login(client, people.pd_admin)
    listing = client.get("/kelola/entri/").content.decode()
    assert people.unit.name in listing and people.sibling_unit.name in listing
    assert people.other_pd_unit.name not in listing
    assert post_entry(client, people.sibling_unit, "333333333").status_code == 303
    assert client.get(grid_url(people.other_pd_unit)).status_code == 404
    assert paper(people.sibling_unit).count() == 1


def test_pemda_admin_lists_every_active_unit_of_the_pemda(client, people):
    people.sibling_unit.active = False
    people.sibling_unit.save()
    login(client, people.pemda_admin)
    listing = client.get("/kelola/entri/").content.decode()
    assert people.unit.name in listing and people.other_pd_unit.name in listing
    assert people.sibling_unit.name not in listing  # inactive
    assert people.other_pemda_unit.name not in listing
    assert client.get(grid_url(people.other_pemda_unit)).status_code == 404
    login(client, people.outsider)
    assert client.get(grid_url(people.unit)).status_code == 404


def test_changes_need_csrf_and_post(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.unit_admin)
    assert post_entry(client, people.unit, "333333333").status_code == 403
    answer = make_answer(people.unit, channel=Channel.MANUAL)
    base = f"{grid_url(people.unit)}{answer.pk}/"
    assert client.post(f"{base}hapus/").status_code == 403
    assert client.post(f"{base}kecualikan/", {"kecualikan": "1"}).status_code == 403
    assert client.get(f"{base}kecualikan/").status_code == 405
    page = client.get(grid_url(people.unit))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    ok = client.post(
        grid_url(people.unit), {"isian": "333333333", "kunci": key(), "csrfmiddlewaretoken": token}
    )
    assert ok.status_code == 303
    assert Answer.objects.filter(pk=answer.pk).exists() and paper(people.unit).count() == 2


# --- the digit line ---------------------------------------------------------------------------


@pytest.fixture
def columns(people):
    return columns_for(current_spec(people.pemda.pk))


def test_digits_with_or_without_spaces_read_the_same(columns):
    spaced = parse_digits("343343442 2 3 3 4", columns)
    assert spaced == parse_digits("3433434422334", columns)
    assert [spaced[e] for e in ELEMENTS] == list("343343442")
    assert (spaced["gender"], spaced["age_band"], spaced["education"], spaced["occupation"]) == (
        "P",
        "u35",
        "sma",
        "wirausaha",
    )
    assert digits_of(spaced, columns) == "343343442 2334"


def test_blanks_are_zero_or_dash_and_the_profile_may_be_left_off(columns):
    values = parse_digits("3-3 0 4 3 4 4 2  0-61", columns)
    assert values["prosedur"] == "" and values["biaya"] == ""
    assert values["gender"] == "" and values["age_band"] == ""
    assert (values["education"], values["occupation"]) == ("s2", "pns")
    bare = parse_digits("444444444", columns)
    assert all(bare[e] == "4" for e in ELEMENTS) and bare["gender"] == ""
    assert parse_digits("444444444 P000", columns)["gender"] == "P"  # L/P may be typed as letters


@pytest.mark.parametrize("text,n", [("34334344", 8), ("343343442 233", 12), ("343343442 23341", 14), ("", 0)])
def test_too_few_or_too_many_digits_say_what_was_read_and_what_is_expected(columns, text, n):
    with pytest.raises(EntryError) as err:
        parse_digits(text, columns)
    assert err.value.problems == [
        f"Terbaca {n} karakter; ketik 9 angka jawaban lalu 4 kode profil (13 karakter), "
        "atau 9 angka jawaban saja."
    ]


def test_an_invalid_digit_names_its_column(columns):
    with pytest.raises(EntryError) as err:
        parse_digits("343353442 3334", columns)
    assert err.value.problems == [
        "Kolom U5 (Produk): '5' tidak sah; ketik 1–4, atau 0/- bila kosong.",
        "Kolom JK (Jenis kelamin): '3' tidak sah; ketik 1–2, atau 0/- bila kosong.",
    ]
    with pytest.raises(EntryError) as err, translation.override("en"):
        parse_digits("34335344x", columns)
    assert "Column U9 (Aduan): 'x' is not valid" in err.value.problems[-1]


# --- saving -----------------------------------------------------------------------------------


def test_save_stores_a_manual_answer_in_the_pemdas_order_and_says_so(client, people):
    login(client, people.unit_admin)
    response = post_entry(client, people.unit, "1234 12341 2334", saran="Antrian <b>lama</b>")
    assert response.status_code == 303
    answer = paper(people.unit).get()
    page = client.get(response["Location"]).content.decode()
    assert f"Tersimpan: kuesioner #{answer.pk}" in page
    assert "autofocus" in page and "Antrian &lt;b&gt;lama&lt;/b&gt;" in page
    assert answer.entered_by == people.unit_admin
    assert answer.values() == dict(zip(ELEMENTS, [1, 2, 3, 4, 1, 2, 3, 4, 1], strict=True))
    assert (answer.gender, answer.age_band, answer.education, answer.occupation) == (
        "P",
        "u35",
        "sma",
        "wirausaha",
    )
    assert answer.suggestion == "Antrian <b>lama</b>"
    assert answer.day == timezone.localtime(timezone.now(), people.pemda.tz).date()
    assert rollup_sum(people.unit, "n") == 1 and rollup_sum(people.unit, "sum_biaya") == 4


def test_kabupaten_banjar_order_the_eighth_digit_is_pengaduan(client):
    banjar = make_pemda(
        "Kabupaten Banjar Uji",
        order=ELEMENTS_PENGADUAN_BEFORE_SARANA,
        headers={"pengaduan": "Aduan", "sarana": "Sarpras"},
    )
    unit = make_unit(make_pd(banjar))
    admin = create_user("banjar.upp", "uji-rahasia-123", Role.ADMIN_UPP, unit)
    login(client, admin)
    page = client.get(grid_url(unit)).content.decode()
    assert page.index(">Aduan<") < page.index(">Sarpras<")  # headers follow the Pemda's order
    assert post_entry(client, unit, "333333314").status_code == 303
    answer = paper(unit).get()
    assert (answer.pengaduan, answer.sarana) == (1, 4)
    assert rollup_sum(unit, "sum_pengaduan") == 1 and rollup_sum(unit, "sum_sarana") == 4


def test_retry_with_the_same_key_stores_one_answer(client, people):
    login(client, people.unit_admin)
    k = key()
    first = post_entry(client, people.unit, "333333333", kunci=k, json=True)
    again = post_entry(client, people.unit, "333333333", kunci=k, json=True)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and again.json()["created"] is False
    assert "Sudah tersimpan sebelumnya" in again.json()["message"]
    plain = post_entry(client, people.unit, "333333333", kunci=k)  # the no-JS form, resent
    assert plain.status_code == 303
    assert paper(people.unit).count() == 1 and rollup_sum(people.unit, "n") == 1
    changed = post_entry(client, people.unit, "444444444", kunci=k, json=True)
    assert "sudah tersimpan sebagai kuesioner" in changed.json()["message"]
    assert paper(people.unit).count() == 1


def test_fetch_save_returns_the_new_row_and_a_fresh_key(client, people):
    login(client, people.unit_admin)
    k = key()
    body = post_entry(client, people.unit, "343343442 2334", kunci=k, json=True).json()
    assert body["ok"] and body["created"] and body["next_key"] != k
    assert f'data-id="{body["id"]}"' in body["row_html"]
    digits = re.findall(r'<td class="d [a-z]+"[^>]*>([^<]+)</td>', body["row_html"])
    assert "".join(digits) == "3433434422334"
    assert body["message"] == f"Tersimpan: kuesioner #{body['id']}"


def test_errors_are_shown_in_indonesian_next_to_the_input_with_the_text_kept(client, people):
    login(client, people.unit_admin)
    response = post_entry(client, people.unit, "343353442 2334", kunci="kunci-uji-123")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kolom U5 (Produk): &#x27;5&#x27; tidak sah" in page
    assert 'value="343353442 2334"' in page and 'value="kunci-uji-123"' in page
    assert 'aria-invalid="true"' in page
    body = post_entry(client, people.unit, "3433", json=True)
    assert body.status_code == 422 and body.json()["errors"][0].startswith("Terbaca 4 karakter")
    assert not Answer.objects.exists()


def test_the_batch_date_is_the_date_on_the_form(client, people):
    login(client, people.unit_admin)
    today = timezone.localtime(timezone.now(), people.pemda.tz).date()
    old = dt.date(today.year - 1, 3, 5)
    response = post_entry(client, people.unit, "333333333", tanggal=old.isoformat())
    assert response.status_code == 303 and f"tanggal={old.isoformat()}" in response["Location"]
    answer = paper(people.unit).get()
    assert answer.day == old
    assert DailyRollup.objects.get(unit=people.unit).day == old
    page = client.get(response["Location"]).content.decode()
    assert f'value="{old.isoformat()}"' in page  # the batch date stays set
    future = post_entry(client, people.unit, "333333333", tanggal=(today + dt.timedelta(days=2)).isoformat())
    assert "ada di masa depan" in future.content.decode()
    ancient = post_entry(client, people.unit, "333333333", tanggal=f"{today.year - 2}-12-31")
    assert f"paling awal 1 Januari {today.year - 1}" in ancient.content.decode()
    assert paper(people.unit).count() == 1


def test_batch_service_with_a_per_row_override(client, people):
    first, second = make_service(people.unit, "Rawat jalan"), make_service(people.unit, "Imunisasi")
    foreign = make_service(people.sibling_unit, "Lain")
    login(client, people.unit_admin)
    post_entry(client, people.unit, "333333333", layanan=first.pk)
    post_entry(client, people.unit, "333333333", layanan=first.pk, layanan_baris=second.pk)
    bad = post_entry(client, people.unit, "333333333", layanan=foreign.pk)
    assert "tidak ada di unit ini" in bad.content.decode()
    assert [a.service for a in paper(people.unit).order_by("pk")] == [first, second]


# --- the list, edits, deletions, exclusions ---------------------------------------------------


def saved_answer(client, people, digits="333333333 2334"):
    login(client, people.unit_admin)
    return Answer.objects.get(pk=post_entry(client, people.unit, digits, json=True).json()["id"])


def test_edit_changes_values_rollups_and_writes_the_audit_trail(client, people):
    answer = saved_answer(client, people)
    url = f"{grid_url(people.unit)}{answer.pk}/"
    form = client.get(url).content.decode()
    assert 'value="333333333 2334"' in form
    assert rollup_sum(people.unit, "sum_persyaratan") == 3
    response = client.post(url, {"isian": "4333333-3 1334", "alasan": "salah ketik"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.persyaratan, answer.sarana, answer.gender) == (4, None, "L")
    assert rollup_sum(people.unit, "sum_persyaratan") == 4
    assert rollup_sum(people.unit, "cnt_sarana") == 0 and rollup_sum(people.unit, "gender_L") == 1
    event = AuditEvent.objects.get(action="answer.edit")
    assert event.before["persyaratan"] == 3 and event.after["persyaratan"] == 4
    assert event.user == people.unit_admin and event.summary == "salah ketik"
    page = client.get(grid_url(people.unit)).content.decode()
    assert f"Kuesioner #{answer.pk} diubah." in page
    assert "U1 Persyaratan: 3 → 4" in page and "JK Jenis kelamin: Perempuan → Laki-laki" in page
    assert "salah ketik" in page
    again = client.post(url, {"isian": "bad"})
    assert "Terbaca 3 karakter" in again.content.decode()
    assert AuditEvent.objects.filter(action="answer.edit").count() == 1


def test_delete_asks_first_then_removes_and_keeps_the_audit(client, people):
    answer = saved_answer(client, people)
    url = f"{grid_url(people.unit)}{answer.pk}/hapus/"
    confirm = client.get(url).content.decode()
    assert "Ya, hapus" in confirm and Answer.objects.filter(pk=answer.pk).exists()
    response = client.post(url, {"alasan": "kuesioner ganda"})
    assert response.status_code == 302
    assert not Answer.objects.filter(pk=answer.pk).exists()
    assert rollup_sum(people.unit, "n") == 0
    event = AuditEvent.objects.get(action="answer.delete")
    assert event.summary == "kuesioner ganda" and event.before["gender"] == "P"
    page = client.get(grid_url(people.unit)).content.decode()
    assert "Dihapus" in page and "kuesioner ganda" in page and "333333333 2334" in page


def test_exclude_and_include_move_the_answer_between_rollups(client, people):
    answer = saved_answer(client, people)
    url = f"{grid_url(people.unit)}{answer.pk}/kecualikan/"
    client.post(url, {"kecualikan": "1", "alasan": "diisi petugas"})
    answer.refresh_from_db()
    assert answer.excluded and answer.excluded_reason == "diisi petugas"
    assert rollup_sum(people.unit, "n") == 0 and rollup_sum(people.unit, "n", excluded=True) == 1
    page = client.get(grid_url(people.unit)).content.decode()
    assert "is-excluded" in page and "Dikecualikan" in page
    client.post(url, {"kecualikan": "0"})
    answer.refresh_from_db()
    assert not answer.excluded and rollup_sum(people.unit, "n") == 1
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "answer.exclude",
        "answer.include",
    ]


def test_only_this_units_paper_answers_can_be_changed_here(client, people):
    online = make_answer(people.unit, channel=Channel.ONLINE)
    sibling_paper = make_answer(people.sibling_unit, channel=Channel.MANUAL)
    login(client, people.unit_admin)
    for target_unit, answer in ((people.unit, online), (people.unit, sibling_paper)):
        base = f"{grid_url(target_unit)}{answer.pk}/"
        assert client.get(base).status_code == 404
        assert client.post(f"{base}hapus/").status_code == 404
        assert client.post(f"{base}kecualikan/", {"kecualikan": "1"}).status_code == 404
    assert client.post(f"{grid_url(people.sibling_unit)}{sibling_paper.pk}/hapus/").status_code == 404
    assert Answer.objects.count() == 2 and not AuditEvent.objects.exists()
    page = client.get(grid_url(people.unit)).content.decode()
    assert f'data-id="{online.pk}"' not in page  # the list holds paper answers only


def test_the_grid_page_keeps_its_query_count_with_many_answers(client, people, django_assert_max_num_queries):
    login(client, people.unit_admin)
    make_service(people.unit)
    for _ in range(60):
        make_answer(people.unit, channel=Channel.MANUAL, entered_by=people.unit_admin)
    client.get(grid_url(people.unit))  # warm the instrument cache
    # 3 of the queries: the session, saved on every request (idle expiry).
    with django_assert_max_num_queries(10):
        page = client.get(grid_url(people.unit))
    html = page.content.decode()
    assert html.count('<tr data-id="') == 50 and "halaman=2" in html
    assert "Halaman 1 dari 2" in html
    assert client.get(grid_url(people.unit) + "?halaman=2").content.decode().count('<tr data-id="') == 10


def test_english_when_chosen(client, people):
    login(client, people.unit_admin)
    client.cookies["django_language"] = "en"
    page = client.get(grid_url(people.unit)).content.decode()
    assert "Paper questionnaire entry" in page and "Type 9 answer digits then 4 profile codes" in page
    body = post_entry(client, people.unit, "3", json=True).json()
    assert body["errors"][0].startswith("Read 1 characters")
