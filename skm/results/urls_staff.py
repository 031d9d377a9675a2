"""Result pages of the staff workspace (/kelola/hasil/…): unit, Pemda and PD results, result
sheets, year-over-year. Every view scopes with `for_user` (skm.accounts.access)."""

from django.urls import path, re_path

from skm.results import views_freeze, views_pemda, views_sheet, views_unit

app_name = "results"

urlpatterns: list = [
    path("", views_pemda.index, name="index"),
    path("pemda/", views_pemda.pemda, name="pemda"),
    path("tahunan/", views_pemda.yoy, name="yoy"),
    path("tahunan.xlsx", views_pemda.yoy_xlsx, name="yoy-xlsx"),
    path("upp/<slug:unit_slug>/", views_unit.unit, name="unit"),
    path("upp/<slug:unit_slug>/lembar/", views_sheet.unit_sheet, name="sheet"),
    re_path(
        r"^upp/(?P<unit_slug>[-a-zA-Z0-9_]+)/lembar\.(?P<fmt>pdf|png)$",
        views_sheet.unit_sheet_file,
        name="sheet-file",
    ),
    path("pemda/lembar/", views_sheet.pemda_sheet, name="pemda-sheet"),
    re_path(r"^pemda/lembar\.(?P<fmt>pdf|png)$", views_sheet.pemda_sheet_file, name="pemda-sheet-file"),
    path("periode/<int:period_id>/tutup/", views_freeze.close, name="period-close"),
    path("periode/<int:period_id>/buka/", views_freeze.reopen, name="period-reopen"),
]
