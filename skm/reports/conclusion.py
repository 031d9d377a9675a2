"""BAB IV Kesimpulan drafted from the report's own figures (issue 25 item 4, SPEC §6).

Each point reads a figure the tables print — the Pemda IKM and its category with the method, the
units that reported and those that did not with their reasons, the lowest unsur, the unsur most
often chosen as priority, the mean realisation of the previous RTL, the change from last year — so
the draft cannot contradict them. Staff edit the draft before export; the figures stay.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from django.utils.translation import gettext as _

from skm.lib.numbers import number
from skm.periods.models import Status
from skm.reports.content import Report
from skm.scoring.rounding import round_half_up

NAMED_AT_MOST = 10  # units not reported named one by one in the conclusion; more are counted


def _kinerja(report: Report) -> str:
    band = report.total.result.band
    return f"{_(band.kinerja)} ({band.mutu})" if band else _("tanpa kategori")


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s dan %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def previous_year(report: Report) -> tuple[str, Fraction] | None:
    """Last year's IKM from the trend (the same method), if the Pemda has figures for it."""
    wanted = str(report.snapshot.end.year - 1)
    for label, value in report.trend:
        if label.split(" ", 1)[0] == wanted and value is not None:
            return label, value
    return None


def draft(report: Report) -> list[str]:
    """The numbered points of BAB IV, in Indonesian, from the report's figures."""
    places = report.places
    total = report.total.result
    points: list[str] = []
    if total.ikm is None:
        points.append(
            _("Belum ada jawaban yang dihitung untuk %(period)s; IKM %(pemda)s belum dapat ditetapkan.")
            % {"period": report.period.display_label, "pemda": report.pemda.name}
        )
    else:
        points.append(
            _(
                "Pelaksanaan pelayanan publik di lingkup %(pemda)s pada %(period)s secara umum "
                "mencerminkan tingkat kualitas %(kinerja)s dengan nilai IKM %(ikm)s, dihitung sebagai "
                "%(method)s atas %(parts)s dengan %(n)s responden."
            )
            % {
                "pemda": report.pemda.name,
                "period": report.period.display_label,
                "kinerja": _kinerja(report),
                "ikm": number(total.ikm, places),
                "method": _(report.method.label),
                "parts": total.level.parts(total.parts, _),
                "n": number(total.n, 0),
            }
        )
        before = previous_year(report)
        if before is not None:
            # Compared as printed: the difference of the two rounded figures.
            now_shown = round_half_up(total.ikm, places)
            then_shown = round_half_up(before[1], places)
            change = now_shown - then_shown
            word = _("naik") if change > 0 else _("turun") if change < 0 else _("tetap")
            points.append(
                _("Dibandingkan tahun %(year)s (IKM %(before)s), IKM %(word)s %(change)s poin.")
                % {
                    "year": before[0],
                    "before": number(before[1], places),
                    "word": word,
                    "change": number(abs(change), places),
                }
            )
    states = report.compliance
    missing = report.not_reported
    text = _("Sebanyak %(reported)s dari %(expected)s unit telah menyampaikan laporan SKM.") % {
        "reported": number(states.reported, 0),
        "expected": number(states.expected, 0),
    }
    if missing and len(missing) <= NAMED_AT_MOST:
        lines = []
        for item in missing:
            why = item.reason.strip() or _(Status(item.status).label).lower()
            lines.append(f"{item.unit.name} ({why})")
        text += " " + _("Belum melapor: %(units)s.") % {"units": "; ".join(lines)}
    elif missing:
        # Too many to name in a sentence: how many per status and reason (the table lists them).
        reasons = Counter(item.reason.strip() or _(Status(item.status).label).lower() for item in missing)
        listed = "; ".join(f"{why} ({number(count, 0)} unit)" for why, count in reasons.most_common())
        text += " " + _(
            "%(count)s unit belum melapor (daftar pada tabel unit yang belum melapor): %(reasons)s."
        ) % {
            "count": number(len(missing), 0),
            "reasons": listed,
        }
    points.append(text)
    lowest = report.lowest_unsur
    if lowest is not None:
        points.append(
            _("Unsur terendah pada tingkat %(pemda)s adalah %(unsur)s dengan nilai %(value)s (%(mutu)s).")
            % {
                "pemda": report.pemda.name,
                "unsur": report.labels[lowest.element],
                "value": number(lowest.converted, places),
                "mutu": lowest.band.mutu,
            }
        )
    if report.priority_counts:
        top = report.priority_counts[0][1]
        most = [report.labels[e] for e, count in report.priority_counts if count == top]
        points.append(
            _("Unsur yang paling banyak menjadi prioritas perbaikan unit: %(unsur)s (%(count)s unit).")
            % {"unsur": _names(most), "count": number(top, 0)}
        )
    if report.total_realisation is not None:
        points.append(
            _(
                "Rata-rata realisasi rencana tindak lanjut periode sebelumnya sebesar %(percent)s %% "
                "dari %(units)s unit yang memiliki rencana."
            )
            % {
                "percent": number(report.total_realisation, places),
                "units": number(report.realisation_units, 0),
            }
        )
    else:
        points.append(_("Belum ada realisasi rencana tindak lanjut periode sebelumnya yang tercatat."))
    return points
