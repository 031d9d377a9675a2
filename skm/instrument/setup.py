"""Create a Pemda's instrument from the regulation's default, and new versions of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from skm.instrument.defaults import PROFILE_FIELDS, QUESTIONS
from skm.instrument.models import Instrument, InstrumentVersion, Option, ProfileField, ProfileOption, Question
from skm.scoring.elements import ELEMENTS


def english(text: str) -> str:
    """The English of a default text (skm.instrument.defaults), from skm/locale/en."""
    with translation.override("en"):
        return gettext(text)


@transaction.atomic
def create_default_instrument(
    pemda,
    *,
    order: Sequence[str] = ELEMENTS,
    headers: Mapping[str, str] | None = None,
    profile_labels: Mapping[str, str] | None = None,
    publish: bool = True,
) -> Instrument:
    """The PermenPAN-RB 14/2017 instrument for `pemda`, in the Pemda's unsur `order`.

    `headers` overrides the short column headers per element ("Aduan", "Sarpras");
    `profile_labels` overrides profile band labels by code ("u56": "+56").
    """
    if sorted(order) != sorted(ELEMENTS):
        raise ValueError("order must name each of the nine elements once")
    # Stored names: in Indonesian, the Pemda's language, whoever runs this.
    instrument = Instrument.objects.create(
        pemda=pemda, name="Survei Kepuasan Masyarakat", kind=Instrument.Kind.SKM
    )
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=1, note="Instrumen awal PermenPAN-RB 14/2017"
    )
    by_element = {q.element: q for q in QUESTIONS}
    headers = headers or {}
    for position, element in enumerate(order, start=1):
        default = by_element[element]
        question = Question.objects.create(
            version=version,
            position=position,
            element=element,
            code=f"U{position}",
            name=default.name,
            header=headers.get(element, default.header),
            text=default.text,
            text_en=english(default.text),
        )
        Option.objects.bulk_create(
            Option(question=question, value=value, label=label, label_en=english(label))
            for value, label in enumerate(default.options, start=1)
        )
    profile_labels = profile_labels or {}
    for position, (key, label, options) in enumerate(PROFILE_FIELDS, start=1):
        field = ProfileField.objects.create(
            version=version, key=key, label=label, label_en=english(label), position=position
        )
        ProfileOption.objects.bulk_create(
            ProfileOption(
                field=field,
                code=code,
                label=profile_labels.get(code, option),
                label_en=english(option),
                position=i,
            )
            for i, (code, option) in enumerate(options, start=1)
        )
    if publish:
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
    return instrument


@transaction.atomic
def new_version(instrument: Instrument, note: str = "") -> InstrumentVersion:
    """A draft copy of the latest version, to edit wording, order or labels without touching the past."""
    latest = instrument.versions.order_by("-number").first()
    if latest is None:
        raise ValueError("instrument has no version to copy")
    draft = InstrumentVersion.objects.create(instrument=instrument, number=latest.number + 1, note=note)
    for question in latest.questions.prefetch_related("options"):
        options = list(question.options.all())
        question.pk = None
        question.version = draft
        question.save()
        Option.objects.bulk_create(
            Option(question=question, value=o.value, label=o.label, label_en=o.label_en) for o in options
        )
    for field in latest.profile_fields.prefetch_related("options"):
        options = list(field.options.all())
        field.pk = None
        field.version = draft
        field.save()
        ProfileOption.objects.bulk_create(
            ProfileOption(field=field, code=o.code, label=o.label, label_en=o.label_en, position=o.position)
            for o in options
        )
    return draft


def publish(version: InstrumentVersion) -> InstrumentVersion:
    """Make `version` the one new answers use; from now on it is locked."""
    if version.published_at is None:
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
        from skm.instrument.spec import bump

        bump(version.instrument.pemda_id)
    return version
