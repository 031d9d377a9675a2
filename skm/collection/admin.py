from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from skm.accounts.admin_scoping import ScopedAdmin
from skm.accounts.scoping import Role
from skm.collection import devices
from skm.collection.models import Answer, KioskDevice


@admin.register(Answer)
class AnswerAdmin(ScopedAdmin):
    list_display = ("id", "unit", "service", "submitted_at", "channel", "excluded")
    list_filter = ("channel", "excluded", ("pemda", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("unit", "service")
    date_hierarchy = "day"
    search_fields = ("unit__name", "suggestion")
    add_roles = change_roles = delete_roles = ()

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(KioskDevice)
class KioskDeviceAdmin(ScopedAdmin):
    """Tablets are set up on the tablet itself (/kelola/kios/: the token must reach it), so none
    is added here; none is deleted either (the audit trail points at it): they are revoked."""

    list_display = ("label", "unit", "issued_at", "issued_by", "last_seen_at", "revoked_at")
    list_filter = (
        ("unit__pemda", admin.RelatedOnlyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("unit", "issued_by")
    search_fields = ("label", "unit__name")
    actions = ("revoke",)
    add_roles = delete_roles = ()
    change_roles = (Role.ADMIN_PEMDA, Role.ADMIN_PD, Role.ADMIN_UPP)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "label"]

    @admin.action(description=_("Cabut tablet terpilih"), permissions=["change"])
    def revoke(self, request, queryset):
        done = sum(
            devices.revoke(device, request.user) for device in queryset.for_user(request.user, "change")
        )
        said = ngettext(
            "{n} tablet dicabut: jawabannya kini dihitung seperti perangkat biasa.",
            "{n} tablet dicabut: jawabannya kini dihitung seperti perangkat biasa.",
            done,
        )
        self.message_user(request, said.format(n=done), messages.SUCCESS)
