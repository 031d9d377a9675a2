from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skm.maintenance.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Cadangkan seluruh basis data (SQLite: salinan daring; PostgreSQL: pg_dump). "
        "Bawaan: var/backups/skm-<waktu>.sqlite3 atau .pgdump. Aman dijalankan saat aplikasi berjalan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="berkas tujuan")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Cadangan tersimpan: {path} ({path.stat().st_size:,} bita)".replace(",", "."))
