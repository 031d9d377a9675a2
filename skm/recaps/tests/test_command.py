"""``skm recap check FILE [--json]``: text by default, one JSON document with --json, exit codes
0 (consistent), 1 (problems), 2 (unreadable file, Indonesian message on stderr)."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from skm.recaps.tests.builders import HEADER, row, write_csv, write_xlsx
from skm.recaps.tests.seeds import SEED_003
from skm.recaps.tests.test_exact import NRR_DERIVED_95, TWO_RESPONDENTS

CONSISTENT = [
    row(
        "SEKRETARIAT DAERAH (SETDA)",
        "Tahunan",
        "3,379 3,407 3,331 3,795 3,344 3,386 3,43 3,451 3,723",
        "86,79",
        "B (Baik)",
        477,
        metode="Manual dan Online",
    ),
    row("KELURAHAN SEPI", "Tahunan", "", "0,00", "", 0),
]


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("recap", "check", *[str(a) for a in args], stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_consistent_recap_exits_0_with_indonesian_text(tmp_path):
    code, out, err = run(write_csv(tmp_path / "rekap.csv", CONSISTENT))
    assert code == 0
    assert err == ""
    assert "IKM 86,79 · dari unsur: 86,71 (0,111), 86,79 (1/9) · sesuai bobot 1/9" in out
    assert "Tidak ada masalah: semua baris konsisten." in out
    assert "tanpa responden (no data): baris 3" in out


def test_problems_exit_1(tmp_path):
    code, out, _ = run(write_csv(tmp_path / "rekap.csv", [r for r, _, _ in SEED_003]))
    assert code == 1
    assert "✗ Kategori 'A (Sangat Baik)' tidak sesuai dengan IKM 86,5 (seharusnya B – Baik)." in out


def test_problems_in_the_active_language(tmp_path):
    path = write_csv(tmp_path / "rekap.csv", [r for r, _, _ in SEED_003])
    _, indonesian, _ = run(path)
    with translation.override("en"):
        code, english, _ = run(path)
        _, document, _ = run(path, "--json")
    assert code == 1
    assert "✗ Kategori 'A (Sangat Baik)' tidak sesuai dengan IKM 86,5 (seharusnya B – Baik)." in indonesian
    assert "✗ Category 'A (Sangat Baik)' does not match IKM 86,5 (it should be B – Baik)." in english
    assert "9 problems in 8 rows." in english
    problems = [p for r in json.loads(document)["rows"] for p in r["problems"]]
    assert {
        "code": "category_mismatch",
        "message": "Category 'A (Sangat Baik)' does not match IKM 86,5 (it should be B – Baik).",
    } in problems


def test_missing_column_exits_2_with_message_on_stderr(tmp_path):
    path = tmp_path / "rekap.csv"
    path.write_text(";".join(h for h in HEADER if h != "IKM") + "\n")
    code, out, err = run(path)
    assert code == 2
    assert out == ""
    assert err.startswith("Kolom wajib tidak ditemukan: ikm.")


def test_unreadable_xlsx_exits_2(tmp_path):
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(b"PK\x03\x04 rusak")
    code, _, err = run(path)
    assert code == 2
    assert "tidak dapat dibaca" in err


def test_json_shape(tmp_path):
    rows = [r for r, _, _ in SEED_003] + [row("KELURAHAN SEPI", "Tahunan", "", "0,00", "", 0)]
    code, out, _ = run(write_xlsx(tmp_path / "rekap.xlsx", rows), "--json")
    assert code == 1
    document = json.loads(out)
    assert set(document) == {"rows", "aggregates", "summary"}
    assert len(document["rows"]) == len(rows)
    for item in document["rows"]:
        assert {
            "row",
            "upp",
            "periode",
            "layanan",
            "verdict",
            "ikm_published",
            "ikm_0111",
            "ikm_1_9",
            "scale",
            "category_published",
            "category_expected",
            "category_ok",
            "copy_of",
            "annual_check",
            "sample",
            "metode",
            "problems",
        } <= set(item)
    first = document["rows"][0]
    assert first["upp"] == "SEKRETARIAT DAERAH (SETDA)"
    assert first["verdict"] == "1/9"
    assert first["ikm_published"] == 86.79
    assert first["ikm_1_9"] == 86.7944
    assert first["scale"] == "nrr"
    assert first["metode"] == {"original": "Manual dan Online", "normalised": "hybrid"}
    assert first["category_expected"] == "B"
    methods = [a["method"] for a in document["aggregates"]]
    assert methods == ["mean_of_units", "pooled", "respondent_weighted"]
    no_data = document["rows"][-1]
    assert no_data["verdict"] == "no data"
    for aggregate in document["aggregates"]:
        left = {(x["row"], x["code"]) for x in aggregate["left_out"]}
        assert (no_data["row"], "no_data") in left
        assert isinstance(aggregate["ikm"], float)
    assert document["summary"]["verdicts"]["no data"] == 1
    assert document["summary"]["exit_code"] == 1


def test_json_annual_check_and_copy(tmp_path):
    _, out, _ = run(write_csv(tmp_path / "rekap.csv", [r for r, _, _ in SEED_003]), "--json")
    rows = {(r["upp"], r["periode"]): r for r in json.loads(out)["rows"]}
    rsud = rows[("RSUD RATU ZALECHA", "Tahunan")]["annual_check"]
    assert rsud["kind"] == "semester"
    assert rsud["ok"] is True
    assert rsud["n"] == {"published": 4083, "expected": 4083, "ok": True}
    assert rsud["ikm"]["expected"] == 88.635
    copy = rows[("UPTD PUSKESMAS SUNGAI TABUK 2", "Semester 1")]
    assert copy["copy_of"] == [rows[("UPTD PUSKESMAS SUNGAI TABUK 2", "Semester 2")]["row"]]


def test_bobot_option(tmp_path):
    code, out, _ = run(write_csv(tmp_path / "rekap.csv", CONSISTENT), "--json", "--bobot", "0.111")
    assert code == 0
    assert {a["weight"] for a in json.loads(out)["aggregates"]} == {"0.111"}


def test_skm_entry_point(tmp_path):
    skm = Path(sys.executable).with_name("skm")
    if not skm.exists():
        pytest.skip("the skm entry point is not installed in this environment")
    path = write_csv(tmp_path / "rekap.csv", CONSISTENT, delimiter=",", decimal=".")
    done = subprocess.run(
        [str(skm), "recap", "check", str(path), "--json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"][0]["verdict"] == "1/9"
    missing = tmp_path / "kosong.csv"
    missing.write_text("")
    done = subprocess.run(
        [str(skm), "recap", "check", str(missing)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "kosong" in done.stderr


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_exact_reading_through_the_command(tmp_path, writer):
    # Issue 24: two respondents make "75,00 100,00 87,50 …" exact (0.111, not ambiguous); "95" among
    # NRR × 25 values is 3,80 × 25, not 3,8 ± 0,05 (inconsistent, not ambiguous).
    path = writer(
        tmp_path / ("rekap.xlsx" if writer is write_xlsx else "rekap.csv"), [TWO_RESPONDENTS, NRR_DERIVED_95]
    )
    code, out, _ = run(path, "--json")
    assert code == 1
    rows = json.loads(out)["rows"]
    assert [(r["verdict"], r["matches"], r["reading"]) for r in rows] == [
        ("0.111", ["0.111"], "exact"),
        ("inconsistent", [], "counted"),
    ]
    assert [n["code"] for n in rows[0]["notes"]] == ["nrr_derived", "exact_reading"]
    assert [p["code"] for p in rows[1]["problems"]] == ["ikm_mismatch"]
    code, out, _ = run(path)
    assert "IKM 87,41 · dari unsur: 87,41 (0,111), 87,50 (1/9) · sesuai bobot 0,111" in out
    assert "IKM 91,98 · dari unsur: 90,74 (0,111), 90,83 (1/9) · tidak sesuai dengan bobot mana pun" in out
