"""The staff workspace's navigation, shared by every page under /kelola/ (one layout, one menu).

Entries name a URL and the roles that see it; an entry whose URL does not exist (yet) is left out,
so an app adds its page by adding its URL and a line here. The context processor is lazy: public
pages that never show the menu never build it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from skm.accounts.scoping import Role

READERS = (Role.ADMIN_PEMDA, Role.ADMIN_PD, Role.ADMIN_UPP, Role.PIMPINAN)
ADMINS = (Role.ADMIN_PEMDA, Role.ADMIN_PD, Role.ADMIN_UPP)


@dataclass(frozen=True)
class Entry:
    label: Any
    url_name: str
    roles: tuple[str, ...]
    # URL names (or prefixes ending in ":") that light this entry up as the current page
    current: tuple[str, ...] = ()


ENTRIES = (
    Entry(_("Beranda"), "workspace:home", READERS, ("workspace:home",)),
    Entry(
        _("Hasil"),
        "results:index",
        READERS,
        ("results:index", "results:pemda", "results:unit", "results:sheet"),
    ),
    Entry(_("Perbandingan tahunan"), "results:yoy", READERS, ("results:yoy",)),
    Entry(pgettext_lazy("menu", "Saran"), "followup:suggestions", READERS, ("followup:",)),
    Entry(_("Pelaporan"), "periods:index", READERS, ("periods:",)),
    Entry(_("Laporan SKM"), "reports:index", READERS, ("reports:",)),
    Entry(
        _("RTL"),
        "followup:rtl-index",
        READERS,
        ("followup:rtl-index", "followup:rtl", "followup:rtl-item-new", "followup:rtl-item"),
    ),
    Entry(_("Entri kertas"), "entry:units", ADMINS, ("entry:",)),
    Entry(_("Impor"), "imports:choose", ADMINS, ("imports:",)),
    Entry(_("Rekap"), "recaps:index", ADMINS, ("recaps:",)),
    Entry(_("Tablet kios"), "tablets:units", ADMINS, ("tablets:",)),
    Entry(_("Tautan & QR"), "links:units", ADMINS, ("links:",)),
    Entry(_("Target"), "workspace:targets", ADMINS, ("workspace:targets",)),
)


@dataclass(frozen=True)
class Link:
    label: Any
    url: str
    current: bool


def links(request: HttpRequest) -> list[Link]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    role = "superuser" if user.is_superuser else getattr(user, "role", "")
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    out = []
    for entry in ENTRIES:
        if role != "superuser" and role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = any(here == c or (c.endswith(":") and here.startswith(c)) for c in entry.current)
        out.append(Link(entry.label, url, current))
    return out


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``staff_links`` (lazy) and whether the admin site is offered."""
    return {"staff_links": SimpleLazyObject(lambda: links(request))}
