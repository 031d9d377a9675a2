from __future__ import annotations

from django.contrib import admin

from skm.accounts.admin_scoping import ScopedAdmin
from skm.collection.models import Answer


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
