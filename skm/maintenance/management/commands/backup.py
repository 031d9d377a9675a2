from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skm.maintenance.backup import BackupError, backup
from skm.scoring.rounding import format_id


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Cadangkan seluruh basis data (SQLite: salinan daring; PostgreSQL: pg_dump). "
            "Bawaan: var/backups/skm-<waktu>.sqlite3 atau .pgdump. Aman dijalankan saat aplikasi berjalan."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help=_("berkas tujuan"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        size = format_id(path.stat().st_size, 0)
        self.stdout.write(_("Cadangan tersimpan: {path} ({size} bita)").format(path=path, size=size))
