from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from skm.collection import posters
from skm.organisation.models import Pemda, Unit


class Command(BaseCommand):
    help = (
        "Cetak poster QR A4 (PDF) untuk setiap UPP aktif sebuah Pemda: "
        "`skm posters --pemda SLUG --out FOLDER [--services]` menulis poster-<kode>.pdf per unit "
        "(dan per jenis layanan dengan --services). Alamat publik diambil dari SKM_PUBLIC_URL "
        "atau --url."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pemda", required=True, help="kode singkat Pemda, mis. kota-banjarmasin")
        parser.add_argument("--out", required=True, type=Path, help="folder tujuan (dibuat bila belum ada)")
        parser.add_argument(
            "--services", action="store_true", help="juga satu poster untuk setiap jenis layanan aktif"
        )
        parser.add_argument("--unit", help="hanya UPP dengan kode tautan ini")
        parser.add_argument(
            "--url", help="alamat publik, mis. https://skm.banjarmasinkota.go.id (bawaan: SKM_PUBLIC_URL)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base = (options.get("url") or getattr(settings, "SKM_PUBLIC_URL", "") or "").rstrip("/")
        if not base.startswith(("https://", "http://")):
            raise CommandError(
                "Alamat publik belum diketahui: isi SKM_PUBLIC_URL atau beri --url https://… "
                "(alamat yang tercetak di poster dan kode QR)."
            )
        try:
            pemda = Pemda.objects.get(slug=options["pemda"])
        except Pemda.DoesNotExist:
            raise CommandError(f"Pemda '{options['pemda']}' tidak ditemukan.") from None
        units = Unit.objects.filter(pemda=pemda, active=True).select_related("pemda", "perangkat_daerah")
        if options.get("unit"):
            units = units.filter(slug=options["unit"])
            if not units:
                raise CommandError(f"UPP aktif '{options['unit']}' tidak ditemukan di {pemda}.")
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        started, written = time.perf_counter(), 0
        for unit in units.prefetch_related("services"):
            services = [None]
            if options["services"]:
                services += [s for s in unit.services.all() if s.active]
            for service in services:
                poster = posters.Poster.of(unit, service, base)
                (out / poster.filename).write_bytes(posters.render_pdf(poster))
                written += 1
        seconds = time.perf_counter() - started
        self.stdout.write(f"{written} poster ditulis ke {out} ({seconds:.1f} detik).")
