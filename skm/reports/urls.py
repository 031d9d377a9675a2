"""The Laporan Pelaksanaan SKM (/kelola/laporan/): make one, follow it, download it; settings."""

from django.urls import path

from skm.reports import views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.index, name="index"),
    path("laporan/pengaturan/", views.settings, name="settings"),
    path("laporan/templat/", views.template, name="template"),
    path("laporan/<int:run_id>/", views.run, name="run"),
    path("laporan/<int:run_id>/<slug:kind>/", views.download, name="download"),
]
