"""The "Metode SKM" of a unit over a period (SPEC §6 report column, §7): online, manual or hybrid,
following from the channels its answers came through.

Paper questionnaires typed in by staff (Channel.MANUAL) are the manual method; every other channel
is electronic: the link/QR form, the kiosk, the API, and an import. An import counts as online
because what is imported is nearly always a Google Forms (or other online form) export; paper
questionnaires are typed in through paper entry, not imported. A unit-period with both kinds is
hybrid; one without answers has no method.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

from skm.collection.models import Channel

PAPER = frozenset({Channel.MANUAL.value})
ELECTRONIC = frozenset({Channel.ONLINE.value, Channel.KIOSK.value, Channel.API.value, Channel.IMPORT.value})


class Metode(models.TextChoices):
    ONLINE = "online", _("Online")
    MANUAL = "manual", _("Manual")
    HYBRID = "hybrid", _("Hybrid (online dan manual)")


def metode_skm(channels: Mapping[str, int]) -> Metode | None:
    """Online, manual or hybrid from the answers counted per channel code; None without answers."""
    paper = sum(n for code, n in channels.items() if code in PAPER)
    electronic = sum(n for code, n in channels.items() if code in ELECTRONIC)
    if paper and electronic:
        return Metode.HYBRID
    if paper:
        return Metode.MANUAL
    if electronic:
        return Metode.ONLINE
    return None
