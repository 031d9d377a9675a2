"""The Django admin for follow-up: suggestions' follow-up rows, RTL and their items (scoped).

Staff work on these in the workspace (/kelola/saran/, /kelola/rtl/), where every change is checked
and audited by skm.followup.replies and skm.followup.rtl; the admin is for looking things up and
for removing a mistaken RTL or item (ScopedAdmin audits the deletion). Evidence files are served
only through the workspace's scoped view, so the admin shows their original names, not their paths.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skm.accounts.admin_scoping import ScopedAdmin
from skm.accounts.scoping import Role
from skm.followup.models import Rtl, RtlItem, SuggestionFollowUp


class ReadOnlyFieldsAdmin(ScopedAdmin):
    add_roles = change_roles = ()
    delete_roles: tuple[str, ...] = (Role.ADMIN_PEMDA,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude_fields]

    exclude_fields: tuple[str, ...] = ()


@admin.register(SuggestionFollowUp)
class SuggestionFollowUpAdmin(ReadOnlyFieldsAdmin):
    list_display = ("answer", "unit_name", "status", "published", "replied_at")
    list_filter = ("status", "published", ("answer__pemda", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("answer__unit",)
    search_fields = ("answer__unit__name", "reply", "answer__suggestion")
    delete_roles = ()  # a reply is part of the unit's record of unsur 9

    @admin.display(description=_("UPP"))
    def unit_name(self, obj: SuggestionFollowUp) -> str:
        return obj.answer.unit.name


class RtlItemInline(admin.TabularInline):
    model = RtlItem
    extra = 0
    fields = (
        "element",
        "action",
        "responsible",
        "target_date",
        "realisation",
        "evidence_name",
        "evidence_link",
    )
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(Rtl)
class RtlAdmin(ReadOnlyFieldsAdmin):
    list_display = ("unit", "period", "chosen", "created_at")
    list_filter = (
        ("unit__pemda", admin.RelatedOnlyFieldListFilter),
        ("period", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("unit", "period")
    search_fields = ("unit__name",)
    inlines = (RtlItemInline,)


@admin.register(RtlItem)
class RtlItemAdmin(ReadOnlyFieldsAdmin):
    list_display = ("rtl", "element", "target_date", "realisation", "realised_at")
    list_filter = (("rtl__unit__pemda", admin.RelatedOnlyFieldListFilter), "element")
    list_select_related = ("rtl__unit", "rtl__period")
    search_fields = ("rtl__unit__name", "action", "responsible")
    exclude = ("evidence",)
    exclude_fields = ("evidence",)
