"""Authorization matrix (issue 6): every URL and API endpoint × every role and anonymous × objects
in and out of the user's scope. A URL that is not listed here fails `test_every_url_is_in_the_matrix`
until someone decides who may use it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import skm.urls  # noqa: F401 - the URLconf adjusts the admin registry (no Group admin)
from skm.collection.models import Channel
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people, make_service, make_tablet

ROLES = ("anonymous", "no_role", "pimpinan", "unit_admin", "pd_admin", "pemda_admin", "outsider", "superuser")

# What each kind of page answers per role, for the object IN the pemda/pd/unit of `people.unit`.
PUBLIC = dict.fromkeys(ROLES, 200)
# Admin work pages scoped to a unit: login first; Pimpinan and role-less accounts refused; the
# outsider (another Pemda) cannot even learn that the unit exists.
UNIT_WORK = {
    "anonymous": 302,
    "no_role": 403,
    "pimpinan": 403,
    "unit_admin": 200,
    "pd_admin": 200,
    "pemda_admin": 200,
    "outsider": 404,
    "superuser": 200,
}
ADMIN_LIST_PAGE = {**UNIT_WORK, "outsider": 200}  # a list: everyone with a role sees their own part
# Read-only pages of one's own place (results, dashboards): every role with a place, Pimpinan too.
READ_OWN = {**UNIT_WORK, "pimpinan": 200, "outsider": 200}
# One object's read-only page (a suggestion, a unit's results and sheets): Pimpinan reads it, the outsider cannot learn it exists.
READ_ONE = {**UNIT_WORK, "pimpinan": 200}
# JSON reads of one's own place for staff (the API's results): anonymous 401, no role 404.
API_READ_OWN = {**READ_OWN, "anonymous": 401, "no_role": 404, "outsider": 404}
REDIRECT_AFTER_WORK = {**UNIT_WORK, "unit_admin": 302, "pd_admin": 302, "pemda_admin": 302, "superuser": 302}

# URL name → (method, kind). Kinds with a unit are also checked with a unit OUT of scope.
MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "set_language": ("post", "none", dict.fromkeys(ROLES, 302)),
    "workspace:home": ("get", "none", READ_OWN),
    # Signed in already: straight to the home page.
    "workspace:login": ("get", "none", {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    "workspace:logout": ("post", "none", dict.fromkeys(ROLES, 302)),
    # Each role is sent to its place: the Pemda's page, its PD's, its unit's.
    "results:index": (
        "get",
        "none",
        {
            **READ_OWN,
            **dict.fromkeys(
                ("pimpinan", "unit_admin", "pd_admin", "pemda_admin", "outsider", "superuser"), 302
            ),
        },
    ),
    # The Pemda's (or the PD admin's own PD's) results; a unit admin reads their unit's page.
    "results:pemda": ("get", "none", {**READ_OWN, "unit_admin": 403}),
    # Year over year of one's own place (Pimpinan too), on the page and as XLSX.
    "results:yoy": ("get", "none", READ_OWN),
    "results:yoy-xlsx": ("get", "none", READ_OWN),
    "results:unit": ("get", "unit", READ_ONE),
    "results:sheet": ("get", "unit", READ_ONE),
    "results:sheet-file": ("get", "unit-pdf", READ_ONE),
    # The Pemda's sheet is the user's own Pemda's (an outsider gets their own Pemda's).
    "results:pemda-sheet": ("get", "none", READ_OWN),
    "results:pemda-sheet-file": ("get", "pdf", READ_OWN),
    # Closing a period (its confirmation page) and reopening it (POST with a reason): the Admin
    # Pemda and a superuser only; another Pemda's admin cannot learn the period exists.
    "results:period-close": ("get", "closing-period", {**UNIT_WORK, "unit_admin": 403, "pd_admin": 403}),
    "results:period-reopen": (
        "post",
        "closing-period",
        {**REDIRECT_AFTER_WORK, "unit_admin": 403, "pd_admin": 403},
    ),
    "survey": ("get", "unit", PUBLIC),
    "survey-service": ("get", "service", PUBLIC),
    "survey-thanks": ("get", "unit", PUBLIC),
    "kiosk:unit": ("get", "unit", PUBLIC),
    "kiosk:service": ("get", "service", PUBLIC),
    "kiosk:worker": ("get", "none", PUBLIC),
    "qr": ("get", "unit-fmt", PUBLIC),
    "qr-service": ("get", "service-fmt", PUBLIC),
    "poster": ("get", "unit", PUBLIC),
    "poster-service": ("get", "service", PUBLIC),
    # The ticket receipt is public; without ?ref= every role gets the "invalid ticket" page.
    "receipt": ("get", "unit", dict.fromkeys(ROLES, 400)),
    "receipt-service": ("get", "service", dict.fromkeys(ROLES, 400)),
    # Publishing (skm/public): the portal and the lobby screens answer everyone alike.
    "public:index": ("get", "none", PUBLIC),
    "public:pemda": ("get", "pemda-slug", PUBLIC),
    "public:unit": ("get", "pemda-unit", PUBLIC),
    # Open data: stored files; in the matrix's world nothing was built yet, so the page says it is
    # being built (503 + Retry-After) and queues the build; a file is 404 until then.
    "public:data": ("get", "pemda-slug", dict.fromkeys(ROLES, 503)),
    "public:data-package": ("get", "pemda-slug", dict.fromkeys(ROLES, 503)),
    "public:data-file": ("get", "data-file", dict.fromkeys(ROLES, 503)),
    "public:tv": ("get", "pemda-slug", PUBLIC),
    "public:tv-data": ("get", "pemda-slug", PUBLIC),
    "public:tv-screen": ("get", "lobby-screen", PUBLIC),
    "public:tv-screen-data": ("get", "lobby-screen", PUBLIC),
    "entry:units": ("get", "none", ADMIN_LIST_PAGE),
    "entry:grid": ("get", "unit", UNIT_WORK),
    "entry:edit": ("get", "answer", UNIT_WORK),
    "entry:delete": ("get", "answer", UNIT_WORK),
    "entry:exclude": ("post", "answer", REDIRECT_AFTER_WORK),
    # An admin with a single unit goes straight to that unit's upload page.
    "imports:choose": ("get", "none", {**ADMIN_LIST_PAGE, "unit_admin": 302, "outsider": 302}),
    "imports:upload": ("get", "unit", UNIT_WORK),
    "imports:template-csv": ("get", "unit", UNIT_WORK),
    "imports:template-xlsx": ("get", "unit", UNIT_WORK),
    # A preview token belongs to the user who uploaded it: any other token (here a made-up one)
    # sends the user back to the upload form; another Pemda's unit stays a 404.
    "imports:preview": ("get", "token", REDIRECT_AFTER_WORK),
    "tablets:units": ("get", "none", ADMIN_LIST_PAGE),
    "links:units": ("get", "none", ADMIN_LIST_PAGE),
    "links:unit": ("get", "unit", UNIT_WORK),
    # IKM targets: every admin reads their own place's; only the Admin Pemda changes them (a POST
    # by other admins is 403: skm/workspace/tests/test_targets_page.py).
    "workspace:targets": ("get", "none", ADMIN_LIST_PAGE),
    # Setting a tablet up answers with the page that hands the token over (and logs out).
    "tablets:install": ("post", "unit", UNIT_WORK),
    "tablets:revoke": ("post", "tablet", REDIRECT_AFTER_WORK),
    # Suggestions: every role reads its own place's; changing is POST only (tested in skm/followup).
    "followup:suggestions": ("get", "none", READ_OWN),
    "followup:suggestion": ("get", "answer-id", READ_ONE),
    # A period's reporting: every role reads its own place's list and recap (a unit admin is sent
    # on to its unit's page); a unit's page is admin work; reminder days are the Pemda admin's.
    "periods:index": ("get", "none", READ_OWN),
    "periods:period": ("get", "period", {**READ_ONE, "unit_admin": 302}),
    "periods:unit": ("get", "period-unit", UNIT_WORK),
    "periods:policy": ("get", "none", {**ADMIN_LIST_PAGE, "unit_admin": 403, "pd_admin": 403}),
    "periods:new": ("get", "none", {**ADMIN_LIST_PAGE, "unit_admin": 403, "pd_admin": 403}),
    # The Laporan Pelaksanaan SKM: the Admin Pemda and PD admin make one (the PD admin its PD's),
    # Pimpinan read and download; a unit admin makes and reads its unit's own reports only (the
    # PD's run is not theirs: 404). Settings and the template are the Admin Pemda's. Another
    # Pemda cannot learn a run exists.
    "reports:index": ("get", "none", READ_OWN),
    "reports:settings": ("get", "none", {**ADMIN_LIST_PAGE, "unit_admin": 403, "pd_admin": 403}),
    "reports:template": ("get", "none", {**ADMIN_LIST_PAGE, "unit_admin": 403, "pd_admin": 403}),
    "reports:run": ("get", "report-run", {**READ_ONE, "unit_admin": 404}),
    "reports:download": ("get", "report-file", {**READ_ONE, "unit_admin": 404}),
    # RTL: every role reads its own place's overview and a unit's plan, items and evidence (Pimpinan
    # too); adding an item is admin work; changing is POST only (tested in skm/followup).
    "followup:rtl-index": ("get", "none", READ_OWN),
    "followup:rtl": ("get", "rtl", READ_ONE),
    "followup:rtl-item-new": ("get", "rtl", UNIT_WORK),
    "followup:rtl-item": ("get", "rtl-item", READ_ONE),
    "followup:rtl-evidence": ("get", "rtl-evidence", READ_ONE),
    # Recaps entered or uploaded by the unit (issue 24 item 4); the history import is the Admin
    # Pemda's (the outsider imports into their own Pemda).
    "recaps:index": ("get", "none", ADMIN_LIST_PAGE),
    "recaps:enter": ("get", "unit", UNIT_WORK),
    "recaps:upload": ("get", "unit", UNIT_WORK),
    "recaps:history": ("get", "none", {**UNIT_WORK, "unit_admin": 403, "pd_admin": 403, "outsider": 200}),
    "api:api-root": ("get", "none", PUBLIC),
    "api:openapi-json": ("get", "none", PUBLIC),
    "api:openapi-view": ("get", "none", PUBLIC),
    "api:list_units": ("get", "none", PUBLIC),
    "api:get_unit": ("get", "slug", PUBLIC),
    "api:get_instrument": ("get", "slug", PUBLIC),
    "api:post_answer": ("post-json", "none", dict.fromkeys(ROLES, 201)),
    # Results for staff (session or API token): JSON, so 401 rather than a redirect to the login
    # page; out of scope is 404 as for pages (a role-less account has no scope at all). A Pemda's
    # whole results only for those who see the whole Pemda: an Admin PD/UPP gets 403 (see
    # skm/api/results.py), another Pemda's admin 404.
    "api:results_unit": ("get", "unit-results", API_READ_OWN),
    "api:results_pemda": (
        "get",
        "pemda-results",
        {**API_READ_OWN, "unit_admin": 403, "pd_admin": 403, "outsider": 404},
    ),
}
# Names of URLs that are not views of ours to authorize (patterns without a name, the admin's own
# URLs — the admin is covered model by model below).
UNNAMED_OK = {"api/v1/"}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}".strip(":") if p.name else None
            yield name, prefix + str(p.pattern)


def test_every_url_is_in_the_matrix():
    missing = []
    for name, route in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or (name and name.startswith("admin:")):
            continue
        if name is None:
            assert route in UNNAMED_OK, f"unnamed URL {route}: name it and add it to the matrix"
            continue
        if name not in MATRIX:
            missing.append(f"{name} ({route})")
    assert not missing, "URLs without a rule in the authorization matrix: " + ", ".join(missing)


def _users(people):
    return {
        "anonymous": None,
        "no_role": people.no_role,
        "pimpinan": people.pimpinan,
        "unit_admin": people.unit_admin,
        "pd_admin": people.pd_admin,
        "pemda_admin": people.pemda_admin,
        "outsider": people.outsider,
        "superuser": people.superuser,
    }


def _closing_period_of(pemda):
    from skm.organisation.models import Period

    found, _created = Period.objects.get_or_create(
        pemda=pemda, kind="tahunan", year=2025, defaults={"start": "2025-01-01", "end": "2025-12-31"}
    )
    return found


def _url(name, kind, unit, service, answer, tablet=None, item=None):
    rtl_kwargs = {"unit_slug": unit.slug, "period_id": item.rtl.period_id} if item is not None else {}
    kwargs = {
        "none": {},
        "unit": {"unit_slug": unit.slug},
        "service": {"unit_slug": unit.slug, "service_slug": service.slug},
        "unit-fmt": {"unit_slug": unit.slug, "fmt": "svg"},
        "unit-pdf": {"unit_slug": unit.slug, "fmt": "pdf"},
        "pdf": {"fmt": "pdf"},
        "service-fmt": {"unit_slug": unit.slug, "service_slug": service.slug, "fmt": "svg"},
        "answer": {"unit_slug": unit.slug, "answer_id": answer.pk},
        "answer-id": {"answer_id": answer.pk},
        "token": {"unit_slug": unit.slug, "token": "a" * 32},
        "slug": {"slug": unit.slug},
        "tablet": {"unit_slug": unit.slug, "device_id": getattr(tablet, "pk", 0)},
        "unit-results": {"slug": unit.slug},
        "pemda-results": {"slug": unit.pemda.slug},
        "period": {"period_id": _period_of(unit).pk},
        "period-unit": {"period_id": _period_of(unit).pk, "unit_slug": unit.slug},
        "rtl": rtl_kwargs,
        "rtl-item": {**rtl_kwargs, "item_id": getattr(item, "pk", 0)},
        "rtl-evidence": {**rtl_kwargs, "item_id": getattr(item, "pk", 0)},
        "report-run": {"run_id": _report_run_of(unit).pk} if kind == "report-run" else {},
        "report-file": {"run_id": _report_run_of(unit).pk, "kind": "docx"} if kind == "report-file" else {},
        "pemda-slug": {"pemda_slug": unit.pemda.slug},
        "data-file": {"pemda_slug": unit.pemda.slug, "name": "hasil-unit", "ext": "csv"},
        "pemda-unit": {"pemda_slug": unit.pemda.slug, "unit_slug": unit.slug},
        "lobby-screen": {"pemda_slug": unit.pemda.slug, "screen_slug": _lobby_screen_of(unit).slug}
        if kind == "lobby-screen"
        else {},
        "closing-period": {"period_id": _closing_period_of(unit.pemda).pk}
        if kind == "closing-period"
        else {},
    }[kind]
    url = reverse(name, kwargs=kwargs)
    return url + "?from=2026-01-01&to=2026-12-31" if kind.endswith("-results") else url


def _lobby_screen_of(unit):
    from skm.public.models import LobbyScreen

    found, created = LobbyScreen.objects.get_or_create(pemda=unit.pemda, slug="mpp", defaults={"name": "MPP"})
    if created:
        found.units.add(unit)
    return found


def _report_run_of(unit):
    """A finished report run of the unit's Perangkat Daerah, with a DOCX file."""
    from skm.reports.models import ReportFile, ReportRun, RunStatus

    found = ReportRun.objects.filter(pemda=unit.pemda).first()
    if found is None:
        found = ReportRun.objects.create(
            pemda=unit.pemda,
            period=_closing_period_of(unit.pemda),
            perangkat_daerah=unit.perangkat_daerah,
            formats=["docx"],
            status=RunStatus.DONE,
        )
        ReportFile.objects.create(run=found, format="docx", name="laporan.docx", data=b"PK", size=2)
    return found


def _period_of(unit):
    from skm.organisation.models import Period

    period, _ = Period.objects.get_or_create(
        pemda=unit.pemda,
        kind="tahunan",
        year=2026,
        defaults={"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)},
    )
    return period


def _request(client, method, url, unit):
    if method == "get":
        return client.get(url)
    if method == "post-json":
        body = {
            "unit": unit.slug,
            "answers": dict.fromkeys(ELEMENTS, 3),
            "idempotency_key": uuid.uuid4().hex,
        }
        return client.post(url, json.dumps(body), content_type="application/json")
    return client.post(url, {"language": "id", "next": "/", "reason": "uji"})


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def _rtl_items(people):
    """For each of the three units: an RTL of a closed period with one item and its evidence file."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from skm.followup import evidence, rtl
    from skm.organisation.models import Period

    items = {}
    for unit in (people.unit, people.sibling_unit, people.other_pemda_unit):
        period, _ = Period.objects.get_or_create(
            pemda=unit.pemda,
            kind="tw1",
            year=2026,
            defaults={"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31), "closed_at": timezone.now()},
        )
        plan = rtl.create(unit, period, chosen=["waktu"], reason="uji", user=None)
        goal = rtl.Plan("waktu", "Tambah loket", "Kepala TU", dt.date(2026, 6, 30))
        made = rtl.add_item(plan, goal, user=None)
        upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n")
        kind = evidence.check(upload)
        rtl.change_item(made, goal, rtl.Realisation(50), upload=upload, kind=kind, user=None)
        items[unit.pk] = made
    return items


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, name, settings, tmp_path):
    settings.SKM_RATE_DEVICE = settings.SKM_RATE_IP = "0/h"
    settings.MEDIA_ROOT = tmp_path
    people = make_people()
    method, kind, expected = MATRIX[name]
    services = {u.pk: make_service(u) for u in (people.unit, people.sibling_unit, people.other_pemda_unit)}
    answers = {
        u.pk: make_answer(u, channel=Channel.MANUAL, suggestion="Antrean terlalu lama.")
        for u in (people.unit, people.sibling_unit, people.other_pemda_unit)
    }
    tablets = {u.pk: make_tablet(u)[0] for u in (people.unit, people.sibling_unit, people.other_pemda_unit)}
    items = _rtl_items(people) if kind.startswith("rtl") else {}
    users = _users(people)
    got = {}
    for role, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        # Re-create what a POST may have changed (an exclusion) so every role starts alike.
        answer = answers[people.unit.pk]
        answer.refresh_from_db()
        url = _url(
            name,
            kind,
            people.unit,
            services[people.unit.pk],
            answer,
            tablets[people.unit.pk],
            items.get(people.unit.pk),
        )
        got[role] = _request(client, method, url, people.unit).status_code
    assert got == expected, name
    if kind in (
        "unit",
        "service",
        "answer",
        "answer-id",
        "unit-pdf",
        "token",
        "tablet",
        "unit-results",
        "period-unit",
        "rtl",
        "rtl-item",
        "rtl-evidence",
    ) and expected in (
        UNIT_WORK,
        READ_ONE,
        REDIRECT_AFTER_WORK,
        API_READ_OWN,
    ):
        # Out of scope: the unit admin on a sibling unit, the Pemda admin on another Pemda's unit.
        for role, unit in (("unit_admin", people.sibling_unit), ("pemda_admin", people.other_pemda_unit)):
            client.logout()
            client.force_login(users[role])
            url = _url(
                name, kind, unit, services[unit.pk], answers[unit.pk], tablets[unit.pk], items.get(unit.pk)
            )
            assert _request(client, method, url, unit).status_code == 404, (name, role)


# --- The admin, model by model ----------------------------------------------------------------


def _admin_objects(people):
    """For each registered model: an object in the Pemda admin's scope and one outside it."""
    from skm.accounts.models import ApiToken, AuditEvent
    from skm.collection import changes
    from skm.instrument.models import Instrument, InstrumentVersion, ProfileField, Question
    from skm.organisation.models import Layanan, Pemda, PerangkatDaerah, Period, Unit, UnitType
    from skm.public.models import LobbyScreen, OpenData

    mine, theirs = people.pemda, people.other_pemda
    a_mine, a_theirs = make_answer(people.unit), make_answer(people.other_pemda_unit)
    changes.set_excluded(a_mine, True, user=None, reason="uji")
    changes.set_excluded(a_theirs, True, user=None, reason="uji")
    from skm.accounts.models import User
    from skm.collection.models import Answer, KioskDevice

    def version(p):
        return InstrumentVersion.objects.get(instrument__pemda=p)

    return {
        Pemda: (mine, theirs),
        UnitType: (mine.unit_types.first(), theirs.unit_types.first()),
        PerangkatDaerah: (people.dinas, people.other_pemda_unit.perangkat_daerah),
        Unit: (people.unit, people.other_pemda_unit),
        Layanan: (make_service(people.unit), make_service(people.other_pemda_unit)),
        Period: _periods(mine, theirs),
        Instrument: (Instrument.objects.get(pemda=mine), Instrument.objects.get(pemda=theirs)),
        InstrumentVersion: (version(mine), version(theirs)),
        Question: (version(mine).questions.first(), version(theirs).questions.first()),
        ProfileField: (version(mine).profile_fields.first(), version(theirs).profile_fields.first()),
        Answer: (a_mine, a_theirs),
        AuditEvent: (AuditEvent.objects.get(pemda=mine), AuditEvent.objects.get(pemda=theirs)),
        User: (people.pd_admin, people.outsider),
        ApiToken: (ApiToken.issue(people.pd_admin, "dasbor")[0], ApiToken.issue(people.outsider, "lain")[0]),
        OpenData: (OpenData.objects.create(pemda=mine), OpenData.objects.create(pemda=theirs)),
        LobbyScreen: _lobby_screens(people),
        # Last: setting tablets up writes audit events of their own (AuditEvent above is .get()).
        KioskDevice: (make_tablet(people.unit)[0], make_tablet(people.other_pemda_unit)[0]),
        # After AuditEvent too: following up a suggestion and planning an RTL are audited.
        **_followup_objects(people, a_mine, a_theirs),
    }


def _lobby_screens(people):
    return (_lobby_screen_of(people.unit), _lobby_screen_of(people.other_pemda_unit))


def _followup_objects(people, a_mine, a_theirs):
    from skm.collection.models import Answer
    from skm.followup.models import Rtl, RtlItem, SuggestionFollowUp
    from skm.followup.replies import follow_up

    for answer in (a_mine, a_theirs):
        Answer.objects.filter(pk=answer.pk).update(suggestion="Antrean lama.")
        answer.refresh_from_db()
        follow_up(answer, status="selesai", reply="Terima kasih.", published=False, user=None)
    items = _rtl_items(people)
    mine, theirs = items[people.unit.pk], items[people.other_pemda_unit.pk]
    return {
        SuggestionFollowUp: (a_mine.followup, a_theirs.followup),
        Rtl: (mine.rtl, theirs.rtl),
        RtlItem: (mine, theirs),
    }


def _periods(mine, theirs):
    import datetime as dt

    from skm.organisation.models import Period

    return tuple(
        Period.objects.create(
            pemda=p, kind="tahunan", year=2026, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
        )
        for p in (mine, theirs)
    )


# Admins of installed libraries that use Django's model permissions, which no role of ours is
# granted: only the platform superuser sees them (checked below).
ADMIN_EXEMPT = {
    "django_tasks_database.dbtaskresult",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


@pytest.mark.django_db
def test_every_admin_model_is_covered_and_scoped(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people = make_people()
    objects = _admin_objects(people)
    registered = {m._meta.label_lower for m in admin.site._registry}
    covered = {m._meta.label_lower for m in objects}
    assert registered - covered - ADMIN_EXEMPT == set(), "admin models missing from the matrix"
    for label in ADMIN_EXEMPT & registered:
        app, model = label.split(".")
        url = reverse(f"admin:{app}_{model}_changelist")
        for role in ("pemda_admin", "pd_admin", "unit_admin"):
            client.force_login(_users(people)[role])
            assert client.get(url).status_code == 403, (label, role)
    for model, (inside, outside) in objects.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        change = lambda obj: reverse("admin:{}_{}_change".format(*info), args=[obj.pk])  # noqa: E731
        for role, user in _users(people).items():
            client.logout()
            if user is not None:
                client.force_login(user)
            response = client.get(changelist)
            hidden = info[1] in ("question", "profilefield")  # reached from their version's page
            if role in ("anonymous", "no_role", "pimpinan"):
                assert response.status_code == 302, (model, role)  # to the login page
                assert client.get(change(inside)).status_code == 302, (model, role)
                continue
            if role == "superuser":
                assert client.get(change(inside)).status_code == 200, (model, role)
                assert client.get(change(outside)).status_code == 200, (model, role)
                continue
            if not hidden:
                assert response.status_code == 200, (model, role)
            body = response.content.decode() if response.status_code == 200 else ""
            if role == "pemda_admin":
                assert client.get(change(inside)).status_code == 200, (model, role)
                # Out of scope: the admin says it does not exist (redirect with a message).
                assert client.get(change(outside)).status_code == 302, (model, role)
                if not hidden and str(outside) != str(inside):
                    assert f"/{outside.pk}/change/" not in body, (model, role)
            if role == "outsider":
                assert client.get(change(inside)).status_code == 302, (model, role)
                assert client.get(change(outside)).status_code == 200, (model, role)


def test_matrix_rules_are_well_formed():
    for name, (method, kind, expected) in MATRIX.items():
        assert method in ("get", "post", "post-json"), name
        assert set(expected) == set(ROLES), name
        assert re.match(r"^[a-z_:-]+$", name), name
