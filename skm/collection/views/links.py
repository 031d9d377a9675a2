"""A unit's survey links for its admins, under /kelola/tautan/ (issue 26): the survey address, QR
codes, posters, a sample ticket receipt, and the button snippet another system pastes into its
last screen (a queue machine), per unit and per service.

The snippet is HTML for *their* page, so its inline style is fine there; it is shown here as the
text of a read-only textarea (escaped), and this page itself stays free of inline style.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from skm.accounts.access import admin_required, get_for_user
from skm.collection import posters, tickets
from skm.organisation.models import Layanan, Unit

SAMPLE_TICKET = "20261206-A023"


@dataclass(frozen=True)
class Target:
    """One survey address (a unit's, or one of its services') and everything that leads to it."""

    unit: Unit
    service: Layanan | None
    base: str

    def _path(self, prefix: str, suffix: str) -> str:
        tail = f"/{self.service.slug}" if self.service else ""
        return f"{self.base}/{prefix}/{self.unit.slug}{tail}{suffix}"

    @property
    def name(self) -> str:
        return self.service.name if self.service else self.unit.name

    @property
    def anchor(self) -> str:
        return f"svc-{self.service.slug}" if self.service else "unit"

    @property
    def survey(self) -> str:
        return posters.survey_url(self.base, self.unit, self.service)

    @property
    def ticket_link(self) -> str:
        return self.survey + tickets.query(tickets.PLACEHOLDER)

    def qr(self, fmt: str, ticket: str | None = None) -> str:
        return self._path("qr", f".{fmt}") + (tickets.query(ticket) if ticket else "")

    @property
    def qr_svg(self) -> str:
        return self.qr("svg")

    @property
    def qr_png(self) -> str:
        return self.qr("png")

    @property
    def poster(self) -> str:
        return self._path("poster", ".pdf")

    @property
    def receipt(self) -> str:
        return self._path("struk", "/") + tickets.query(SAMPLE_TICKET)

    @property
    def snippet(self) -> str:
        context = {
            "target": self,
            "link": self.ticket_link,
            "qr": self.qr("svg", tickets.PLACEHOLDER),
            "placeholder": tickets.PLACEHOLDER,
            "sample": SAMPLE_TICKET,
        }
        return render_to_string("collection/ticket_snippet.html", context).strip()


def _units(request: HttpRequest):  # type: ignore[no-untyped-def]
    return (
        Unit.objects.for_user(request.user, "change")
        .filter(active=True)
        .select_related("pemda", "perangkat_daerah")
    )


@admin_required
@require_safe
def units(request: HttpRequest) -> HttpResponse:
    listed = _units(request).order_by(
        "pemda__name", "perangkat_daerah__position", "perangkat_daerah__name", "position", "name"
    )
    return render(request, "collection/links_units.html", {"units": listed})


@admin_required
@require_safe
def unit(request: HttpRequest, unit_slug: str) -> HttpResponse:
    found = get_for_user(_units(request), request.user, "change", slug=unit_slug)
    base = posters.public_base(request)
    services = found.services.filter(active=True).order_by("position", "name")
    targets = [Target(found, None, base), *(Target(found, s, base) for s in services)]
    context = {"unit": found, "targets": targets, "placeholder": tickets.PLACEHOLDER, "sample": SAMPLE_TICKET}
    return render(request, "collection/links_unit.html", context)
