"""The background task that makes a report ("Buat laporan" starts it; `skm worker` runs it).

Progress is written to the ReportRun row as each step starts, outside any transaction, so the
page that polls it sees the step at once; the files are saved with the run when all are made. A
failure is kept on the run with its message (in Indonesian), and nothing half-made is offered.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from skm.reports import docx, pdf, produce, signing
from skm.reports.content import ReportError
from skm.reports.models import ReportFile, ReportRun, RunStatus

# Each step's code (kept on the run), where it starts in percent of the whole, and its name.
STEPS = {
    "content": (5, gettext_lazy("Membaca angka dari snapshot")),
    "docx": (15, gettext_lazy("Menyusun DOCX")),
    "pdf": (45, gettext_lazy("Mengubah ke PDF")),
    "xlsx": (85, gettext_lazy("Menyusun XLSX")),
}


def _mark(run_id: int, **fields: object) -> None:
    ReportRun.objects.filter(pk=run_id).update(**fields)


def run_report(run_id: int) -> None:
    """Make the files of run `run_id` (the task's body; tests call it through the worker)."""
    run = ReportRun.objects.select_related("period", "perangkat_daerah", "unit", "created_by").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return  # already made (a retried task)
    _mark(run_id, status=RunStatus.RUNNING, progress=STEPS["content"][0], step="content")

    def progress(kind: str) -> None:
        _mark(run_id, progress=STEPS.get(kind, (50, ""))[0], step=kind)

    try:
        if run.unit is not None:
            made = produce.produce_unit(
                run.period,
                run.unit,
                run.formats,
                version=run.version,
                conclusion=run.conclusion,
                user=run.created_by,
                progress=progress,
            )
        else:
            made = produce.produce(
                run.period,
                run.formats,
                perangkat_daerah=run.perangkat_daerah,
                version=run.version,
                conclusion=run.conclusion,
                user=run.created_by,
                progress=progress,
            )
    except (ReportError, docx.TemplateProblem, pdf.ConversionError, signing.SigningError) as error:
        _mark(run_id, status=RunStatus.FAILED, error=str(error), finished_at=timezone.now(), step="")
        return
    except Exception as error:
        _mark(
            run_id,
            status=RunStatus.FAILED,
            error=_("Kesalahan tak terduga: %(error)s") % {"error": error.__class__.__name__},
            finished_at=timezone.now(),
            step="",
        )
        raise
    with transaction.atomic():
        for kind, (name, data) in made.files.items():
            ReportFile.objects.create(run_id=run_id, format=kind, name=name, data=data, size=len(data))
        _mark(
            run_id,
            status=RunStatus.DONE,
            progress=100,
            step="",
            version=made.report.snapshot.version,
            signed=made.signed,
            finished_at=timezone.now(),
        )


@task()
def make_report(run_id: int) -> None:
    run_report(run_id)
