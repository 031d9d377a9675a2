from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from skm.accounts.admin_scoping import ScopedAdmin, ScopedInline
from skm.instrument import setup
from skm.instrument.models import Instrument, InstrumentVersion, Question


class QuestionInline(ScopedInline):
    model = Question
    fields = ("position", "code", "element", "name", "header", "text", "required")

    def _parent_ok(self, request: HttpRequest, obj: Any) -> bool:
        # A published version is never edited: make a new version instead.
        return super()._parent_ok(request, obj) and (obj is None or not obj.locked)


@admin.register(Instrument)
class InstrumentAdmin(ScopedAdmin):
    list_display = ("name", "pemda", "kind", "scale_max")
    list_filter = ("pemda", "kind")
    actions = ["make_new_version"]

    @admin.action(description="Buat versi baru (salinan untuk diubah)")
    def make_new_version(self, request: HttpRequest, queryset: Any) -> None:
        for instrument in queryset:
            draft = setup.new_version(instrument, note=f"Draf oleh {request.user}")
            messages.success(request, f"{draft} dibuat sebagai draf; terbitkan setelah selesai diubah.")


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ScopedAdmin):
    list_display = ("__str__", "note", "created_at", "published_at")
    list_filter = ("instrument__pemda",)
    readonly_fields = ("published_at",)
    inlines = [QuestionInline]
    actions = ["publish"]

    @admin.action(description="Terbitkan versi (dipakai untuk jawaban baru)")
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        for version in queryset:
            setup.publish(version)
        messages.success(request, "Versi diterbitkan.")
