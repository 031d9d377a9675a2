"""Smoke run of bench/results_pages.py (SQLite, 2,000 answers): it seeds, exports to Parquet, gets
the same Pemda IKM from DuckDB as from skm, and times the pages that exist. The 1,000,000-answer
PostgreSQL run is for people (docs/benchmarks.md), never CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def test_the_results_bench_runs_small_on_sqlite(tmp_path):
    pytest.importorskip("duckdb")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    done = subprocess.run(
        [sys.executable, "bench/results_pages.py", "--sqlite", "--answers", "2000", "--requests", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "— same" in done.stdout
    assert "dashboard" in done.stdout and "ms" in done.stdout
