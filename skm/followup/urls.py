"""Suggestions and their follow-up (/kelola/saran/); RTL and its realisation (/kelola/rtl/)."""

from django.urls import path

from skm.followup import views, views_rtl

app_name = "followup"

urlpatterns = [
    path("saran/", views.suggestions, name="suggestions"),
    path("saran/<int:answer_id>/", views.suggestion, name="suggestion"),
    path("rtl/", views_rtl.index, name="rtl-index"),
    path("rtl/<slug:unit_slug>/<int:period_id>/", views_rtl.plan, name="rtl"),
    path("rtl/<slug:unit_slug>/<int:period_id>/butir/", views_rtl.item_new, name="rtl-item-new"),
    path("rtl/<slug:unit_slug>/<int:period_id>/butir/<int:item_id>/", views_rtl.item, name="rtl-item"),
    path(
        "rtl/<slug:unit_slug>/<int:period_id>/butir/<int:item_id>/bukti/",
        views_rtl.evidence_file,
        name="rtl-evidence",
    ),
]
