"""IKM targets (issue 24 item 8): which one applies, validation, the bulk read, audited writes, and
the migration that moved Pemda.ikm_target into them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from skm.accounts.models import AuditEvent
from skm.organisation.models import IkmTarget
from skm.organisation.targets import Targets, is_met, set_targets, target_for, targets_for_units
from skm.testing import make_pd, make_pemda, make_people, make_unit

pytestmark = pytest.mark.django_db
D = Decimal


def target(pemda, unit, year, value):
    return IkmTarget.objects.create(pemda=pemda, unit=unit, year=year, value=D(value))


def test_precedence_unit_year_then_unit_every_year_and_never_the_pemdas():
    people = make_people()
    pemda, unit, sibling = people.pemda, people.unit, people.sibling_unit
    assert target_for(pemda, None, 2026) is None and target_for(pemda, unit, 2026) is None
    target(pemda, None, None, "80.00")
    assert target_for(pemda, None, 2026) == D("80.00")  # the Pemda's every-year target
    assert target_for(pemda, unit, 2026) is None  # ... is not the unit's
    target(pemda, None, 2026, "82.50")
    assert target_for(pemda, None, 2026) == D("82.50") and target_for(pemda, None, 2025) == D("80.00")
    target(pemda, unit, None, "85.00")
    assert target_for(pemda, unit, 2026) == D("85.00") == target_for(pemda, unit, 2030)
    target(pemda, unit, 2026, "88.00")
    assert target_for(pemda, unit, 2026) == D("88.00") and target_for(pemda, unit, 2025) == D("85.00")
    assert target_for(pemda, sibling, 2026) is None
    # Another Pemda's targets never apply here, nor these there.
    target(people.other_pemda, None, None, "99.00")
    assert target_for(pemda, None, 2024) == D("80.00")
    assert target_for(people.other_pemda, people.other_pemda_unit, 2026) is None
    # The ids work as well as the objects.
    assert target_for(pemda.pk, unit.pk, 2026) == D("88.00")


def test_the_bulk_read_is_one_query_for_any_number_of_units(django_assert_num_queries):
    pemda = make_pemda()
    pd = make_pd(pemda)
    units = [make_unit(pd) for _ in range(30)]
    for i, unit in enumerate(units[:20]):
        target(pemda, unit, 2026 if i % 2 else None, f"{70 + i}.00")
    target(pemda, units[1], None, "60.00")  # a year's target wins over the every-year one
    with django_assert_num_queries(1):
        found = targets_for_units(pemda, units, 2026)
    assert found[units[0].pk] == D("70.00") and found[units[1].pk] == D("71.00")
    assert found[units[25].pk] is None and len(found) == 30
    with django_assert_num_queries(1):
        both = Targets.load(pemda, (2025, 2026))
    assert both.for_unit(units[1], 2025) == D("60.00") and both.for_unit(units[1], 2026) == D("71.00")
    assert both.for_pemda(2026) is None


@pytest.mark.parametrize(
    ("ikm", "value", "places", "met"),
    [
        (Fraction(84995, 1000), "85.00", 2, True),  # shown as 85,00: met
        (Fraction(84995, 1000), "85.00", 3, False),  # shown as 84,995: not
        (Fraction(8499, 100), "85.00", 2, False),
        (Fraction(90), "85.00", 2, True),
        (None, "85.00", 2, None),
        (Fraction(90), None, 2, None),
    ],
)
def test_met_compares_the_ikm_as_shown(ikm, value, places, met):
    assert is_met(ikm, None if value is None else D(value), places) is met


def messages_of(row) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    return [m for ms in caught.value.message_dict.values() for m in ms]


def test_validation_speaks_indonesian():
    people = make_people()
    pemda, unit = people.pemda, people.unit
    assert messages_of(IkmTarget(pemda=pemda, value=D("100.01"))) == ["Target IKM harus antara 0 dan 100."]
    assert messages_of(IkmTarget(pemda=pemda, value=D("-1"))) == ["Target IKM harus antara 0 dan 100."]
    assert messages_of(IkmTarget(pemda=pemda, year=1999, value=D("80"))) == [
        "Tahun target harus antara 2000 dan 2100."
    ]
    assert messages_of(IkmTarget(pemda=pemda, unit=people.other_pemda_unit, value=D("80"))) == [
        "UPP ini milik Pemda lain."
    ]
    target(pemda, unit, 2026, "80")
    target(pemda, None, None, "80")
    assert messages_of(IkmTarget(pemda=pemda, unit=unit, year=2026, value=D("81"))) == [
        "Unit ini sudah punya target untuk tahun 2026."
    ]
    assert messages_of(IkmTarget(pemda=pemda, value=D("81"))) == [
        "Pemda ini sudah punya target untuk setiap tahun."
    ]
    IkmTarget(pemda=pemda, unit=unit, year=2025, value=D("100")).full_clean()  # the edges are allowed
    IkmTarget(pemda=pemda, year=2026, value=D("0")).full_clean()


@pytest.mark.parametrize(("unit", "year"), [(False, False), (False, True), (True, False), (True, True)])
def test_the_database_refuses_a_second_target_of_each_shape(unit, year):
    people = make_people()
    shape = {"pemda": people.pemda, "unit": people.unit if unit else None, "year": 2026 if year else None}
    IkmTarget.objects.create(**shape, value=D("80"))
    IkmTarget.objects.create(**{**shape, "pemda": people.other_pemda, "unit": None}, value=D("80"))
    with pytest.raises(IntegrityError), transaction.atomic():
        IkmTarget.objects.create(**shape, value=D("81"))
    with pytest.raises(IntegrityError), transaction.atomic():
        IkmTarget.objects.create(pemda=people.pemda, value=D("101"))


def test_set_targets_writes_only_changes_and_audits_each():
    people = make_people()
    pemda, unit = people.pemda, people.unit
    target(pemda, unit, None, "70.00")
    changed = set_targets(
        pemda,
        {
            (None, 2026): D("85.00"),
            (None, None): None,
            (unit.pk, 2026): D("90.00"),
            (unit.pk, None): D("70.00"),
        },
        user=people.pemda_admin,
    )
    assert changed == 2  # the unchanged every-year target of the unit, and a None where there was none
    events = AuditEvent.objects.filter(object_type="organisation.ikmtarget").order_by("pk")
    assert [e.action for e in events] == ["target.add", "target.add"]
    assert events[1].unit_id == unit.pk and events[1].after["value"] == "90.00"
    assert events[0].user == people.pemda_admin and events[0].pemda_id == pemda.pk
    assert set_targets(pemda, {(unit.pk, 2026): D("91.00"), (unit.pk, None): None}) == 2
    assert [e.action for e in events.all()][2:] == ["target.change", "target.delete"]
    assert events.get(action="target.change").before["value"] == "90.00"
    assert target_for(pemda, unit, 2026) == D("91.00") and target_for(pemda, unit, 2025) is None
    with pytest.raises(ValidationError):
        set_targets(pemda, {(None, 2026): D("120")})
    assert target_for(pemda, None, 2026) == D("85.00")


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_pemda_target_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate([("organisation", "0002_unit_network_ranges")])
    old = executor.loader.project_state([("organisation", "0002_unit_network_ranges")]).apps
    Pemda = old.get_model("organisation", "Pemda")
    with_target = Pemda.objects.create(name="Kota A", slug="kota-a", level="kota", ikm_target=D("86.25"))
    Pemda.objects.create(name="Kota B", slug="kota-b", level="kota")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(IkmTarget.objects.values_list("pemda_id", "unit_id", "year", "value")) == [
        (with_target.pk, None, None, D("86.25"))
    ]
    executor = MigrationExecutor(connection)
    executor.migrate([("organisation", "0002_unit_network_ranges")])
    old = executor.loader.project_state([("organisation", "0002_unit_network_ranges")]).apps
    assert old.get_model("organisation", "Pemda").objects.get(slug="kota-a").ikm_target == D("86.25")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_admin_edits_targets_inline_for_the_pemda_admin_only_and_audits_them(client):
    from django.urls import reverse

    people = make_people()
    pemda, unit = people.pemda, people.unit
    target(pemda, unit, 2025, "70.00")
    unit_page = reverse("admin:organisation_unit_change", args=[unit.pk])
    client.force_login(people.pd_admin)  # may change the unit, not its targets
    html = client.get(unit_page).content.decode()
    assert "70,00" in html or "70.00" in html
    assert 'name="ikm_targets-0-value"' not in html
    client.force_login(people.pemda_admin)
    pemda_page = reverse("admin:organisation_pemda_change", args=[pemda.pk])
    form = client.get(pemda_page).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update(
        {
            "ikm_targets-TOTAL_FORMS": "2",
            "ikm_targets-INITIAL_FORMS": "0",
            "ikm_targets-0-year": "2026",
            "ikm_targets-0-value": "85.5",
            "ikm_targets-1-year": "",
            "ikm_targets-1-value": "80",
        }
    )
    response = client.post(pemda_page, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert target_for(pemda, None, 2026) == D("85.50") and target_for(pemda, None, 2024) == D("80.00")
    assert target_for(pemda, unit, 2025) == D("70.00")  # the unit's target is not on the Pemda's page
    events = AuditEvent.objects.filter(object_type="organisation.ikmtarget", action="admin.add")
    assert events.count() == 2 and {e.user for e in events} == {people.pemda_admin}
    # Two rows for one year: refused with the model's message, nothing saved.
    data.update({"ikm_targets-0-year": "2027", "ikm_targets-1-year": "2027"})
    response = client.post(pemda_page, data)
    assert response.status_code == 200
    assert "Pemda ini sudah punya target untuk tahun 2027." in response.content.decode()
    assert target_for(pemda, None, 2027) == D("80.00")  # still the every-year one


def test_a_units_targets_are_saved_from_its_admin_page_under_its_pemda(client):
    from django.urls import reverse

    people = make_people()
    pemda, unit = people.pemda, people.unit
    client.force_login(people.pemda_admin)
    page = reverse("admin:organisation_unit_change", args=[unit.pk])
    response = client.get(page)
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update({k: getattr(v, "pk", v) for k, v in data.items()})
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({"ikm_targets-TOTAL_FORMS": "1", "ikm_targets-0-year": "", "ikm_targets-0-value": "88"})
    response = client.post(page, data)
    assert response.status_code == 302
    row = IkmTarget.objects.get()
    assert (row.pemda_id, row.unit_id, row.year, row.value) == (pemda.pk, unit.pk, None, D("88.00"))
    assert AuditEvent.objects.filter(object_type="organisation.ikmtarget", unit_id=unit.pk).count() == 1
