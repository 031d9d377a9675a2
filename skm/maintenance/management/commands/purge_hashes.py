from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.maintenance.retention import purge_hashes


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Hapus hash perangkat dan IP serta kontak responden dari jawaban yang lebih tua dari "
            "N hari (bawaan: SKM_HASH_RETENTION_DAYS); saran tetap disimpan. Jalankan tiap hari "
            "(cron/systemd timer)."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help=_("batas umur dalam hari"))

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.SKM_HASH_RETENTION_DAYS
        count = purge_hashes(days)
        self.stdout.write(
            ngettext(
                "Hash perangkat/IP dan kontak dihapus dari {count} jawaban yang lebih tua dari {days} hari.",
                "Hash perangkat/IP dan kontak dihapus dari {count} jawaban yang lebih tua dari {days} hari.",
                count,
            ).format(count=count, days=days)
        )
