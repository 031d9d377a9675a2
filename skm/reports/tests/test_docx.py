"""The report's DOCX (issue 25 items 2, 3, 5): both default shapes render from the snapshot's
figures, in Word styles (navigable headings, real tables whose header rows repeat), with every
unsur of the instrument, text escaped; a template that cannot render is refused with its reason
and line; a Pemda's own edited template is used."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docxtpl import DocxTemplate

from skm.lib.numbers import number
from skm.reports import content, docx
from skm.reports.models import ReportSettings, Shape
from skm.reports.tests.world import report_world

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> tuple[list[str], list[list[list[str]]], list[str]]:
    """Headings (Heading 1/2), tables (rows of cell text) and all paragraph text of a DOCX."""
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return headings, tables, [p.text for p in document.paragraphs]


def _settings(world, shape: str) -> ReportSettings:
    return ReportSettings(
        pemda=world.pemda,
        shape=shape,
        signer_name="H. Yudi Andrea, S.STP",
        signer_rank="Pembina Tingkat I (IV/b)",
        signer_nip="19791231 199810 1 002",
        electronic=shape == Shape.TIGA_BAB,
    )


@pytest.mark.parametrize("shape", [Shape.EMPAT_BAB, Shape.TIGA_BAB])
def test_both_shapes_render_the_snapshot_figures(shape):
    world = report_world()
    report = content.build(world.period)
    data = docx.render_docx(report, _settings(world, shape))
    headings, tables, paragraphs = _text(data)
    chapters = [h for h in headings if h.startswith("BAB ")]
    assert len(chapters) == (4 if shape == Shape.EMPAT_BAB else 3)
    assert "KATA PENGANTAR" in headings
    results = next(t for t in tables if t[0][:3] == ["No", "OPD/UPP", "Periode"])
    assert results[0][3 : 3 + len(report.elements)] == [f"U{i}" for i in range(1, len(report.elements) + 1)]
    body = {row[1]: row for row in results[1:]}
    for row in report.rows:
        cells = body[row.unit.name + ("\n" + row.reason if row.figures.n == 0 and row.reason else "")]
        ikm_cell = cells[3 + len(report.elements)]
        if row.figures.ikm is None:
            assert ikm_cell == "tidak ada data"
        else:
            assert ikm_cell == number(row.figures.ikm, report.places)
    total = body[report.pemda.name]
    assert total[3 + len(report.elements)] == number(report.total.result.ikm, report.places)
    # NRR beside converted values in seed 003's shape.
    first = report.rows[0]
    element = report.elements[0]
    cell = body[first.unit.name][3]
    if shape == Shape.TIGA_BAB:
        assert (
            cell == f"{number(first.figures.nrr[element], 3)}\n{number(first.figures.nrr[element] * 25, 2)}"
        )
    else:
        assert cell == number(first.figures.nrr[element] * 25, 2)
    text = "\n".join(paragraphs)
    assert f"versi {report.snapshot.version}" in text  # cover
    assert "kurangnya SDM" in text  # BAB IV names the unit that did not survey, and why
    assert number(report.total.result.ikm, 2) in text
    assert ("Ditandatangani secara elektronik oleh:" in text) == (shape == Shape.TIGA_BAB)
    assert "NIP. 19791231 199810 1 002" in text
    footer = Document(io.BytesIO(data)).sections[0].footer.paragraphs[0].text
    assert f"versi {report.snapshot.version}" in footer


def test_results_table_is_a_real_table_with_repeating_header():
    world = report_world()
    data = docx.render_docx(content.build(world.period), _settings(world, Shape.EMPAT_BAB))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:tblHeader") >= 10  # every table's header row repeats on each page
    assert "{{" not in xml and "{%" not in xml  # every placeholder filled
    # The unit name with markup characters is escaped in the XML and reads back verbatim.
    assert (
        "Kelurahan Satu &lt;&amp;&gt; &quot;Tiga&quot;" in xml or 'Kelurahan Satu &lt;&amp;&gt; "Tiga"' in xml
    )
    _headings, tables, _p = _text(data)
    assert any('Kelurahan Satu <&> "Tiga"' in row[1] for t in tables for row in t if len(row) > 1)


def test_a_broken_template_is_refused_with_its_line():
    world = report_world()
    report = content.build(world.period)
    broken = Document()
    broken.add_paragraph("Laporan {{ pemda }}")
    broken.add_paragraph("IKM {{ ikm ")  # never closed
    out = io.BytesIO()
    broken.save(out)
    with pytest.raises(docx.TemplateProblem) as raised:
        docx.render_docx(report, _settings(world, Shape.EMPAT_BAB), template=out.getvalue())
    assert raised.value.line is not None
    assert "Templat tidak dapat dibaca" in str(raised.value)


def test_an_unknown_name_is_refused():
    world = report_world()
    report = content.build(world.period)
    unknown = Document()
    unknown.add_paragraph("Nilai {{ nilai_yang_tidak_ada }}")
    out = io.BytesIO()
    unknown.save(out)
    with pytest.raises(docx.TemplateProblem) as raised:
        docx.render_docx(report, _settings(world, Shape.EMPAT_BAB), template=out.getvalue())
    assert "nilai_yang_tidak_ada" in str(raised.value)


def test_a_pemda_s_own_template_and_text_blocks_are_used():
    world = report_world()
    report = content.build(world.period)
    own = Document(io.BytesIO(docx.default_template(Shape.TIGA_BAB)))
    own.paragraphs[6].insert_paragraph_before("Disunting oleh Bagian Organisasi {{ pemda }}")
    edited = io.BytesIO()
    own.save(edited)
    settings = _settings(world, Shape.TIGA_BAB)
    settings.template = edited.getvalue()
    settings.texts = {"latar_belakang": "Latar khusus {pemda}.\n\nParagraf kedua {tahun}."}
    _h, _t, paragraphs = _text(docx.render_docx(report, settings))
    assert f"Disunting oleh Bagian Organisasi {world.pemda.name}" in paragraphs
    assert f"Latar khusus {world.pemda.name}." in paragraphs and "Paragraf kedua 2025." in paragraphs


def test_the_default_templates_are_plain_docx_with_placeholders():
    for shape in Shape:
        data = docx.default_template(shape)
        template = DocxTemplate(io.BytesIO(data))
        names = template.get_undeclared_template_variables()
        assert {
            "pemda",
            "periode",
            "tabel_hasil" if shape == Shape.EMPAT_BAB else "tabel_hasil_nrr",
            "kesimpulan",
        } <= names


def test_the_conclusion_never_contradicts_the_tables():
    from skm.reports.conclusion import draft

    world = report_world()
    report = content.build(world.period)
    points = draft(report)
    total = report.total.result
    assert number(total.ikm, report.places) in points[0] and total.band.mutu in points[0]
    assert any(f"{report.compliance.reported} dari {report.compliance.expected} unit" in p for p in points)
    lowest = report.lowest_unsur
    assert any(report.labels[lowest.element] in p and number(lowest.converted, 2) in p for p in points)
    assert any("75,00 %" in p for p in points)  # the mean realisation of the previous RTL
    edited = ["Kesimpulan yang disunting."]
    _h, _t, paragraphs = _text(docx.render_docx(report, _settings(world, Shape.EMPAT_BAB), conclusion=edited))
    assert "1. Kesimpulan yang disunting." in paragraphs


def test_every_context_name_is_listed_for_the_upload_check():
    world = report_world()
    report = content.build(world.period)
    template = DocxTemplate(io.BytesIO(docx.default_template(Shape.EMPAT_BAB)))
    values = docx.context(template, report, _settings(world, Shape.EMPAT_BAB), ["x"])
    assert set(values) == docx.CONTEXT_NAMES
    for shape in Shape:
        assert docx.undeclared_names(docx.default_template(shape)) <= docx.CONTEXT_NAMES


def test_many_units_not_reported_are_counted_by_reason_not_named():
    from skm.reports.conclusion import NAMED_AT_MOST, draft
    from skm.testing import make_unit

    world = report_world()
    pd = world.units["silent"].perangkat_daerah
    for i in range(NAMED_AT_MOST):
        make_unit(pd, f"Kelurahan Tambahan {i}", unit_type="Kelurahan")
    points = draft(content.build(world.period))
    line = next(p for p in points if "telah menyampaikan laporan" in p)
    missing = NAMED_AT_MOST + 3  # the added units, the silent one, the two Puskesmas
    assert f"{missing} unit belum melapor" in line
    assert "kurangnya SDM (1 unit)" in line and f"belum melapor ({missing - 1} unit)" in line
    assert "Kelurahan Tambahan" not in line
