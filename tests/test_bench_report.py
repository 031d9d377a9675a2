"""Smoke run of bench/report.py (SQLite, 1,500 answers, one run): it seeds, closes the year, makes
the report in every format and LibreOffice's conversion baseline. The 100,000-answer PostgreSQL run
is for people (docs/benchmarks.md), never CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def test_the_report_bench_runs_small_on_sqlite():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    done = subprocess.run(
        [sys.executable, "bench/report.py", "--sqlite", "--answers", "1500", "--runs", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "156 unit rows" in done.stdout and "÷ LibreOffice" in done.stdout and "met" in done.stdout
