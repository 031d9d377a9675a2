"""`skm worker`: the background-task worker that runs beside `skm serve` (django-tasks-db queue).

A thin name over django-tasks-db's `db_worker`, with production defaults: every queue, no code
reload. Any of db_worker's options may follow (`skm worker --batch` drains the queue and exits).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Jalankan pekerja tugas latar (antrean basis data django-tasks-db) di samping `skm serve`. "
            "--batch: kerjakan antrean sampai habis lalu berhenti."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="*", help=_("antrean yang dikerjakan (bawaan: semua)"))
        parser.add_argument("--interval", type=float, default=1.0, help=_("jeda saat antrean kosong (detik)"))
        parser.add_argument("--batch", action="store_true", help=_("kerjakan yang ada lalu berhenti"))
        parser.add_argument("--max-tasks", type=int, default=None, help=_("berhenti setelah N tugas"))

    def handle(self, *args: Any, **options: Any) -> None:
        extra: dict[str, Any] = {}
        if options["max_tasks"] is not None:
            extra["max_tasks"] = options["max_tasks"]
        call_command(
            "db_worker",
            queue_name=options["queue_name"],
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
            **extra,
        )
