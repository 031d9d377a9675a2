"""The column template of a unit, as CSV (the headers) and XLSX (the headers, a check on the
answer cells, and a guide sheet saying what each column takes). The column names are the file's
contract and stay as they are; everything else is in the active language.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from skm.instrument.spec import InstrumentSpec
from skm.lib.spreadsheet import append_safe_row, safe_csv_writer
from skm.organisation.models import Unit


def template_headers(spec: InstrumentSpec) -> list[str]:
    """The columns of our template for a Pemda: questions in its order, with its column headers."""
    return [
        "tanggal",
        "layanan",
        *(f"{q.code.lower()} {q.header}".strip() for q in spec.ikm_questions),
        "jenis_kelamin",
        "usia",
        "pendidikan",
        "pekerjaan",
        "saran",
        "kunci",
    ]


def template_guide(unit: Unit, spec: InstrumentSpec) -> list[tuple[str, str, str]]:
    """(column, what to write, the choices) for the guide sheet of the template."""
    services = ", ".join(f"{s.name}" for s in unit.services.all() if s.active) or _(
        "(unit ini belum punya layanan)"
    )
    guide = [
        (
            "tanggal",
            _("Tanggal atau tanggal dan jam pengisian kuesioner (wajib)"),
            _("2024-03-05 atau 2024-03-05 10:12"),
        ),
        ("layanan", _("Jenis layanan yang diterima (boleh kosong): nama atau kode"), services),
    ]
    for q in spec.ikm_questions:
        choices = "; ".join(f"{o.value} = {o.label}" for o in sorted(q.options, key=lambda o: o.value))
        guide.append((f"{q.code.lower()} {q.header}".strip(), f"{q.code} {q.name}: {q.text}", choices))
    for item, column in zip(spec.profile, ("jenis_kelamin", "usia", "pendidikan", "pekerjaan"), strict=False):
        choices = "; ".join(f"{o.code} = {o.label}" for o in item.options)
        if item.key == "age_band":
            choices += _("; atau usia dalam tahun (mis. 34)")
        guide.append((column, _("{label}: kode atau label (boleh kosong)").format(label=item.label), choices))
    guide.append(("saran", _("Saran/masukan responden, apa adanya (boleh kosong)"), ""))
    guide.append(
        (
            "kunci",
            _(
                "Opsional: kode unik per kuesioner (8–64 huruf/angka/-/_), mis. nomor lembar. "
                "Baris dengan kunci yang sudah pernah diimpor dilewati."
            ),
            "",
        )
    )
    return guide


def template_csv(unit: Unit, spec: InstrumentSpec) -> bytes:
    out = io.StringIO()
    safe_csv_writer(out).writerow(template_headers(spec))
    return out.getvalue().encode("utf-8")


def template_xlsx(unit: Unit, spec: InstrumentSpec) -> bytes:
    # openpyxl is loaded when a template is asked for, not with every process that serves pages.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Jawaban")
    headers = template_headers(spec)
    append_safe_row(sheet, headers)
    for i, header in enumerate(headers, start=1):
        sheet.cell(row=1, column=i).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = max(10, len(header) + 2)
    sheet.column_dimensions["A"].width = 18
    sheet.freeze_panes = "A2"
    first_q = 3  # after tanggal and layanan
    last_q = first_q + len(spec.ikm_questions) - 1
    values = sorted({o.value for q in spec.ikm_questions for o in q.options})
    check = DataValidation(type="list", formula1=f'"{",".join(map(str, values))}"', allow_blank=True)
    check.error = _("Isi dengan {values} atau kosongkan.").format(values=", ".join(map(str, values)))
    check.add(f"{get_column_letter(first_q)}2:{get_column_letter(last_q)}10001")
    sheet.add_data_validation(check)
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"

    guide = workbook.create_sheet(_("Petunjuk"))
    title = _("Templat impor jawaban SKM — {unit} ({pemda})").format(unit=unit.name, pemda=unit.pemda.name)
    append_safe_row(guide, [title])
    guide["A1"].font = Font(bold=True)
    append_safe_row(
        guide,
        [
            _("Isi lembar '{sheet}': satu baris per kuesioner. Jangan ubah judul kolom.").format(
                sheet=sheet.title
            )
        ],
    )
    guide.append([])
    append_safe_row(guide, [_("kolom"), _("isi"), _("pilihan")])
    for cell in guide[4]:
        cell.font = Font(bold=True)
    for row in template_guide(unit, spec):
        append_safe_row(guide, row)
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 70
    guide.column_dimensions["C"].width = 70
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
