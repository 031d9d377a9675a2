"""Backups and restores of the whole database, with the database's own tools.

SQLite: the online backup API (a consistent copy while the app keeps running).
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean` (the client tools must match
the server's major version: `postgresql-client-15` for PostgreSQL 15).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import gettext as _

SQLITE_SUFFIX = ".sqlite3"
PG_SUFFIX = ".pgdump"


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message is for the operator."""


def default_path() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = SQLITE_SUFFIX if connection.vendor == "sqlite" else PG_SUFFIX
    return Path(settings.VAR_DIR) / "backups" / f"skm-{stamp}{suffix}"


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = [
        "-h",
        str(db.get("HOST") or "localhost"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
    ]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "Program {name} tidak ditemukan: pasang klien PostgreSQL (mis. paket postgresql-client)."
            ).format(name=name)
        )
    return path


def backup(path: Path | None = None) -> Path:
    """Write a full copy of the database to `path` (created with its folder); return the path."""
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return path
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        done = subprocess.run(  # noqa: S603 - fixed argv built from settings, no shell
            [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(path), name],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(_("pg_dump gagal: {error}").format(error=done.stderr.strip()))
        return path
    raise BackupError(
        _("Basis data {vendor} belum didukung untuk cadangan.").format(vendor=connection.vendor)
    )


def restore(path: Path) -> None:
    """Replace the whole database with the copy at `path` (made by `backup`)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Berkas cadangan {path} tidak ditemukan.").format(path=path))
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        if path.suffix != SQLITE_SUFFIX:
            raise BackupError(_("Berkas ini bukan cadangan SQLite (.sqlite3)."))
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.execute("PRAGMA schema_version").fetchone()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BackupError(_("Berkas cadangan rusak: {error}").format(error=exc)) from None
        finally:
            source.close()
        return
    if connection.vendor == "postgresql":
        if path.suffix != PG_SUFFIX:
            raise BackupError(_("Berkas ini bukan cadangan PostgreSQL (.pgdump)."))
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        connections.close_all()
        done = subprocess.run(  # noqa: S603 - fixed argv built from settings, no shell
            [_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", name, str(path)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(_("pg_restore gagal: {error}").format(error=done.stderr.strip()))
        return
    raise BackupError(
        _("Basis data {vendor} belum didukung untuk pemulihan.").format(vendor=connection.vendor)
    )
