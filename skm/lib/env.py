"""Typed readers for settings that come from environment variables.

Each reader refuses a malformed value with ImproperlyConfigured instead of guessing, naming the
variable, the value and what is allowed, in Indonesian then English: the settings load before
Django's translations can, and the operator reading the message may read either. `env_secret`
also reads `NAME_FILE` so secrets can come from mounted files (Docker/K8s secrets). An empty
value counts as unset (the default), except for booleans, where it means false.
"""

from __future__ import annotations

import ipaddress
import os
import re
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ya"}
_FALSE = {"0", "false", "no", "off", "tidak", ""}
# N per second/minute/hour/day ("20/h", "600/hour", "0/h" = off). skm.collection.integrity reads
# the unit's first letter only, so "600/minggu" (a week) would pass there as per minute.
_RATE = re.compile(r"\s*\d+\s*/\s*(s|sec|second|m|min|minute|h|hour|d|day)s?\s*", re.IGNORECASE)


def refuse(name: str, raw: str, allowed_id: str, allowed_en: str) -> ImproperlyConfigured:
    """The error for a bad value: the variable, the value, and what is allowed, in both languages."""
    return ImproperlyConfigured(
        f"{name}={raw!r} tidak sah: {allowed_id}. / {name}={raw!r} is not valid: {allowed_en}."
    )


def redact(url: str) -> str:
    """`url` with its password replaced by ***, for messages that end up in logs."""
    try:
        parts = urlsplit(url)
        if not parts.password:
            return url
    except ValueError:
        return "(…)"
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _raw(name: str) -> str | None:
    """The variable's value, None when it is unset or empty."""
    raw = os.environ.get(name)
    return None if raw is None or raw.strip() == "" else raw


def env_str(name: str, default: str = "") -> str:
    """Free text: anything goes; empty gives the default."""
    raw = _raw(name)
    return default if raw is None else raw.strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} harus bernilai true/false (1/0, yes/no, on/off, ya/tidak), bukan {raw!r}. / "
        f"{name} must be true/false (1/0, yes/no, on/off), not {raw!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = _raw(name)
    if raw is None:
        return default
    low_id, low_en = (f"minimal {minimum}", f"at least {minimum}") if minimum is not None else ("", "")
    high_id, high_en = (f"maksimal {maximum}", f"at most {maximum}") if maximum is not None else ("", "")
    bounds_id = " dan ".join(part for part in (low_id, high_id) if part)
    bounds_en = " and ".join(part for part in (low_en, high_en) if part)
    try:
        value = int(raw.strip())
    except ValueError:
        raise refuse(
            name,
            raw,
            "harus bilangan bulat" + (f" {bounds_id}" if bounds_id else ""),
            "must be a whole number" + (f" {bounds_en}" if bounds_en else ""),
        ) from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise refuse(name, raw, f"harus {bounds_id}", f"must be {bounds_en}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_hosts(name: str, default: list[str]) -> list[str]:
    """Host names separated by commas ("skm.example.go.id,.example.go.id"), never URLs."""
    hosts = env_list(name, default)
    for host in hosts:
        if "/" in host or " " in host:
            raise refuse(
                name,
                host,
                "tulis nama host saja, dipisah koma, tanpa http:// atau garis miring (mis. skm.banjarmasinkota.go.id)",
                "write host names only, separated by commas, without http:// or slashes",
            )
    return hosts


def env_origins(name: str, default: list[str]) -> list[str]:
    """Origins separated by commas, each with its scheme ("https://skm.example.go.id")."""
    origins = env_list(name, default)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise refuse(
                name,
                origin,
                "tulis asal lengkap dengan skemanya, dipisah koma (mis. https://skm.banjarmasinkota.go.id)",
                "write full origins with their scheme, separated by commas (e.g. https://skm.example.go.id)",
            )
    return origins


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    """One of `choices`, case-insensitive; returned as the choice is written."""
    raw = _raw(name)
    if raw is None:
        return default
    by_lower = {choice.lower(): choice for choice in choices}
    if raw.strip().lower() not in by_lower:
        listed = ", ".join(by_lower.values())
        raise refuse(name, raw, f"pilih salah satu: {listed}", f"choose one of: {listed}")
    return by_lower[raw.strip().lower()]


def env_rate(name: str, default: str) -> str:
    """A flood limit "N/s", "N/m", "N/h" or "N/d" (N answers per second/minute/hour/day; 0 = off)."""
    raw = _raw(name)
    if raw is None:
        return default
    if not _RATE.fullmatch(raw):
        raise refuse(
            name,
            raw,
            "tulis N/s, N/m, N/h atau N/d (N kiriman per detik/menit/jam/hari; 0/h = tanpa batas), mis. 20/h",
            "write N/s, N/m, N/h or N/d (N per second/minute/hour/day; 0/h = no limit), e.g. 20/h",
        )
    return raw.strip()


def env_url(name: str, default: str, *, schemes: Iterable[str], example: str) -> str:
    """A URL whose scheme is one of `schemes` (empty: the default)."""
    raw = _raw(name)
    if raw is None:
        return default
    value = raw.strip()
    allowed = tuple(schemes)
    parts = urlsplit(value)
    if parts.scheme not in allowed or not (parts.netloc or parts.path):
        listed = ", ".join(f"{s}://" for s in allowed)
        raise refuse(
            name,
            redact(value),
            f"harus alamat yang diawali {listed} (mis. {example})",
            f"must be a URL starting with {listed} (e.g. {example})",
        )
    return value


def env_public_url(name: str) -> str:
    """The public address of the site, "https://host[:port][/path]" without a trailing slash."""
    raw = _raw(name)
    if raw is None:
        return ""
    value = raw.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise refuse(
            name,
            raw,
            "harus alamat http:// atau https:// tanpa ?… atau #… (mis. https://skm.banjarmasinkota.go.id)",
            "must be an http:// or https:// address without ?… or #… (e.g. https://skm.example.go.id)",
        )
    return value


def env_timezone(name: str, default: str) -> str:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        zoneinfo.ZoneInfo(raw.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise refuse(
            name,
            raw,
            "harus nama zona waktu IANA, mis. Asia/Jakarta, Asia/Makassar, Asia/Jayapura",
            "must be an IANA time zone name, e.g. Asia/Jakarta",
        ) from None
    return raw.strip()


_HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")


def env_address(name: str, default: str) -> str:
    """An address to listen on: an IP address (127.0.0.1, 0.0.0.0, ::) or a host name."""
    raw = _raw(name)
    if raw is None:
        return default
    value = raw.strip()
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not _HOST_NAME.fullmatch(value):
            raise refuse(
                name,
                raw,
                "harus alamat IP (mis. 127.0.0.1, 0.0.0.0, 10.0.0.5) atau nama host",
                "must be an IP address (e.g. 127.0.0.1, 0.0.0.0) or a host name",
            ) from None
    return value


def env_path(name: str, default: Path) -> Path:
    """A folder or file path; a relative one is taken from the working directory, `~` expanded."""
    raw = _raw(name)
    return default if raw is None else Path(raw.strip()).expanduser()


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (which wins when set)."""
    path = _raw(f"{name}_FILE")
    if path:
        try:
            with open(path.strip(), encoding="utf-8") as handle:
                secret = handle.read().strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE tidak dapat dibaca: {exc} / {name}_FILE cannot be read: {exc}"
            ) from None
        if not secret:
            raise refuse(f"{name}_FILE", path, "berkas itu kosong", "that file is empty")
        return secret
    raw = _raw(name)
    return default if raw is None else raw
