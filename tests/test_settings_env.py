"""skm/settings.py checks every environment variable as it loads, and creates nothing on disk.

The settings file is executed afresh (runpy) under a chosen environment, as a process starting
would load it; the settings of the running tests are not touched.
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "skm" / "settings.py"
SKM = Path(sys.executable).parent / "skm"


@pytest.fixture
def load(monkeypatch, tmp_path):
    """Load the settings with only our variables set (plus `env`); return them as a dict."""
    for name in list(os.environ):
        if name.startswith("SKM_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("SKM_VAR_DIR", str(tmp_path / "fresh" / "var"))

    def load(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return load


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("SKM_RATE_DEVICE", "20 per jam", "N/s, N/m, N/h atau N/d"),
        ("SKM_RATE_KIOSK", "600", "N/s, N/m, N/h atau N/d"),
        ("SKM_RATE_IP", "600/minggu", "N/s, N/m, N/h atau N/d"),
        ("SKM_PORT", "delapan ribu", "bilangan bulat"),
        ("SKM_PORT", "99999", "maksimal 65535"),
        ("SKM_WORKERS", "0", "minimal 1"),
        ("SKM_THREADS", "4.5", "bilangan bulat"),
        ("SKM_BACKLOG", "10", "minimal 128"),
        ("SKM_SESSION_AGE", "60", "minimal 300"),
        ("SKM_LOGIN_FAILURE_LIMIT", "0", "minimal 1"),
        ("SKM_LOGIN_LOCKOUT_MINUTES", "lama", "bilangan bulat"),
        ("SKM_FLAG_BURST_COUNT", "1", "minimal 2"),
        ("SKM_FLAG_BURST_SECONDS", "5", "minimal 10"),
        ("SKM_FLAG_DEVICE_REPEAT", "0", "minimal 1"),
        ("SKM_FLAG_FAST_SECONDS", "-1", "minimal 0"),
        ("SKM_HASH_RETENTION_DAYS", "0", "minimal 1"),
        ("SKM_TRUSTED_PROXY_COUNT", "satu", "bilangan bulat"),
        ("SKM_DB_CONN_MAX_AGE", "-1", "minimal 0"),
        ("SKM_HSTS_SECONDS", "setahun", "bilangan bulat"),
        ("SKM_DEBUG", "mungkin", "true/false"),
        ("SKM_PRODUCTION", "2", "true/false"),
        ("SKM_GROUP_COMMIT", "kadang", "true/false"),
        ("SKM_SSL_REDIRECT", "maybe", "true/false"),
        ("SKM_HSTS_PRELOAD", "?", "true/false"),
        ("SKM_LOG_LEVEL", "VERBOSE", "pilih salah satu: DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("SKM_TIME_ZONE", "WITA", "zona waktu IANA"),
        ("SKM_HOST", "http://0.0.0.0", "alamat IP"),
        ("SKM_ALLOWED_HOSTS", "https://skm.example.go.id/", "nama host saja"),
        ("SKM_CSRF_TRUSTED_ORIGINS", "skm.example.go.id", "skemanya"),
        ("SKM_PUBLIC_URL", "skm.example.go.id", "http:// atau https://"),
        ("SKM_REDIS_URL", "127.0.0.1:6379", "redis://"),
        ("DATABASE_URL", "mysql://skm@db/skm", "sqlite://, postgres://, postgresql://"),
        ("DATABASE_URL", "postgres://skm@db:port/skm", "tidak terbaca"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable_the_value_and_what_is_allowed(load, name, value, allowed):
    with pytest.raises(ImproperlyConfigured) as caught:
        load(**{name: value})
    text = str(caught.value)
    assert name in text and repr(value) in text and allowed in text, text
    assert f" / {name}" in text  # the same message in English follows, for the operator


def test_good_values_are_taken(load):
    loaded = load(
        SKM_RATE_DEVICE="30/h",
        SKM_RATE_IP="1000/hour",
        SKM_PORT="8080",
        SKM_LOG_LEVEL="info",
        SKM_TIME_ZONE="Asia/Makassar",
        SKM_PUBLIC_URL="https://skm.example.go.id/",
        SKM_REDIS_URL="redis://127.0.0.1:6379/0",
        DATABASE_URL="postgres://skm:rahasia@127.0.0.1:5432/skm",
    )
    assert (loaded["SKM_RATE_DEVICE"], loaded["SKM_RATE_IP"], loaded["SKM_PORT"]) == (
        "30/h",
        "1000/hour",
        8080,
    )
    assert loaded["LOGGING"]["root"]["level"] == "INFO" and loaded["TIME_ZONE"] == "Asia/Makassar"
    assert loaded["SKM_PUBLIC_URL"] == "https://skm.example.go.id"
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_a_bad_database_password_never_shows(load):
    with pytest.raises(ImproperlyConfigured) as caught:
        load(DATABASE_URL="postgres://skm:rahasia@db:port/skm")
    assert "rahasia" not in str(caught.value) and "skm:***@db" in str(caught.value)


def test_importing_the_settings_creates_no_directory(load, tmp_path):
    loaded = load()  # development mode, embedded SQLite under SKM_VAR_DIR
    var = tmp_path / "fresh" / "var"
    assert loaded["VAR_DIR"] == var and loaded["DATABASES"]["default"]["NAME"] == str(var / "skm.sqlite3")
    assert not (tmp_path / "fresh").exists()
    load(SKM_PRODUCTION="1", SKM_SECRET_KEY="k" * 40 + "Zq8#pL2!vR7@wX4$nM6^")
    assert not (tmp_path / "fresh").exists()


def test_settings_in_a_fresh_clone_make_no_var_folder(load, monkeypatch, tmp_path):
    clone = tmp_path / "clone"
    (clone / "skm").mkdir(parents=True)
    (clone / "skm" / "settings.py").write_bytes(SETTINGS.read_bytes())
    monkeypatch.delenv("SKM_VAR_DIR")
    loaded = runpy.run_path(str(clone / "skm" / "settings.py"))
    assert loaded["BASE_DIR"] == clone and loaded["VAR_DIR"] == clone / "var"
    assert sorted(p.name for p in clone.iterdir()) == ["skm"]


def test_every_variable_the_settings_read_is_documented():
    names = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', SETTINGS.read_text()))
    assert {"SKM_RATE_DEVICE", "DATABASE_URL", "SKM_VAR_DIR"} <= names
    documented = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    missing = sorted(name for name in names if f"`{name}`" not in documented)
    assert not missing, f"docs/deployment.md lacks {missing}"


def run(args, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("SKM_") and k != "DATABASE_URL"}
    full.update(env)
    return subprocess.run([str(SKM), *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120)


def test_skm_stops_on_a_bad_value_with_its_message_and_no_traceback(tmp_path):
    result = run(["check"], SKM_VAR_DIR=str(tmp_path), SKM_RATE_IP="banyak")
    assert result.returncode == 1
    assert "SKM_RATE_IP='banyak' tidak sah" in result.stderr and "Traceback" not in result.stderr


def test_skm_makes_the_sqlite_folder_of_a_fresh_clone(tmp_path):
    var = tmp_path / "clone" / "var"
    code = "from django.db import connection; connection.ensure_connection(); print('ok')"
    result = run(["shell", "--no-imports", "-c", code], SKM_VAR_DIR=str(var))
    assert result.stdout.strip().endswith("ok"), result.stderr
    assert (var / "skm.sqlite3").exists()
    assert not (var / "static").exists()  # collectstatic makes it, when it is needed


def test_mail_settings_come_from_the_environment(load):
    assert load()["EMAIL_BACKEND"].endswith("console.EmailBackend")  # no host: printed, not sent
    loaded = load(
        SKM_EMAIL_HOST="smtp.example.go.id", SKM_EMAIL_PORT="465", SKM_EMAIL_FROM="SKM <skm@example.go.id>"
    )
    assert loaded["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (loaded["EMAIL_PORT"], loaded["EMAIL_USE_SSL"], loaded["EMAIL_USE_TLS"]) == (465, True, False)
    assert loaded["DEFAULT_FROM_EMAIL"] == "SKM <skm@example.go.id>"
    with pytest.raises(ImproperlyConfigured, match="SKM_EMAIL_USE_SSL"):
        load(SKM_EMAIL_HOST="smtp.example.go.id", SKM_EMAIL_USE_TLS="1", SKM_EMAIL_USE_SSL="1")
