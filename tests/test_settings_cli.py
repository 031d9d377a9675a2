"""Settings from the environment, production refusals, and the `skm` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKM = Path(sys.executable).parent / "skm"


def run(args, **env):
    full = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SKM_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    full.update(env)
    return subprocess.run([str(SKM), *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120)


def test_production_refuses_debug():
    result = run(
        ["check"],
        SKM_PRODUCTION="1",
        SKM_DEBUG="1",
        SKM_SECRET_KEY="x" * 50,
        SKM_ALLOWED_HOSTS="skm.example.go.id",
    )
    assert result.returncode != 0
    assert "SKM_DEBUG tidak boleh aktif di produksi" in result.stderr


def test_production_refuses_default_secret_key():
    result = run(["check"], SKM_PRODUCTION="1")
    assert result.returncode != 0
    assert "SKM_SECRET_KEY wajib diisi" in result.stderr


def test_production_starts_with_proper_settings(tmp_path):
    result = run(
        ["check"],
        SKM_PRODUCTION="1",
        SKM_SECRET_KEY="k" * 40 + "Zq8#pL2!vR7@wX4$nM6^",
        SKM_ALLOWED_HOSTS="skm.example.go.id",
        SKM_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr


def test_bad_boolean_is_refused_with_a_message():
    result = run(["check"], SKM_DEBUG="mungkin")
    assert result.returncode != 0
    assert "SKM_DEBUG harus bernilai true/false" in result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s" * 40 + "\n")
    result = run(
        ["shell", "-c", "from django.conf import settings; print(len(settings.SECRET_KEY))"],
        SKM_SECRET_KEY_FILE=str(secret),
    )
    assert result.stdout.strip().splitlines()[-1] == "40", result.stderr


def test_cli_lists_our_commands_and_accepts_hyphens():
    result = run(["help"])
    assert result.returncode == 0
    for command in ("demo", "import_units", "recap"):
        assert command in result.stdout
    result = run(["import-units", "--help"])
    assert result.returncode == 0 and "perangkat_daerah" in result.stdout


def test_embedded_sqlite_runs_in_wal_mode(tmp_path):
    result = run(
        [
            "shell",
            "-c",
            "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        ],
        SKM_VAR_DIR=str(tmp_path),
    )
    assert result.stdout.strip().splitlines()[-1] == "wal", result.stderr
    assert (tmp_path / "skm.sqlite3").exists()


PRODUCTION = {
    "SKM_PRODUCTION": "1",
    "SKM_SECRET_KEY": "k" * 40 + "Zq8#pL2!vR7@wX4$nM6^aa",
    "SKM_ALLOWED_HOSTS": "skm.example.go.id",
    "SKM_PUBLIC_URL": "https://skm.example.go.id",
    "SKM_REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], SKM_VAR_DIR=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_what_is_missing(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k not in ("SKM_PUBLIC_URL", "SKM_REDIS_URL")}
    result = run(["check", "--deploy"], SKM_VAR_DIR=str(tmp_path), **env)
    assert "skm.W001" in result.stderr + result.stdout and "skm.W003" in result.stderr + result.stdout


def test_production_headers(tmp_path):
    code = (
        "from django.test import Client; "
        "r = Client().get('/api/v1/', secure=True, HTTP_HOST='skm.example.go.id'); "
        "print(r.status_code); print(r.headers.get('Content-Security-Policy')); "
        "print(r.headers.get('Strict-Transport-Security')); print(r.headers.get('X-Frame-Options'))"
    )
    result = run(["shell", "--no-imports", "-c", code], SKM_VAR_DIR=str(tmp_path), **PRODUCTION)
    lines = result.stdout.strip().splitlines()[-4:]
    assert lines[0] == "200", result.stderr
    assert "script-src 'self'" in lines[1] and "unsafe-inline" not in lines[1]
    assert lines[2].startswith("max-age=31536000")
    assert lines[3] == "DENY"
