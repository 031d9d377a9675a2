"""Bulk import of answers: our column template and Google Forms exports, dry run, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import translation
from openpyxl import Workbook, load_workbook

from skm.accounts.models import AuditEvent
from skm.collection import importing, rollups
from skm.collection.importing import Format, day_first, judging, parse_time, reading
from skm.collection.models import Answer, DailyRollup
from skm.instrument.spec import current_spec
from skm.lib.tabular import Limits, TableError
from skm.organisation.models import Layanan
from skm.organisation.setup import create_pemda
from skm.scoring.elements import ELEMENTS, ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_pd, make_service, make_unit

pytestmark = pytest.mark.django_db

WITA = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def banjar():
    """Kabupaten Banjar's instrument: pengaduan (U8, "Aduan") before sarana (U9, "Sarpras")."""
    return create_pemda(
        name="Kabupaten Banjar",
        slug="kabupaten-banjar",
        level="kabupaten",
        weight="1/9",
        timezone="Asia/Makassar",
        order=ELEMENTS_PENGADUAN_BEFORE_SARANA,
        headers={"prosedur": "Prosedur", "waktu": "Waktu", "pengaduan": "Aduan", "sarana": "Sarpras"},
    )


@pytest.fixture
def unit(banjar):
    unit = make_unit(
        make_pd(banjar, "Dinas Kesehatan"), "Puskesmas Martapura 1", slug="puskesmas-martapura-1"
    )
    make_service(unit, "Poli Umum")
    Layanan.objects.create(unit=unit, name="Poli Gigi", slug="poli-gigi")
    return unit


def spec_of(unit):
    return current_spec(unit.pemda_id)


def csv_bytes(rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                cell.data_type = "s"  # text that looks like a formula stays text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(unit, data, name="jawaban.csv", language="id", **kwargs):
    kwargs.setdefault("now", NOW)
    with translation.override(language):  # messages are worded in the active language
        return importing.read(data, name, unit, **kwargs)


def label(spec, element, value):
    question = next(q for q in spec.ikm_questions if q.element == element)
    return next(o.label for o in question.options if o.value == value)


# --- Columns format --------------------------------------------------------------------------------

# Row values in the Pemda's order U1…U9: U8 is pengaduan, U9 is sarana in Kabupaten Banjar.
COLUMN_ROWS = [
    [
        "2026-03-05 10:12",
        "Poli Umum",
        4,
        3,
        3,
        4,
        3,
        3,
        4,
        1,
        2,
        "L",
        "u35",
        "sma",
        "swasta",
        "Ruang tunggu panas.",
    ],
    [
        "2026-03-06",
        "poli-gigi",
        2,
        2,
        3,
        4,
        4,
        3,
        3,
        4,
        3,
        "Perempuan",
        "19–25 tahun",
        "S1",
        "Pelajar/Mahasiswa",
        "",
    ],
    ["06/03/2026 14.30", "", 3, "", 3, 4, 3, 3, 3, 3, 3, "", "", "", "", ""],
]


@pytest.mark.parametrize("headers", ["codes", "elements", "template"])
def test_columns_csv_stores_values_by_element_in_the_pemdas_order(unit, headers):
    spec = spec_of(unit)
    names = {
        "codes": [q.code.lower() for q in spec.ikm_questions],
        "elements": [q.element for q in spec.ikm_questions],
        "template": importing.template_headers(spec)[2:11],
    }[headers]
    header = ["tanggal", "layanan", *names, "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran"]
    preview = read(unit, csv_bytes([header, *COLUMN_ROWS]))
    assert preview.format == Format.COLUMNS
    assert preview.file_errors == [] and preview.problems == []
    assert (preview.total, len(preview.rows), preview.already) == (3, 3, [])
    saved = importing.save(preview)
    assert saved.created == 3

    first, second, third = Answer.objects.order_by("submitted_at")
    assert [first.pengaduan, first.sarana] == [1, 2]  # U8 is Aduan, U9 Sarpras in Banjar's order
    assert first.values() == dict(zip(ELEMENTS_PENGADUAN_BEFORE_SARANA, COLUMN_ROWS[0][2:11], strict=True))
    assert first.submitted_at == dt.datetime(2026, 3, 5, 10, 12, tzinfo=WITA)
    assert first.day == dt.date(2026, 3, 5)
    assert (first.channel, first.service.name, first.suggestion) == (
        "import",
        "Poli Umum",
        "Ruang tunggu panas.",
    )
    assert (first.gender, first.age_band, first.education, first.occupation) == ("L", "u35", "sma", "swasta")
    assert (second.service.name, second.gender, second.age_band, second.education, second.occupation) == (
        "Poli Gigi",
        "P",
        "u25",
        "s1",
        "pelajar",
    )
    assert second.submitted_at == dt.datetime(2026, 3, 6, 0, 0, tzinfo=WITA)  # a date alone: local midnight
    assert third.prosedur is None and third.service is None and third.gender == ""  # blanks allowed
    assert third.day == dt.date(2026, 3, 6)
    assert first.idempotency_key == f"imp-{preview.sha256[:24]}-2"


def test_columns_xlsx_with_date_cells_and_numbers(unit):
    spec = spec_of(unit)
    header = importing.template_headers(spec)
    rows = [
        [
            dt.datetime(2026, 4, 1, 9, 30),
            "Poli Umum",
            4,
            4,
            4,
            4,
            4,
            4,
            4,
            2,
            3,
            "P",
            41,
            "smp",
            "PNS",
            "",
            "lembar-A-0001",
        ],
        [
            dt.date(2026, 4, 2),
            None,
            1,
            2,
            3,
            4,
            1,
            2,
            3,
            4,
            1,
            "L",
            "56",
            "S2",
            "TNI/POLRI",
            "Bagus",
            "lembar-A-0002",
        ],
    ]
    preview = read(unit, xlsx_bytes([header, *rows]), "jawaban.xlsx")
    assert preview.format == Format.COLUMNS and preview.ok, preview.problems
    importing.save(preview)
    a, b = Answer.objects.order_by("idempotency_key")
    assert (a.idempotency_key, b.idempotency_key) == ("lembar-A-0001", "lembar-A-0002")  # `kunci` column
    assert (a.pengaduan, a.sarana, a.age_band) == (2, 3, "u45")  # 41 years → 36–45
    assert a.submitted_at == dt.datetime(2026, 4, 1, 9, 30, tzinfo=WITA)
    assert b.values() == dict(zip(ELEMENTS_PENGADUAN_BEFORE_SARANA, rows[1][2:11], strict=True))
    assert (b.day, b.age_band, b.education, b.occupation) == (dt.date(2026, 4, 2), "u56", "s2", "tni")


def test_template_downloads_round_trip(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = people.unit
    make_service(unit, "Poli Umum")
    client.force_login(people.unit_admin)
    spec = spec_of(unit)
    csv_response = client.get(f"/kelola/impor/{unit.slug}/template.csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"].endswith(f'impor-jawaban-{unit.slug}.csv"')
    (header,) = csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")))
    assert header == importing.template_headers(spec)
    assert header[2:11] == [f"u{i} {q.header}" for i, q in enumerate(spec.ikm_questions, start=1)]

    xlsx_response = client.get(f"/kelola/impor/{unit.slug}/template.xlsx")
    assert xlsx_response.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    assert workbook.sheetnames == ["Jawaban", "Petunjuk"]
    guide = " ".join(str(c.value) for row in workbook["Petunjuk"].iter_rows() for c in row if c.value)
    assert "Poli Umum" in guide and "4 = Sangat sesuai" in guide
    # Fill the template in and import it.
    sheet = workbook["Jawaban"]
    sheet.append(
        [dt.datetime(2026, 5, 4, 8, 0), "Poli Umum", *[3] * 9, "L", "u25", "sma", "wirausaha", "", ""]
    )
    out = io.BytesIO()
    workbook.save(out)
    preview = read(unit, out.getvalue(), "isi.xlsx")
    assert preview.ok and len(preview.rows) == 1


def test_missing_question_column_is_a_file_error(unit):
    spec = spec_of(unit)
    header = ["tanggal", *[q.code.lower() for q in spec.ikm_questions[:8]], "saran", "nomor antrian"]
    preview = read(unit, csv_bytes([header, ["2026-03-05", *[3] * 8, "", "12"]]), fmt="columns")
    assert not preview.ok and preview.rows == []
    assert len(preview.file_errors) == 1
    assert "U9 · Sarana dan prasarana" in preview.file_errors[0]
    assert [c.header for c in preview.ignored_columns] == ["nomor antrian"]


# --- Google Forms export ------------------------------------------------------------------------------

EDITED = "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan?"


def gf_header(spec):
    texts = [q.text for q in spec.ikm_questions]
    texts[0] = EDITED
    return [
        "Timestamp",
        "Jenis layanan",
        *texts,
        "Jenis Kelamin",
        "Usia",
        "Pendidikan Terakhir",
        "Pekerjaan",
        "Kritik dan saran",
        "Nomor antrian",
    ]


def gf_row(
    spec, values, when="2026/03/05 10:12:33 AM GMT+8", profile=("Laki-laki", "34", "SMA/SMK", "Wiraswasta")
):
    cells = []
    for question, value in zip(spec.ikm_questions, values, strict=True):
        text = next(o.label for o in question.options if o.value == value) if value else ""
        cells.append(text)
    return [when, "Poli Umum", *cells, *profile, "", "A12"]


def test_google_forms_export_matches_question_texts_and_option_labels(unit):
    spec = spec_of(unit)
    values = [4, 3, 2, 4, 3, 3, 4, 1, 2]
    rows = [
        gf_row(spec, values),
        gf_row(
            spec,
            values,
            when="2026/03/05 1:05:00 PM GMT+7",
            profile=("Perempuan", "19 - 25 tahun", "D4/S1", "PNS"),
        ),
    ]
    # Labels in any case and spacing, and the "4" / "d" / "d. label" forms.
    rows[0][2] = "  SANGAT   sesuai "
    rows[1][2] = "d. Sangat sesuai"
    rows[1][3] = "c"
    rows[1][4] = "2"
    preview = read(unit, csv_bytes([gf_header(spec), *rows]), "Survei SKM (Responses).csv")
    assert preview.format == Format.GOOGLE_FORMS
    assert preview.ok, (preview.file_errors, preview.problems)
    mapping = {c.header: c.target for c in preview.used_columns}
    assert mapping[EDITED] == "q:persyaratan"
    for question in spec.ikm_questions[1:]:
        assert mapping[question.text] == f"q:{question.element}"
    assert mapping["Timestamp"] == "time" and mapping["Jenis layanan"] == "service"
    assert mapping["Kritik dan saran"] == "suggestion" and mapping["Pendidikan Terakhir"] == "p:education"
    assert [c.header for c in preview.ignored_columns] == ["Nomor antrian"]
    edited = next(c for c in preview.used_columns if c.header == EDITED)
    assert 0.65 <= edited.score < 1

    importing.save(preview)
    first, second = Answer.objects.order_by("submitted_at")
    assert first.values() == dict(zip(ELEMENTS_PENGADUAN_BEFORE_SARANA, values, strict=True))
    assert first.submitted_at == dt.datetime(2026, 3, 5, 2, 12, 33, tzinfo=dt.UTC)
    assert (first.gender, first.age_band, first.education, first.occupation) == (
        "L",
        "u35",
        "sma",
        "wirausaha",
    )
    assert second.submitted_at == dt.datetime(2026, 3, 5, 6, 5, tzinfo=dt.UTC)  # 1:05 PM at GMT+7
    assert second.day == dt.date(2026, 3, 5)
    assert (second.persyaratan, second.prosedur, second.waktu) == (4, 3, 2)
    assert (second.gender, second.age_band, second.education, second.occupation) == ("P", "u25", "s1", "pns")
    assert first.service.name == "Poli Umum"


def test_invalid_label_names_the_column_and_lists_the_allowed_labels(unit):
    spec = spec_of(unit)
    row = gf_row(spec, [3] * 9)
    row[2] = "Lumayan"
    preview = read(unit, csv_bytes([gf_header(spec), row]))
    assert not preview.ok
    [problem] = preview.problems
    assert problem.row == 2
    assert problem.messages == [
        "'Lumayan' pada kolom 'Bagaimana pendapat Saudara tentang kesesuaian persyaratan p…' "
        "(U1 Persyaratan) bukan pilihan yang sah; pilih salah satu: Tidak sesuai, Kurang sesuai, "
        "Sesuai, Sangat sesuai (atau 1–4)."
    ]
    english = read(unit, csv_bytes([gf_header(spec), row]), language="en")
    assert "is not a valid choice" in english.problems[0].messages[0]


def test_google_forms_other_occupation_counts_as_lainnya_but_unknown_gender_is_an_error(unit):
    spec = spec_of(unit)
    row = gf_row(spec, [3] * 9, profile=("Laki-laki", "45", "SMP", "Ojek online"))
    preview = read(unit, csv_bytes([gf_header(spec), row]))
    assert preview.ok
    assert preview.rows[0].submission.profile["occupation"] == "lainnya"
    bad = gf_row(spec, [3] * 9, profile=("Tidak tahu", "45", "SMP", "Petani"))
    problems = read(unit, csv_bytes([gf_header(spec), bad])).problems
    assert problems[0].messages == [
        "'Tidak tahu' pada kolom 'Jenis Kelamin' bukan pilihan jenis kelamin yang sah; "
        "pilih salah satu: Laki-laki, Perempuan."
    ]


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("2024/03/05 10:12:33 AM GMT+8", True, dt.datetime(2024, 3, 5, 10, 12, 33, tzinfo=WITA)),
        ("2024/03/05 12:01:00 AM GMT+08:00", True, dt.datetime(2024, 3, 5, 0, 1, tzinfo=WITA)),
        ("2024/03/05 10:12:33 PM GMT+7", True, dt.datetime(2024, 3, 5, 15, 12, 33, tzinfo=dt.UTC)),
        ("05/03/2024 10:12:33", True, dt.datetime(2024, 3, 5, 10, 12, 33, tzinfo=WITA)),
        ("05/03/2024 10.12.33", True, dt.datetime(2024, 3, 5, 10, 12, 33, tzinfo=WITA)),
        ("3/5/2024 10:12:33", False, dt.datetime(2024, 3, 5, 10, 12, 33, tzinfo=WITA)),
        ("2024-03-05T10:12:33+07:00", True, dt.datetime(2024, 3, 5, 3, 12, 33, tzinfo=dt.UTC)),
        ("2024-03-05 10:12:33.250000", True, dt.datetime(2024, 3, 5, 10, 12, 33, tzinfo=WITA)),
        ("2024-03-05", True, dt.datetime(2024, 3, 5, tzinfo=WITA)),
        ("05-03-24 08:00 WIB", True, dt.datetime(2024, 3, 5, 1, 0, tzinfo=dt.UTC)),
    ],
)
def test_timestamps_as_spreadsheets_write_them(text, dayfirst, expected):
    assert parse_time(text, WITA, dayfirst) == expected


@pytest.mark.parametrize(
    "text", ["kemarin", "2024/13/05 10:00", "31/02/2024", "2024/03/05 13:00 PM", "1999-01-01"]
)
def test_unreadable_timestamps(text):
    with pytest.raises(ValueError):
        parse_time(text, WITA, True)


def test_date_order_is_decided_per_file():
    assert day_first(["05/03/2024 10:00", "13/03/2024 10:00"]) is True
    assert day_first(["3/5/2024 10:00", "3/13/2024 10:00"]) is False
    assert day_first(["3/5/2024 10:12:33"], google_export=True) is False  # Google's US locale
    assert day_first(["05/03/2024 10:12:33"], google_export=True) is True  # Google's Indonesian locale
    assert day_first(["10/11/2024 10:12:33"], google_export=True) is True  # no sign either way
    assert day_first(["5/3/2024"]) is True  # typed by hand: the Indonesian habit
    assert day_first(["5/3/2024 10:12:33"]) is True
    assert day_first([]) is True


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Penilaian Anda [Persyaratan]", "q:persyaratan"),  # a Google Forms grid question
        ("U 8", "q:pengaduan"),
        ("u9 Sarpras", "q:sarana"),
        ("Apakah ada biaya yang harus dibayar?", "q:biaya"),
        ("Jenis kelamin Anda", "p:gender"),
        ("Umur (tahun)", "p:age_band"),
        ("Saran dan masukan untuk perbaikan layanan kami", "suggestion"),
        ("Stempel waktu", "time"),
        ("Nomor antrian", ""),
    ],
)
def test_headers_people_write_find_their_column(unit, header, target):
    columns, _ = importing.map_columns([header], spec_of(unit), Format.GOOGLE_FORMS)
    assert columns[0].target == target


def test_us_dates_in_a_file_are_read_month_first(unit):
    spec = spec_of(unit)
    rows = [gf_row(spec, [3] * 9, when="3/5/2026 10:12:33"), gf_row(spec, [3] * 9, when="3/25/2026 9:00:00")]
    preview = read(unit, csv_bytes([gf_header(spec), *rows]))
    assert preview.ok and preview.day_first is False
    assert [r.day for r in preview.rows] == [dt.date(2026, 3, 5), dt.date(2026, 3, 25)]


def test_a_row_without_time_or_any_answer_is_invalid(unit):
    spec = spec_of(unit)
    rows = [
        gf_row(spec, [3] * 9, when=""),
        gf_row(spec, [None] * 9),
        gf_row(spec, [3] * 9, when="2027/01/01 10:00"),
    ]
    problems = read(unit, csv_bytes([gf_header(spec), *rows])).problems
    assert [p.row for p in problems] == [2, 3, 4]
    assert problems[0].messages == ["Tanggal/waktu pengisian (kolom 'Timestamp') kosong."]
    assert problems[1].messages == ["Baris ini tidak berisi satu jawaban pun untuk U1–U9."]
    assert "ada di masa depan" in problems[2].messages[0]


# --- All or nothing, idempotency, rollups ------------------------------------------------------------


def fifty_rows(spec, bad_row=None):
    rng = random.Random(7)
    rows = [gf_header(spec)]
    for i in range(50):
        when = f"2026/03/{1 + i % 28:02d} {8 + i % 4}:{i:02d}:00 AM GMT+8"
        rows.append(gf_row(spec, [rng.randint(1, 4) for _ in range(9)], when=when))
    if bad_row is not None:
        rows[bad_row - 1][3] = "Lumayan mudah"  # file row number → list index (header is row 1)
    return csv_bytes(rows)


def test_one_invalid_row_among_fifty_saves_nothing(unit):
    spec = spec_of(unit)
    preview = read(unit, fifty_rows(spec, bad_row=31))
    assert (preview.total, len(preview.rows), len(preview.problems)) == (50, 49, 1)
    assert preview.problems[0].row == 31
    assert "'Lumayan mudah' pada kolom 'Bagaimana pemahaman Saudara" in preview.problems[0].messages[0]
    with pytest.raises(importing.NotClean):
        importing.save(preview)
    assert Answer.objects.count() == 0 and DailyRollup.objects.count() == 0


def test_command_lists_the_bad_row_and_saves_nothing(unit, tmp_path, capsys):
    path = tmp_path / "ekspor.csv"
    path.write_bytes(fifty_rows(spec_of(unit), bad_row=31))
    with pytest.raises(CommandError, match="1 dari 50 baris tidak sah; tidak ada yang disimpan"):
        call_command("import_answers", str(path), unit=unit.slug)
    err = capsys.readouterr().err
    assert re.search(r"^Baris 31: 'Lumayan mudah' pada kolom .*Tidak mudah, Kurang mudah", err, re.M)
    assert Answer.objects.count() == 0


def test_command_dry_run_then_import_then_again(unit, tmp_path, capsys):
    path = tmp_path / "ekspor.csv"
    path.write_bytes(fifty_rows(spec_of(unit)))
    call_command("import_answers", str(path), unit=unit.slug, dry_run=True)
    out = capsys.readouterr().out
    assert "Pemeriksaan selesai: 50 baris, 50 sah dan baru. Tidak ada yang disimpan (--dry-run)." in out
    assert f"kolom '{EDITED}' → U1 · Persyaratan (" in out
    assert Answer.objects.count() == 0
    call_command("import_answers", str(path), unit=unit.slug, format="google-forms")
    assert "Tersimpan: 50 jawaban baru dari 50 baris." in capsys.readouterr().out
    call_command("import_answers", str(path), unit=unit.slug)
    assert (
        "Tersimpan: 0 jawaban baru dari 50 baris. 50 baris sudah pernah diimpor." in capsys.readouterr().out
    )
    assert Answer.objects.count() == 50


def test_command_refuses_an_unknown_unit_and_a_missing_file(unit, tmp_path):
    with pytest.raises(CommandError, match="UPP 'tidak-ada' tidak ditemukan"):
        call_command("import_answers", str(tmp_path / "x.csv"), unit="tidak-ada")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_answers", str(tmp_path / "x.csv"), unit=unit.slug)


def test_reimport_of_the_same_file_stores_nothing_new(unit):
    spec = spec_of(unit)
    data = fifty_rows(spec)
    first = importing.save(read(unit, data))
    assert (first.created, first.already) == (50, 0)
    again = read(unit, data)
    assert again.ok and again.rows == [] and len(again.already) == 50
    assert all(s.status == "already" for s in again.sample)
    assert importing.save(again).created == 0
    assert Answer.objects.count() == 50
    # A second file that repeats one `kunci` and adds one: only the new key is stored.
    header = ["tanggal", *[q.code.lower() for q in spec.ikm_questions], "kunci"]
    keyed = csv_bytes([header, ["2026-03-05", *[3] * 9, "lembar-0001"]])
    importing.save(read(unit, keyed))
    more = csv_bytes(
        [header, ["2026-03-05", *[3] * 9, "lembar-0001"], ["2026-03-06", *[4] * 9, "lembar-0002"]]
    )
    preview = read(unit, more)
    assert (len(preview.rows), preview.already) == (1, [2])
    assert importing.save(preview).created == 1
    assert Answer.objects.count() == 52


def test_a_later_cumulative_export_warns_about_rows_already_stored(unit, tmp_path, capsys):
    spec = spec_of(unit)
    importing.save(read(unit, fifty_rows(spec)))
    later = fifty_rows(spec) + csv_bytes([gf_row(spec, [4] * 9, when="2026/04/01 9:00:00 AM GMT+8")])
    preview = read(unit, later)  # new bytes, so new keys: the old rows are not recognised by key
    assert preview.ok and len(preview.rows) == 51
    assert preview.lookalikes == list(range(2, 52))
    path = tmp_path / "later.csv"
    path.write_bytes(later)
    call_command("import_answers", str(path), unit=unit.slug, dry_run=True)
    assert "Perhatian: 50 baris sama persis" in capsys.readouterr().err
    # Paper forms with a date only are never flagged: two respondents may answer alike on one day.
    header = ["tanggal", *[q.code.lower() for q in spec.ikm_questions]]
    importing.save(read(unit, csv_bytes([header, ["2026-05-04", *[3] * 9]])))
    assert (
        read(unit, csv_bytes([header, ["2026-05-04", *[3] * 9], ["2026-05-05", *[3] * 9]])).lookalikes == []
    )


def test_duplicate_key_in_one_file_is_an_error(unit):
    spec = spec_of(unit)
    header = ["tanggal", *[q.code.lower() for q in spec.ikm_questions], "kunci"]
    data = csv_bytes(
        [header, ["2026-03-05", *[3] * 9, "lembar-0001"], ["2026-03-05", *[2] * 9, "lembar-0001"]]
    )
    problems = read(unit, data).problems
    assert [(p.row, p.messages) for p in problems] == [(3, ["Kunci 'lembar-0001' sudah dipakai di baris 2."])]


def rollup_table():
    columns = [f.name for f in DailyRollup._meta.concrete_fields if f.name != "id"]
    return sorted(DailyRollup.objects.values_list(*columns))


def test_rollups_after_an_import_equal_a_rebuild(unit):
    spec = spec_of(unit)
    importing.save(read(unit, fifty_rows(spec)))
    rows = [gf_row(spec, [None, 2, 3, 4, 1, 2, 3, 4, None], when="2026/03/05 11:00:00 PM GMT+8")]
    rows.append(gf_row(spec, [1] * 9, when="2026/03/05 11:30:00 PM GMT+7"))  # 00:30 WITA the next day
    rows[1][1] = ""  # no service
    importing.save(read(unit, csv_bytes([gf_header(spec), *rows])))
    assert Answer.objects.filter(day=dt.date(2026, 3, 6), service=None).count() == 1
    after_import = rollup_table()
    assert DailyRollup.objects.aggregate(n=Sum("n"))["n"] == 52
    rollups.rebuild()
    assert rollup_table() == after_import


def test_formula_like_suggestions_are_stored_as_typed(unit):
    spec = spec_of(unit)
    typed = ['=HYPERLINK("http://contoh.invalid","klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]
    header = ["tanggal", *[q.code.lower() for q in spec.ikm_questions], "saran"]
    rows = [[f"2026-03-0{i + 1}", *[3] * 9, text] for i, text in enumerate(typed)]
    for data, name in (
        (csv_bytes([header, *rows]), "saran.csv"),
        (xlsx_bytes([header, *rows]), "saran.xlsx"),
    ):
        Answer.objects.all().delete()
        importing.save(read(unit, data, name))
        assert list(Answer.objects.order_by("day").values_list("suggestion", flat=True)) == typed, name


def test_import_records_user_channel_and_audit_event(unit, people):
    spec = spec_of(unit)
    importing.save(read(unit, fifty_rows(spec)), user=people.superuser)
    assert set(Answer.objects.values_list("channel", "entered_by", "flags", "excluded")) == {
        ("import", people.superuser.pk, 0, False)
    }
    event = AuditEvent.objects.get(action="answer.import")
    assert (event.unit_id, event.after["created"], event.user_id) == (unit.pk, 50, people.superuser.pk)


# --- Upload pages ---------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, unit, data, name="ekspor.csv", fmt="auto"):
    return client.post(
        f"/kelola/impor/{unit.slug}/", {"file": io_file(data, name), "format": fmt}, follow=False
    )


def io_file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_anonymous_is_sent_to_login(client, people):
    for url in (
        "/kelola/impor/",
        f"/kelola/impor/{people.unit.slug}/",
        f"/kelola/impor/{people.unit.slug}/template.csv",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/kelola/masuk/?next={url}"


def test_unit_admin_cannot_import_into_a_sibling_unit(client, people, media):
    client.force_login(people.unit_admin)
    assert client.get("/kelola/impor/")["Location"] == f"/kelola/impor/{people.unit.slug}/"  # their one unit
    assert client.get(f"/kelola/impor/{people.unit.slug}/").status_code == 200
    sibling = people.sibling_unit
    assert client.get(f"/kelola/impor/{sibling.slug}/").status_code == 404
    assert client.get(f"/kelola/impor/{sibling.slug}/template.xlsx").status_code == 404
    assert client.get(f"/kelola/impor/?unit={sibling.slug}").status_code == 404
    assert upload(client, sibling, fifty_rows(spec_of(sibling))).status_code == 404
    assert client.get(f"/kelola/impor/{people.other_pemda_unit.slug}/").status_code == 404
    assert not any(media.iterdir())


def test_an_upload_of_one_user_is_not_visible_to_another(client, people, media):
    make_service(people.unit, "Poli Umum")
    client.force_login(people.pemda_admin)
    token_url = upload(client, people.unit, fifty_rows(spec_of(people.unit)))["Location"]
    client.force_login(people.pd_admin)  # may change the same unit, but did not upload this file
    response = client.get(token_url)
    assert response.status_code == 302 and response["Location"] == f"/kelola/impor/{people.unit.slug}/"
    client.force_login(people.pemda_admin)
    assert client.get(token_url).status_code == 200


@pytest.mark.parametrize("who", ["pimpinan", "no_role"])
def test_pimpinan_and_users_without_a_role_are_refused(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get("/kelola/impor/").status_code == 403
    assert client.get(f"/kelola/impor/{people.unit.slug}/").status_code == 403


def test_pemda_admin_chooses_among_their_units(client, people):
    client.force_login(people.pemda_admin)
    page = client.get("/kelola/impor/").content.decode()
    assert people.unit.name in page and people.other_pd_unit.name in page
    assert people.other_pemda_unit.name not in page
    assert client.get(f"/kelola/impor/?unit={people.sibling_unit.slug}")["Location"] == (
        f"/kelola/impor/{people.sibling_unit.slug}/"
    )


def test_upload_preview_then_save_everything(client, people, media):
    unit = people.unit
    make_service(unit, "Poli Umum")
    client.force_login(people.unit_admin)
    response = upload(client, unit, fifty_rows(spec_of(unit)))
    assert response.status_code == 302
    preview_url = response["Location"]
    assert preview_url.startswith(f"/kelola/impor/{unit.slug}/pratinjau/")
    page = client.get(preview_url).content.decode()
    assert "Pratinjau impor" in page and "ekspor.csv" in page
    assert "Simpan semua (50 jawaban)" in page
    assert "U1 · Persyaratan" in page and EDITED in page  # the mapping
    assert page.count('<tr class="st-new">') == 20  # the first rows
    assert "Nomor antrian" in page  # an ignored column is reported
    assert Answer.objects.count() == 0

    saved = client.post(preview_url, follow=True)
    assert Answer.objects.filter(unit=unit, entered_by=people.unit_admin).count() == 50
    assert "Tersimpan 50 jawaban baru dari ekspor.csv." in saved.content.decode()
    assert not any(media.joinpath("imports").iterdir())  # the kept upload is gone

    again = client.get(upload(client, unit, fifty_rows(spec_of(unit)))["Location"]).content.decode()
    assert "Semua baris sudah pernah diimpor" in again and "Simpan semua" not in again
    later = fifty_rows(spec_of(unit)) + b"\r\n"  # the same export saved again: other bytes
    warned = client.get(upload(client, unit, later)["Location"]).content.decode()
    assert "Perhatian: 50 baris sama persis" in warned and "Simpan semua (50 jawaban)" in warned


def test_preview_of_a_bad_file_lists_the_row_and_offers_no_save(client, people, media):
    unit = people.unit
    make_service(unit, "Poli Umum")
    client.force_login(people.unit_admin)
    preview_url = upload(client, unit, fifty_rows(spec_of(unit), bad_row=31))["Location"]
    response = client.get(preview_url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Simpan semua" not in page
    assert "Tidak ada yang disimpan" in page
    assert '<th scope="row" class="num">31</th>' in page
    assert "&#x27;Lumayan mudah&#x27; pada kolom" in page
    assert client.post(preview_url).status_code == 400  # posting anyway saves nothing
    assert Answer.objects.count() == 0


def test_a_row_error_is_indonesian_by_default_and_english_after_the_switch(client, people, media, settings):
    unit = people.unit
    make_service(unit, "Poli Umum")
    client.force_login(people.unit_admin)
    bad = fifty_rows(spec_of(unit), bad_row=31)
    page = client.get(upload(client, unit, bad)["Location"]).content.decode()
    assert "&#x27;Lumayan mudah&#x27; pada kolom" in page and "Baris yang tidak sah (1)" in page
    assert "is not a valid choice" not in page

    switched = client.post("/i18n/setlang/", {"language": "en", "next": f"/kelola/impor/{unit.slug}/"})
    assert switched.status_code == 302 and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(upload(client, unit, bad)["Location"]).content.decode()  # the cookie is remembered
    assert "&#x27;Lumayan mudah&#x27; in column" in page and "is not a valid choice" in page
    assert "Invalid rows (1)" in page and "Import preview" in page
    assert "pada kolom" not in page and "Pratinjau impor" not in page


def test_upload_refuses_wrong_type_and_too_large_files(client, people, media, monkeypatch):
    client.force_login(people.unit_admin)
    response = upload(client, people.unit, b"%PDF-1.4", name="hasil.pdf")
    assert response.status_code == 400
    assert "Jenis berkas harus .csv atau .xlsx" in response.content.decode()
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 1000)
    response = upload(client, people.unit, b"tanggal\n" + b"x" * 2000)
    assert response.status_code == 400
    assert "Berkas terlalu besar: paling besar 10 MB." in response.content.decode()


def test_unreadable_upload_says_so_in_indonesian(client, people, media):
    client.force_login(people.unit_admin)
    url = upload(client, people.unit, b"\x00\x01garbage", name="rusak.xlsx")["Location"]
    response = client.get(url)
    assert response.status_code == 400
    assert "tidak dapat dibaca sebagai tabel" in response.content.decode()


def test_suggestions_are_escaped_in_the_preview(client, people, media):
    unit = people.unit
    spec = spec_of(unit)
    client.force_login(people.unit_admin)
    header = ["tanggal", *[q.code.lower() for q in spec.ikm_questions], "saran"]
    data = csv_bytes([header, ["2026-03-05", *[3] * 9, "<script>alert(1)</script>"]])
    page = client.get(upload(client, unit, data)["Location"]).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


# --- Ten thousand rows ----------------------------------------------------------------------------


@pytest.mark.slow
def test_ten_thousand_rows_of_a_google_forms_export(unit):
    spec = spec_of(unit)
    rng = random.Random(2026)
    rows = [gf_header(spec)]
    expected = dict.fromkeys(ELEMENTS, 0)
    start = dt.datetime(2026, 1, 2, 8, 0)
    for i in range(10_000):
        values = [rng.randint(1, 4) for _ in range(9)]
        for element, value in zip(ELEMENTS_PENGADUAN_BEFORE_SARANA, values, strict=True):
            expected[element] += value
        when = start + dt.timedelta(minutes=37 * i)
        rows.append(gf_row(spec, values, when=when.strftime("%Y/%m/%d %I:%M:%S %p GMT+8")))
    preview = read(unit, xlsx_bytes(rows), "10rb.xlsx")
    assert preview.ok and len(preview.rows) == 10_000
    assert importing.save(preview).created == 10_000
    assert Answer.objects.filter(unit=unit, channel="import").count() == 10_000
    sums = DailyRollup.objects.filter(unit=unit).aggregate(
        n=Sum("n"), **{e: Sum(f"sum_{e}") for e in ELEMENTS}
    )
    assert sums.pop("n") == 10_000
    assert sums == expected
    snapshot = rollup_table()
    rollups.rebuild()
    assert rollup_table() == snapshot


# --- Keys belong to the unit (issue 21 item 1) ------------------------------------------------------


def keyed(spec, rows):
    return csv_bytes([["tanggal", *[q.code.lower() for q in spec.ikm_questions], "kunci"], *rows])


def test_the_same_kunci_in_units_of_two_pemda_are_both_stored(people):
    for unit, value in ((people.unit, 3), (people.other_pemda_unit, 4)):
        rows = [
            ["2026-03-05", *[value] * 9, "lembar-00000001"],
            ["2026-03-06", *[value] * 9, "lembar-00000002"],
        ]
        preview = read(unit, keyed(spec_of(unit), rows))
        # Nothing about the other Pemda's answers: its rows are new here, not "already imported".
        assert (preview.ok, preview.already, len(preview.rows)) == (True, [], 2), preview.problems
        assert importing.save(preview).created == 2
    for unit, value in ((people.unit, 3), (people.other_pemda_unit, 4)):
        stored = Answer.objects.filter(unit=unit).order_by("idempotency_key")
        assert [(a.idempotency_key, a.persyaratan) for a in stored] == [
            ("lembar-00000001", value),
            ("lembar-00000002", value),
        ]


def test_a_kunci_stored_in_the_unit_is_a_retry_when_equal_and_a_row_error_when_not(unit):
    spec = spec_of(unit)
    importing.save(read(unit, keyed(spec, [["2026-03-05 10:00", *[3] * 9, "lembar-00000001"]])))
    stored = Answer.objects.get(unit=unit, idempotency_key="lembar-00000001")
    second = ["2026-03-06", *[4] * 9, "lembar-00000002"]

    retry = read(unit, keyed(spec, [["2026-03-05 10:00", *[3] * 9, "lembar-00000001"], second]))
    assert retry.ok and retry.already == [2] and [r.key for r in retry.rows] == ["lembar-00000002"]

    other = keyed(spec, [["2026-03-05 10:00", *[3] * 8, 4, "lembar-00000001"], second])
    conflict = read(unit, other)
    assert not conflict.ok and conflict.already == []
    assert [(p.row, p.messages) for p in conflict.problems] == [
        (
            2,
            [
                f"Kunci 'lembar-00000001' sudah dipakai untuk kuesioner lain di unit ini (jawaban #{stored.pk}). "
                "Beri kunci lain, atau hapus kolom kunci bila berkas ini berbeda."
            ],
        )
    ]
    with pytest.raises(importing.NotClean):
        importing.save(conflict)  # all or nothing: the good second row is not stored either
    assert Answer.objects.filter(unit=unit).count() == 1
    assert read(unit, other, language="en").problems[0].messages == [
        f"Key 'lembar-00000001' is already used for another questionnaire in this unit (answer #{stored.pk}). "
        "Give it another key, or remove the key column if this file is a different one."
    ]
    # The same answers at another time are another questionnaire too.
    later = read(unit, keyed(spec, [["2026-03-05 11:00", *[3] * 9, "lembar-00000001"]]))
    assert later.invalid == 1 and "sudah dipakai untuk kuesioner lain" in later.problems[0].messages[0]


def test_keys_stored_between_preview_and_save(unit):
    spec = spec_of(unit)
    rows = [["2026-03-05", *[3] * 9, "lembar-00000001"], ["2026-03-06", *[4] * 9, "lembar-00000002"]]
    preview = read(unit, keyed(spec, rows))
    importing.save(read(unit, keyed(spec, rows[:1])))  # the same questionnaire, stored meanwhile
    assert (importing.save(preview).created, Answer.objects.filter(unit=unit).count()) == (1, 2)

    preview = read(unit, keyed(spec, [["2026-03-07", *[2] * 9, "lembar-00000003"]]))
    importing.save(read(unit, keyed(spec, [["2026-03-07", *[1] * 9, "lembar-00000003"]])))  # another one
    with pytest.raises(
        importing.NotClean, match=r"Sejak pratinjau dibuat, kunci 'lembar-00000003' \(baris 2\)"
    ):
        importing.save(preview)
    assert Answer.objects.get(unit=unit, idempotency_key="lembar-00000003").persyaratan == 1


# --- Bounded reading and output (issue 21 items 2 and 3) ---------------------------------------------


def test_the_template_with_one_cell_at_xfd1048576_is_refused_at_that_cell(unit):
    workbook = Workbook()
    workbook.active.append(importing.template_headers(spec_of(unit)))
    workbook.active.cell(row=1_048_576, column=16_384, value="x")  # declares A1:XFD1048576
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(TableError) as refused:
        read(unit, out.getvalue(), "templat.xlsx")
    assert refused.value.message == (
        "Berkas templat.xlsx berisi lebih dari 100 kolom: baris 1.048.576 berisi data di kolom "
        "XFD (ke-16.384). Hapus kolom yang tidak dipakai."
    )


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(reading, "LIMITS", Limits(rows=3, columns=12, cell=50, bytes=importing.LIMITS.bytes))

    def judged(*args, **kwargs):
        raise AssertionError("a file beyond the limits is refused before any row is judged")

    monkeypatch.setattr(judging, "validate", judged)


LIMIT_CASES = {
    "rows": (4, 0, 0, "lebih dari 3 baris data: batas terlampaui di baris 5."),
    "columns": (1, 2, 0, "lebih dari 12 kolom: baris 2 berisi data di kolom M (ke-13)."),
    "cell": (
        1,
        0,
        51,
        "Sel pada baris 2, kolom K (ke-11) berkas ekspor.csv berisi 51 karakter; paling banyak 50",
    ),
}


def beyond(spec, case):
    n_rows, extra_columns, long_cell = LIMIT_CASES[case][:3]
    header = ["tanggal", *[q.code.lower() for q in spec.ikm_questions], "saran"]
    row = ["2026-03-05", *[3] * 9, "x" * long_cell, *[""] * extra_columns]
    if extra_columns:
        row[-1] = "nomor 12"
    return csv_bytes([header, *[row] * n_rows])


@pytest.mark.parametrize("case", LIMIT_CASES)
def test_a_file_beyond_the_limits_is_refused_with_the_limit_and_where(unit, small_limits, case, tmp_path):
    data, expected = beyond(spec_of(unit), case), LIMIT_CASES[case][3]
    with pytest.raises(TableError) as refused:
        read(unit, data, "ekspor.csv")
    assert expected in refused.value.message
    path = tmp_path / "ekspor.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError) as command:
        call_command("import_answers", str(path), unit=unit.slug)
    assert expected in str(command.value)


def test_upload_beyond_the_limits_shows_the_limit(client, people, media, small_limits):
    client.force_login(people.unit_admin)
    response = client.get(upload(client, people.unit, beyond(spec_of(people.unit), "rows"))["Location"])
    assert response.status_code == 400
    assert "Berkas ekspor.csv berisi lebih dari 3 baris data: batas terlampaui di baris 5." in (
        response.content.decode()
    )


def test_a_google_forms_export_with_many_columns_fits_the_limits(unit):
    spec = spec_of(unit)
    extra = [f"Catatan petugas {i}" for i in range(1, 41)]
    rows = [gf_header(spec) + extra, *[gf_row(spec, [3] * 9) + ["ya"] * 40 for _ in range(3)]]
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    for r in range(1, 5):  # Sheets formats empty cells far to the right: they are not columns
        workbook.active.cell(row=r, column=1_000).number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    preview = read(unit, out.getvalue(), "Survei SKM (Responses).xlsx")
    assert len(rows[0]) == 57 and preview.ok, (preview.file_errors, preview.problems)
    assert len(preview.rows) == 3 and len(preview.ignored_columns) == 41


def invalid_rows(spec, n):
    rows = [gf_header(spec)]
    for i in range(n):
        row = gf_row(spec, [3] * 9, when=f"2026/03/{1 + i % 28:02d} 10:{i % 60:02d}:00 AM GMT+8")
        row[2] = "Lumayan"  # two problems per row: an unknown label and an unknown gender
        row[11] = "Tidak tahu"
        rows.append(row)
    return csv_bytes(rows)


def test_preview_lists_the_first_fifty_invalid_rows_and_counts_them_all(client, people, media):
    unit = people.unit
    make_service(unit, "Poli Umum")
    client.force_login(people.unit_admin)
    page = client.get(upload(client, unit, invalid_rows(spec_of(unit), 120))["Location"]).content.decode()
    errors = page[
        page.index('<table class="import-errors">') : page.index("</table>", page.index("import-errors"))
    ]
    assert errors.count('<th scope="row" class="num">') == importing.PROBLEMS_KEPT == 50
    assert '<th scope="row" class="num">51</th>' in errors and ">52</th>" not in errors
    assert "Baris yang tidak sah (120)" in page
    assert "Ditampilkan 50 baris pertama dari 120 baris yang tidak sah." in page


def test_command_prints_twenty_error_lines_then_the_total(unit, tmp_path, capsys):
    path = tmp_path / "ekspor.csv"
    path.write_bytes(invalid_rows(spec_of(unit), 120))
    with pytest.raises(CommandError, match="120 dari 120 baris tidak sah; tidak ada yang disimpan"):
        call_command("import_answers", str(path), unit=unit.slug)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 21
    assert lines[0].startswith("Baris 2: 'Lumayan' pada kolom") and lines[19].startswith(
        "Baris 11: 'Tidak tahu'"
    )
    assert (
        lines[20] == "… 20 kesalahan pertama ditampilkan (sampai baris 11); seluruhnya 120 baris tidak sah."
    )


def test_saving_stores_the_kept_preview_without_reading_the_file_again(client, people, media, monkeypatch):
    unit = people.unit
    make_service(unit, "Poli Umum")
    client.force_login(people.unit_admin)
    preview_url = upload(client, unit, fifty_rows(spec_of(unit)))["Location"]
    kept = sorted(path.name.split(".", 1)[1] for path in (media / "imports").iterdir())
    assert kept == ["json", "rows.jsonl"]  # the judged preview, not the uploaded bytes

    def read_again(*args, **kwargs):
        raise AssertionError("the file is read once, at the upload")

    monkeypatch.setattr(importing, "read", read_again)
    monkeypatch.setattr(reading, "iter_grid", read_again)
    assert "Simpan semua (50 jawaban)" in client.get(preview_url).content.decode()
    client.post(preview_url)
    assert Answer.objects.filter(unit=unit, entered_by=people.unit_admin).count() == 50
    assert not any((media / "imports").iterdir())


def test_a_kept_preview_stores_what_was_judged(unit):
    spec = spec_of(unit)
    rows = [
        gf_row(spec, [4, 3, 2, 4, 3, 3, 4, 1, 2]),
        gf_row(spec, [1, 2, 3, 4, 4, 3, 2, 1, None], when="2026/03/06 1:05:00 PM GMT+7"),
    ]
    rows[1][-2] = "Antrean panjang."
    direct = read(unit, csv_bytes([gf_header(spec), *rows]))
    summary, kept_rows = importing.kept(direct)
    summary, kept_rows = json.loads(json.dumps(summary)), [json.loads(json.dumps(r)) for r in kept_rows]
    again = importing.restored(summary, unit, kept_rows)
    assert [(r.row, r.key, r.submitted_at, r.day, r.content) for r in again.rows] == [
        (r.row, r.key, r.submitted_at, r.day, r.content) for r in direct.rows
    ]
    assert again.rows[1].submission.suggestion == "Antrean panjang."
    assert importing.save(again).created == 2
    first, second = Answer.objects.filter(unit=unit).order_by("submitted_at")
    assert first.values() == dict(
        zip(ELEMENTS_PENGADUAN_BEFORE_SARANA, [4, 3, 2, 4, 3, 3, 4, 1, 2], strict=True)
    )
    assert (second.sarana, second.suggestion, second.service.name, second.gender) == (
        None,
        "Antrean panjang.",
        "Poli Umum",
        "L",
    )
    assert second.submitted_at == dt.datetime(2026, 3, 6, 6, 5, tzinfo=dt.UTC)

    # Services (or the instrument) changed since the preview: nothing is stored.
    stale = importing.restored(summary, unit, kept_rows)
    Answer.objects.all().delete()
    Layanan.objects.filter(unit=unit, name="Poli Umum").delete()
    with pytest.raises(importing.NotClean, match="berubah sejak pratinjau dibuat"):
        importing.save(stale)
    assert not Answer.objects.exists()
