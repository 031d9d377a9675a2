"""Each reader of skm.lib.env refuses a bad value, naming the variable, the value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from skm.lib import env


def refused(monkeypatch, name: str, value: str, read) -> str:
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as caught:
        read()
    text = str(caught.value)
    assert name in text and repr(value) in text, text
    return text


def test_rate(monkeypatch):
    read = lambda: env.env_rate("SKM_RATE_X", "20/h")  # noqa: E731
    for good, expected in (("600/h", "600/h"), (" 5/m ", "5/m"), ("0/h", "0/h"), ("200/day", "200/day")):
        monkeypatch.setenv("SKM_RATE_X", good)
        assert read() == expected
    for bad in ("20", "20/j", "banyak", "-5/h", "20/h/2", "1.5/h"):
        assert "N/s, N/m, N/h atau N/d" in refused(monkeypatch, "SKM_RATE_X", bad, read)
    monkeypatch.delenv("SKM_RATE_X")
    assert read() == "20/h"


def test_whole_number_and_bounds(monkeypatch):
    read = lambda: env.env_int("SKM_PORT_X", 8000, minimum=1, maximum=65535)  # noqa: E731
    monkeypatch.setenv("SKM_PORT_X", "8080")
    assert read() == 8080
    text = refused(monkeypatch, "SKM_PORT_X", "delapan", read)
    assert "harus bilangan bulat minimal 1 dan maksimal 65535" in text and "must be a whole number" in text
    assert "maksimal 65535" in refused(monkeypatch, "SKM_PORT_X", "70000", read)
    assert "minimal 1" in refused(monkeypatch, "SKM_PORT_X", "0", read)
    monkeypatch.setenv("SKM_PORT_X", "")
    assert read() == 8000  # empty = unset


def test_boolean(monkeypatch):
    read = lambda: env.env_bool("SKM_FLAG_X", True)  # noqa: E731
    for value, expected in (("ya", True), ("Off", False), ("", False)):
        monkeypatch.setenv("SKM_FLAG_X", value)
        assert read() is expected
    assert "true/false" in refused(monkeypatch, "SKM_FLAG_X", "mungkin", read)


def test_choice(monkeypatch):
    read = lambda: env.env_choice("SKM_LEVEL_X", "WARNING", ("DEBUG", "INFO", "WARNING"))  # noqa: E731
    monkeypatch.setenv("SKM_LEVEL_X", "info")
    assert read() == "INFO"
    assert "pilih salah satu: DEBUG, INFO, WARNING" in refused(monkeypatch, "SKM_LEVEL_X", "LOUD", read)


def test_url_schemes_and_hidden_password(monkeypatch):
    read = lambda: env.env_url("DB_X", "", schemes=("sqlite", "postgres"), example="postgres://…")  # noqa: E731
    monkeypatch.setenv("DB_X", "postgres://skm:rahasia@127.0.0.1:5432/skm")
    assert read() == "postgres://skm:rahasia@127.0.0.1:5432/skm"
    monkeypatch.setenv("DB_X", "mysql://skm:rahasia@db/skm")
    with pytest.raises(ImproperlyConfigured) as caught:
        read()
    assert "rahasia" not in str(caught.value) and "mysql://skm:***@db/skm" in str(caught.value)
    assert "sqlite://, postgres://" in str(caught.value)


def test_public_url(monkeypatch):
    read = lambda: env.env_public_url("URL_X")  # noqa: E731
    monkeypatch.setenv("URL_X", "https://skm.banjarmasinkota.go.id/")
    assert read() == "https://skm.banjarmasinkota.go.id"
    for bad in ("skm.banjarmasinkota.go.id", "ftp://x.go.id", "https://x.go.id/?a=1"):
        assert "http:// atau https://" in refused(monkeypatch, "URL_X", bad, read)


def test_hosts_and_origins(monkeypatch):
    monkeypatch.setenv("HOSTS_X", "skm.example.go.id, .example.go.id")
    assert env.env_hosts("HOSTS_X", []) == ["skm.example.go.id", ".example.go.id"]
    assert "nama host saja" in refused(
        monkeypatch, "HOSTS_X", "https://skm.example.go.id", lambda: env.env_hosts("HOSTS_X", [])
    )
    monkeypatch.setenv("ORIGINS_X", "https://skm.example.go.id")
    assert env.env_origins("ORIGINS_X", []) == ["https://skm.example.go.id"]
    assert "skemanya" in refused(
        monkeypatch, "ORIGINS_X", "skm.example.go.id", lambda: env.env_origins("ORIGINS_X", [])
    )


def test_time_zone_and_address(monkeypatch):
    monkeypatch.setenv("TZ_X", "Asia/Makassar")
    assert env.env_timezone("TZ_X", "Asia/Jakarta") == "Asia/Makassar"
    assert "zona waktu IANA" in refused(monkeypatch, "TZ_X", "WITA", lambda: env.env_timezone("TZ_X", ""))
    for good in ("0.0.0.0", "::", "app-1.internal"):
        monkeypatch.setenv("HOST_X", good)
        assert env.env_address("HOST_X", "127.0.0.1") == good
    assert "alamat IP" in refused(
        monkeypatch, "HOST_X", "http://0.0.0.0", lambda: env.env_address("HOST_X", "127.0.0.1")
    )


def test_secret_from_a_file(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("KEY_X", "from-env")
    assert env.env_secret("KEY_X") == "from-env"
    secret = tmp_path / "key"
    secret.write_text("from-file\n")
    monkeypatch.setenv("KEY_X_FILE", str(secret))
    assert env.env_secret("KEY_X") == "from-file"
    secret.write_text("\n")
    assert "kosong" in refused(monkeypatch, "KEY_X_FILE", str(secret), lambda: env.env_secret("KEY_X"))
    monkeypatch.setenv("KEY_X_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="KEY_X_FILE tidak dapat dibaca"):
        env.env_secret("KEY_X")
