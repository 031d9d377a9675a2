"""Fuzzing (issue 6): malformed files against every import parser and random input against the
public survey endpoint. Nothing crashes; nothing that should be refused is accepted; nothing that
was accepted is lost."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from skm.collection import importing
from skm.collection.models import Answer, DailyRollup
from skm.lib.tabular import TableError, read_grid
from skm.organisation.importing import import_units
from skm.organisation.models import Unit
from skm.recaps.reader import RecapFileError, read_recap
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_pd, make_pemda, make_unit

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_XLSX = xlsx([["tanggal", *[f"u{i}" for i in range(1, 10)]], ["2026-03-02 10:00", *[3] * 9]])


def mangled(data: bytes):
    """Files as they arrive broken: truncated, bytes flipped, a zip with the wrong insides."""
    return st.one_of(
        st.binary(max_size=4096),
        st.integers(0, len(data)).map(lambda n: data[:n]),
        st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)).map(
            lambda t: data[: t[0]] + bytes([t[1]]) + data[t[0] + 1 :]
        ),
        st.just(_zip_with({"xl/workbook.xml": b"<not-xml"})),
        st.just(_zip_with({"[Content_Types].xml": b""})),
    )


def _zip_with(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in files.items():
            z.writestr(name, body)
    return out.getvalue()


csv_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600)
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80
)  # what XLSX can hold


@FUZZ
@given(data=mangled(GOOD_XLSX), name=st.sampled_from(["a.xlsx", "a.csv", "a.txt", "a.xls", "a"]))
def test_the_shared_reader_reads_or_says_why(data, name):
    try:
        grid = read_grid(data, filename=name)
    except TableError as exc:
        assert exc.code and exc.message and "Berkas" in exc.message
    else:
        assert all(isinstance(c, str) for _, row in grid for c in row)


@pytest.fixture
def unit(db):
    return make_unit(make_pd(make_pemda()))


@pytest.mark.django_db
@FUZZ
@given(data=mangled(GOOD_XLSX))
def test_answer_import_never_crashes_and_saves_nothing_from_a_broken_file(unit, data):
    before = Answer.objects.filter(unit=unit).count()
    try:
        preview = importing.read(data, "jawaban.xlsx", unit)
    except TableError:
        assert Answer.objects.filter(unit=unit).count() == before
        return
    if preview.ok and preview.rows:
        importing.save(preview)
        for row in preview.rows:
            assert Answer.objects.filter(idempotency_key=row.key).exists()  # accepted → stored
    else:
        assert Answer.objects.filter(unit=unit).count() == before


@pytest.mark.django_db
@FUZZ
@given(text=csv_text)
def test_answer_import_of_random_text(unit, text):
    before = Answer.objects.count()
    try:
        preview = importing.read(text.encode("utf-8"), "jawaban.csv", unit)
    except TableError:
        assert Answer.objects.count() == before
        return
    if not preview.ok:
        with pytest.raises(importing.NotClean):
            importing.save(preview)
        assert Answer.objects.count() == before


@pytest.mark.django_db
@FUZZ
@given(
    cells=st.lists(
        st.lists(st.one_of(cell_text, st.integers(-10, 10), st.none()), min_size=10, max_size=12), max_size=6
    )
)
def test_answer_import_of_random_cells_keeps_rollups_true(unit, cells):
    header = ["tanggal", *[f"u{i}" for i in range(1, 10)], "saran"]
    data = xlsx([header, *cells])
    preview = importing.read(data, "acak.xlsx", unit)
    stored = Answer.objects.count()
    if preview.ok and preview.rows:
        importing.save(preview)
        stored += len(preview.rows)
    assert Answer.objects.count() == stored
    for answer in Answer.objects.filter(unit=unit):
        assert all(v is None or 1 <= v <= 4 for v in answer.values().values())
    total = sum(DailyRollup.objects.filter(unit=unit).values_list("n", flat=True))
    assert total == Answer.objects.filter(unit=unit).count()


@pytest.mark.django_db
@FUZZ
@given(data=mangled(xlsx([["perangkat_daerah", "unit", "jenis_unit"], ["Dinas A", "UPP A", "Puskesmas"]])))
def test_unit_import_never_crashes_and_is_all_or_nothing(data):
    pemda = make_pemda()
    before = Unit.objects.count()
    try:
        result = import_units(pemda, data, filename="unit.xlsx")
    except TableError:
        assert Unit.objects.count() == before
        return
    if result.errors:
        assert not result.saved and Unit.objects.count() == before
    else:
        assert Unit.objects.count() == before + result.created_units


@FUZZ
@given(text=csv_text)
def test_recap_reader_reads_or_says_why(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("rekap") / "rekap.csv"
    path.write_text(text, encoding="utf-8")
    try:
        table = read_recap(path)
    except RecapFileError as exc:
        assert exc.code and exc.message
    else:
        assert all(set(r.cells) <= set(table.columns) for r in table.rows)


@pytest.mark.django_db
@FUZZ
@given(
    form=st.dictionaries(
        st.sampled_from(
            [
                *ELEMENTS,
                "gender",
                "age_band",
                "service",
                "suggestion",
                "contact",
                "idempotency_key",
                "rendered",
                "x",
            ]
        ),
        st.one_of(csv_text, st.integers().map(str), st.just("")),
        max_size=14,
    )
)
def test_survey_post_never_crashes(client, unit, form):
    response = client.post(f"/s/{unit.slug}/", form)
    assert response.status_code in (303, 400, 429), response.status_code
    if response.status_code == 303:
        answer = Answer.objects.latest("pk")
        assert all(answer.values()[e] in (1, 2, 3, 4) for e in ELEMENTS)


@pytest.mark.django_db
def test_nul_and_huge_inputs_on_the_survey_page(client, unit):
    make_answer(unit)
    for value in (
        "\x00",
        "a" * 100_000,
        "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    ):
        response = client.post(f"/s/{unit.slug}/", {e: value for e in ELEMENTS} | {"suggestion": value})
        assert response.status_code == 400
    assert connection.vendor in ("sqlite", "postgresql")
