"""Result pages of the staff workspace (/kelola/hasil/…): unit, Pemda and PD results, result
sheets, year-over-year. Every view scopes with `for_user` (skm.accounts.access)."""

from django.urls import path

from skm.results import views_pemda

app_name = "results"

urlpatterns: list = [
    path("", views_pemda.index, name="index"),
    path("pemda/", views_pemda.pemda, name="pemda"),
    path("tahunan/", views_pemda.yoy, name="yoy"),
    path("tahunan.xlsx", views_pemda.yoy_xlsx, name="yoy-xlsx"),
]
