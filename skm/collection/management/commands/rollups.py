from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skm.collection import rollups
from skm.organisation.models import Pemda


class Command(BaseCommand):
    help = (
        "Rekap harian dan bulanan (rollup) jawaban. `skm rollups rebuild [--pemda SLUG]` menghitung ulang "
        "seluruh rekap dari jawaban mentah dalam satu transaksi (aman dijalankan kapan saja)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="hitung ulang rekap harian dan bulanan dari jawaban mentah")
        rebuild.add_argument("--pemda", help="kode singkat Pemda (bawaan: semua Pemda)")

    def handle(self, *args: Any, **options: Any) -> None:
        pemda_id = None
        if options.get("pemda"):
            try:
                pemda_id = Pemda.objects.get(slug=options["pemda"]).pk
            except Pemda.DoesNotExist:
                raise CommandError(f"Pemda '{options['pemda']}' tidak ditemukan.") from None
        rows = rollups.rebuild(pemda_id)
        self.stdout.write(f"Rekap harian dihitung ulang: {rows} baris.")
