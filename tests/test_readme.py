"""The README stays true: its quick start has two commands and it names every `skm` command of ours."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Mulai cepat / Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert commands == [
        "python3 run.py demo    # pasang, isi data demo, jalankan di http://127.0.0.1:8000/kelola/",
        "python3 run.py test    # pasang, lalu jalankan seluruh pengujian (lint, migrasi, tipe, pytest)",
    ]


def test_every_command_of_ours_is_documented():
    names = sorted(p.stem for p in ROOT.glob("skm/*/management/commands/*.py") if not p.stem.startswith("_"))
    assert names, "no commands found"
    for name in names:
        assert f"`skm {name.replace('_', '-')}" in README, name


def test_ci_runs_the_readme_test_command_on_sqlite_and_postgresql():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.count("python3 run.py test") == 2
    assert "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python3 run.py test" in ci
