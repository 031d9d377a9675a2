"""The `skm` operator command: manage.py under a name a Bagian Organisasi admin can remember.

`skm import-units FILE` and `skm import_units FILE` are the same command: hyphens in the
sub-command name are accepted because they read better in documentation.

Before any sub-command runs, the settings are loaded — a bad environment variable stops here
with its message and no traceback — and the embedded SQLite database's folder (var/) is made,
so `skm migrate` on a fresh clone can create the database. Importing the settings makes nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def make_database_folder(database: dict[str, Any]) -> None:
    """SQLite creates its file on the first connection, but not the folder the file goes in."""
    name = str(database.get("NAME") or "")
    if database.get("ENGINE") == "django.db.backends.sqlite3" and name and name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "skm"
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        database = settings.DATABASES["default"]
    except ImproperlyConfigured as exc:
        sys.exit(f"skm: {exc}")
    make_database_folder(database)
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
