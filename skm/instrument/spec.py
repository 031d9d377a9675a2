"""A published instrument version as plain data, cached: what forms, validation and the API read.

A published version never changes (answers point at it), so its spec is cached per process.
Its texts are the Pemda's data, each with the English the Pemda gave (or none): `shown_label`
and `shown_text` pick the one for the active language, here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.utils import translation

from skm.instrument.models import InstrumentVersion
from skm.lib.tokens import SharedTokens


def _shown(text: str, text_en: str) -> str:
    """The English text when English is active and the Pemda gave one, else the Indonesian."""
    return text_en if text_en and translation.get_language() == "en" else text


@dataclass(frozen=True)
class OptionSpec:
    value: int
    label: str
    label_en: str

    @property
    def shown_label(self) -> str:
        return _shown(self.label, self.label_en)


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    element: str  # "" for an extra question that never enters the IKM
    name: str
    header: str
    text: str
    text_en: str
    required: bool
    options: tuple[OptionSpec, ...]

    @property
    def shown_text(self) -> str:
        return _shown(self.text, self.text_en)

    @property
    def field(self) -> str:
        """The form/API field name: the element for IKM questions, the code for extra ones."""
        return self.element or self.code.lower()

    @cached_property
    def values(self) -> frozenset[int]:
        """The values an answer may take (validation asks on every answer)."""
        return frozenset(o.value for o in self.options)


@dataclass(frozen=True)
class ProfileOptionSpec:
    code: str
    label: str
    label_en: str

    @property
    def shown_label(self) -> str:
        return _shown(self.label, self.label_en)


@dataclass(frozen=True)
class ProfileSpec:
    key: str
    label: str
    label_en: str
    required: bool
    options: tuple[ProfileOptionSpec, ...]

    @property
    def shown_label(self) -> str:
        return _shown(self.label, self.label_en)

    @cached_property
    def codes(self) -> dict[str, str]:
        """An option's code by what a respondent or a file may write, in lower case: its code
        or, unless that is some option's code, its Indonesian or English label."""
        by_label = {o.label.lower(): o.code for o in self.options}
        by_label |= {o.label_en.lower(): o.code for o in self.options if o.label_en}
        return by_label | {o.code.lower(): o.code for o in self.options}


@dataclass(frozen=True)
class InstrumentSpec:
    version_id: int
    pemda_id: int
    questions: tuple[QuestionSpec, ...]
    profile: tuple[ProfileSpec, ...]

    @property
    def ikm_questions(self) -> tuple[QuestionSpec, ...]:
        return tuple(q for q in self.questions if q.element)

    @property
    def extra_questions(self) -> tuple[QuestionSpec, ...]:
        return tuple(q for q in self.questions if not q.element)


def _build(version: InstrumentVersion) -> InstrumentSpec:
    questions = tuple(
        QuestionSpec(
            code=q.code,
            element=q.element,
            name=q.name,
            header=q.header,
            text=q.text,
            text_en=q.text_en,
            required=q.required,
            options=tuple(OptionSpec(o.value, o.label, o.label_en) for o in q.options.all()),
        )
        for q in version.questions.prefetch_related("options").order_by("position")
    )
    profile = tuple(
        ProfileSpec(
            key=f.key,
            label=f.label,
            label_en=f.label_en,
            required=f.required,
            options=tuple(ProfileOptionSpec(o.code, o.label, o.label_en) for o in f.options.all()),
        )
        for f in version.profile_fields.prefetch_related("options").order_by("position")
    )
    return InstrumentSpec(version.pk, version.instrument.pemda_id, questions, profile)


@lru_cache(maxsize=256)
def _published(version_id: int) -> InstrumentSpec:
    return _build(InstrumentVersion.objects.select_related("instrument").get(pk=version_id))


def spec_for(version: InstrumentVersion) -> InstrumentSpec:
    if version.locked:
        return _published(version.pk)
    return _build(version)


@lru_cache(maxsize=1024)
def _current_version_id(pemda_id: int, cache_token: int) -> int | None:
    version = (
        InstrumentVersion.objects.filter(
            instrument__pemda_id=pemda_id, instrument__kind="skm", published_at__isnull=False
        )
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    return version


# Publishing bumps the Pemda's token (skm.instrument.setup.publish), so every process sees it.
_TOKENS = SharedTokens("instrument-token")


def current_spec(pemda_id: int) -> InstrumentSpec | None:
    """The instrument new answers of this Pemda use (its latest published SKM version)."""
    version_id = _current_version_id(pemda_id, _TOKENS.get(pemda_id))
    return _published(version_id) if version_id else None


def bump(pemda_id: int) -> None:
    _TOKENS.bump(pemda_id)


def clear_caches() -> None:
    """Forget every cached spec (tests, and after a database restore that reuses ids)."""
    _published.cache_clear()
    _current_version_id.cache_clear()
    _TOKENS.forget()
