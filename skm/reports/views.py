"""Pages of the Laporan Pelaksanaan SKM (/kelola/laporan/, issue 25 item 7).

"Buat laporan": the Admin Pemda (the whole Pemda or one Perangkat Daerah) or a PD admin (its PD)
chooses a closed period and the formats, reads and edits the drafted conclusion, and starts a
background task; the run's page shows its progress (refreshing itself while it works, no script)
and then the files with their snapshot version. Pimpinan read the list and download finished
files. The Admin Pemda sets the report's shape, texts and signer, and downloads and uploads its
DOCX template (an upload that does not render is refused, and the previous one stays).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from skm.accounts import audit
from skm.accounts.scoping import Role
from skm.periods.views import reader_required
from skm.reports import content, docx
from skm.reports.conclusion import draft
from skm.reports.forms import SettingsForm, StartForm, TemplateForm
from skm.reports.models import ReportFile, ReportRun, ReportSettings, RunStatus, Shape
from skm.reports.produce import CONTENT_TYPES, FORMATS, UNIT_FORMATS
from skm.reports.tasks import STEPS, make_report
from skm.results.places import Place, home_place


def _place(request: HttpRequest) -> Place:
    return home_place(request)


def _may_make(user: Any) -> bool:
    return bool(
        user.is_superuser or getattr(user, "role", "") in (Role.ADMIN_PEMDA, Role.ADMIN_PD, Role.ADMIN_UPP)
    )


def _is_pemda_admin(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") == Role.ADMIN_PEMDA)


def _runs(place: Place) -> Any:
    runs = ReportRun.objects.filter(pemda=place.pemda).select_related(
        "period", "perangkat_daerah", "created_by"
    )
    if place.unit is not None:  # a unit admin: the unit's own reports
        return runs.filter(unit=place.unit)
    if place.perangkat_daerah is not None:
        runs = runs.filter(perangkat_daerah=place.perangkat_daerah)
    return runs


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    place = _place(request)
    may_make = _may_make(user)
    form = None
    drafted: list[str] = []
    if may_make:
        data: Any = request.POST
        if request.method != "POST":
            data = None
            if "period" in request.GET:  # the draft of a chosen period: every format unless chosen
                data = request.GET.copy()
                if "formats" not in data:
                    data.setlist("formats", list(UNIT_FORMATS if place.unit else FORMATS))
        form = StartForm(data, pemda=place.pemda, pd=place.perangkat_daerah, unit=place.unit)
        if request.method == "POST" and form.is_valid():
            pd = place.perangkat_daerah or form.cleaned_data.get("perangkat_daerah")
            with transaction.atomic():
                run = ReportRun.objects.create(
                    pemda=place.pemda,
                    period=form.cleaned_data["period"],
                    perangkat_daerah=pd,
                    unit=place.unit,
                    formats=[f for f in ("docx", "pdf", "xlsx") if f in form.cleaned_data["formats"]],
                    conclusion=form.points(),
                    created_by=user,
                )
                audit.record(
                    "report.request",
                    run.period,
                    user=user,
                    summary=_("Laporan SKM %(period)s diminta (%(formats)s)")
                    % {"period": run.period.display_label, "formats": ", ".join(run.formats)},
                    after={"run": run.pk, "formats": run.formats, "perangkat_daerah": pd.pk if pd else None},
                )
                make_report.enqueue(run.pk)  # the queue is this database: in with the run, or not at all
            return redirect("reports:run", run_id=run.pk)
        if request.method == "GET" and form.is_bound and form.is_valid():
            try:
                drafted = _draft(place, form.cleaned_data)
            except content.ReportError as error:
                form.add_error("period", str(error))
            else:
                form = StartForm(
                    initial={**form.cleaned_data, "conclusion": "\n".join(drafted)},
                    pemda=place.pemda,
                    pd=place.perangkat_daerah,
                    unit=place.unit,
                )
    elif request.method == "POST":
        raise PermissionDenied
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/index.html",
        {
            "place": place,
            "form": form,
            "drafted": drafted,
            "runs": _runs(place)[:30],
            "may_set": _is_pemda_admin(user),
            "has_closed": content.closed_periods(place.pemda) != [],
        },
        status=status,
    )


def _draft(place: Place, chosen: dict[str, Any]) -> list[str]:
    """The conclusion drafted from the report's figures, for the form (SPEC §6 BAB IV)."""
    if place.unit is not None:
        from skm.reports import unit_docx

        return unit_docx.draft(content.unit_report(chosen["period"], place.unit))
    report = content.build(
        chosen["period"], perangkat_daerah=place.perangkat_daerah or chosen.get("perangkat_daerah")
    )
    return draft(report)


def _run_for(request: HttpRequest, run_id: int) -> ReportRun:
    """A run the user may read: of their Pemda (their PD's for a PD admin); any for a superuser."""
    user: Any = request.user
    if user.is_superuser:
        runs = ReportRun.objects.select_related("period", "perangkat_daerah", "pemda")
        return get_object_or_404(runs, pk=run_id)
    return get_object_or_404(_runs(_place(request)), pk=run_id)


@reader_required
@require_safe
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    chosen = _run_for(request, run_id)
    files = list(chosen.files.defer("data").order_by("format"))
    working = chosen.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    step = STEPS.get(chosen.step)
    if request.headers.get("Accept", "").startswith("application/json"):  # the page's progress poll
        return JsonResponse(
            {
                "working": working,
                "status": chosen.status,
                "progress": chosen.progress,
                "step": str(step[1]) if step else "",
            }
        )
    return render(
        request,
        "reports/run.html",
        {
            "run": chosen,
            "files": files,
            "working": working,
            "step": step[1] if step else "",
            "RunStatus": RunStatus,
        },
    )


@reader_required
@require_safe
def download(request: HttpRequest, run_id: int, kind: str) -> HttpResponse:
    chosen = _run_for(request, run_id)
    found = ReportFile.objects.filter(run=chosen, format=kind).first()
    if found is None or kind not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(bytes(found.data), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{found.name}"'
    return response


def _settings_for(place: Place) -> ReportSettings:
    return ReportSettings.objects.filter(pemda=place.pemda).first() or ReportSettings(pemda=place.pemda)


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not _is_pemda_admin(user):
        raise PermissionDenied
    place = _place(request)
    current = _settings_for(place)
    form = SettingsForm(instance=current)
    upload = TemplateForm(pemda=place.pemda)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "settings":
            form = SettingsForm(request.POST, instance=current)
            if form.is_valid():
                with transaction.atomic():
                    saved = form.save()
                    audit.record(
                        "report.settings",
                        saved,
                        user=user,
                        summary=_("Pengaturan laporan disimpan"),
                        after={
                            "shape": saved.shape,
                            "signer": saved.signer_name,
                            "texts": sorted(saved.texts),
                        },
                    )
                messages.success(request, _("Pengaturan laporan disimpan."))
                return redirect("reports:settings")
            status = 400
        elif action == "upload":
            upload = TemplateForm(request.POST, request.FILES, pemda=place.pemda)
            if upload.is_valid():
                with transaction.atomic():
                    current.template = upload.cleaned_data["template"]
                    current.template_name = request.FILES["template"].name[:200]
                    current.template_uploaded_at = timezone.now()
                    current.template_uploaded_by = user
                    current.save()
                    audit.record(
                        "report.template",
                        current,
                        user=user,
                        summary=_("Templat laporan diunggah: %(name)s") % {"name": current.template_name},
                    )
                messages.success(request, _("Templat diunggah dan dipakai untuk laporan berikutnya."))
                return redirect("reports:settings")
            status = 400
        elif action == "reset" and current.pk:
            with transaction.atomic():
                current.template = None
                current.template_name = ""
                current.save()
                audit.record(
                    "report.template", current, user=user, summary=_("Templat laporan kembali ke bawaan")
                )
            messages.success(request, _("Templat kembali ke bawaan."))
            return redirect("reports:settings")
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
            status = 400
    return render(
        request,
        "reports/settings.html",
        {"form": form, "upload": upload, "current": current, "place": place, "Shape": Shape},
        status=status,
    )


@reader_required
@require_safe
def template(request: HttpRequest) -> HttpResponse:
    """The Pemda's template to edit: its own, or the default of its shape (``?bentuk=`` another)."""
    if not _is_pemda_admin(request.user):
        raise PermissionDenied
    place = _place(request)
    current = _settings_for(place)
    shape = request.GET.get("bentuk", "")
    if shape in Shape.values:
        data, name = docx.default_template(shape), f"templat-laporan-{shape}.docx"
    elif current.template:
        data, name = bytes(current.template), current.template_name or "templat-laporan.docx"
    else:
        data, name = docx.default_template(current.shape), f"templat-laporan-{current.shape}.docx"
    response = HttpResponse(data, content_type=CONTENT_TYPES["docx"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
