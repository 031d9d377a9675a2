"""`skm serve`: the production server — granian (WSGI) with whitenoise serving static files.

Why granian: on the 2-core reference box it served the submission endpoint faster than gunicorn
(bench/serve_load.py measures both), keeps connections alive (gunicorn's sync workers close
each one) and restarts a worker that dies. Workers, threads, address and port come from the
environment (SKM_WORKERS, SKM_THREADS, SKM_HOST, SKM_PORT, SKM_BACKLOG) or the options below.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def granian_argv(*, host: str, port: int, workers: int, threads: int, backlog: int) -> list[str]:
    """The granian command line `skm serve` runs (the same interpreter, so the same venv)."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--backlog",
        str(backlog),
        "--respawn-failed-workers",
        "--no-ws",
        "--log-level",
        "warning",
        "skm.wsgi:application",
    ]


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Jalankan server produksi (granian, WSGI; berkas statis lewat whitenoise). "
            "Pengaturan dari SKM_HOST, SKM_PORT, SKM_WORKERS, SKM_THREADS, SKM_BACKLOG."
        )

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.SKM_HOST, help=_("alamat (bawaan SKM_HOST)"))
        parser.add_argument("--port", type=int, default=settings.SKM_PORT, help=_("port (bawaan SKM_PORT)"))
        parser.add_argument(
            "--workers", type=int, default=settings.SKM_WORKERS, help=_("proses pekerja (bawaan SKM_WORKERS)")
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.SKM_THREADS,
            help=_("utas per pekerja (bawaan SKM_THREADS)"),
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help=_("jangan kumpulkan berkas statis dulu (sudah dilakukan saat pemasangan)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stderr.write(
                ngettext(
                    "Basis data belum mutakhir ({n} migrasi tertunda): jalankan `skm migrate` dulu.",
                    "Basis data belum mutakhir ({n} migrasi tertunda): jalankan `skm migrate` dulu.",
                    len(pending),
                ).format(n=len(pending))
            )
            sys.exit(2)
        connection.close()
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = granian_argv(
            host=options["host"],
            port=options["port"],
            workers=max(1, options["workers"]),
            threads=max(1, options["threads"]),
            backlog=settings.SKM_BACKLOG,
        )
        self.stdout.write(
            _("SKM melayani http://{host}:{port}/ ({workers} pekerja × {threads} utas, granian)").format(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                threads=options["threads"],
            )
        )
        self.stdout.flush()
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, fixed arguments
