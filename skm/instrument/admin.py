from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.accounts.admin_scoping import ScopedAdmin, ScopedInline
from skm.instrument import setup
from skm.instrument.models import Instrument, InstrumentVersion, Option, ProfileField, ProfileOption, Question


def _version_of(obj: Any) -> InstrumentVersion | None:
    if obj is None:
        return None
    return obj if isinstance(obj, InstrumentVersion) else obj.version


class LockedVersionMixin:
    """A published version is never edited (answers point at it): make a new version instead."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        version = _version_of(obj)
        if version is not None and version.locked:
            return [f.name for f in self.model._meta.fields]  # type: ignore[attr-defined]
        return super().get_readonly_fields(request, obj)  # type: ignore[misc]


class LockedInline(ScopedInline):
    def _parent_ok(self, request: HttpRequest, obj: Any) -> bool:
        version = _version_of(obj)
        return super()._parent_ok(request, obj) and (version is None or not version.locked)


class QuestionInline(LockedInline):
    model = Question
    fields = ("position", "code", "element", "name", "header", "text", "text_en", "required")
    show_change_link = True


class OptionInline(LockedInline):
    model = Option
    fields = ("value", "label", "label_en")


class ProfileFieldInline(LockedInline):
    model = ProfileField
    fields = ("position", "key", "label", "label_en", "required")
    show_change_link = True


class ProfileOptionInline(LockedInline):
    model = ProfileOption
    fields = ("position", "code", "label", "label_en")


@admin.register(Instrument)
class InstrumentAdmin(ScopedAdmin):
    list_display = ("name", "pemda", "kind", "scale_max")
    list_filter = (("pemda", admin.RelatedOnlyFieldListFilter), "kind")
    actions = ["make_new_version"]

    @admin.action(description=gettext_lazy("Buat versi baru (salinan untuk diubah)"))
    def make_new_version(self, request: HttpRequest, queryset: Any) -> None:
        for instrument in queryset:
            # The note is stored: in Indonesian, the Pemda's language, whoever made the draft.
            draft = setup.new_version(instrument, note=f"Draf oleh {request.user}")
            messages.success(
                request,
                _("{draft} dibuat sebagai draf; terbitkan setelah selesai diubah.").format(draft=draft),
            )


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(LockedVersionMixin, ScopedAdmin):
    list_display = ("__str__", "note", "created_at", "published_at")
    list_filter = (("instrument__pemda", admin.RelatedOnlyFieldListFilter),)
    inlines = [QuestionInline, ProfileFieldInline]
    actions = ["publish"]

    @admin.action(description=gettext_lazy("Terbitkan versi (dipakai untuk jawaban baru)"))
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        for version in queryset:
            setup.publish(version)
        messages.success(request, _("Versi diterbitkan."))


@admin.register(Question)
class QuestionAdmin(LockedVersionMixin, ScopedAdmin):
    list_display = ("code", "name", "header", "version")
    inlines = [OptionInline]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False  # reached from its version's page


@admin.register(ProfileField)
class ProfileFieldAdmin(LockedVersionMixin, ScopedAdmin):
    list_display = ("label", "key", "version")
    inlines = [ProfileOptionInline]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False
