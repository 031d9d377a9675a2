"""Result pages of the staff workspace (/kelola/hasil/…): unit, Pemda and PD results, result
sheets, year-over-year. Every view scopes with `for_user` (skm.accounts.access)."""

from django.urls import path  # noqa: F401 - the pages add their paths below

app_name = "results"

urlpatterns: list = []
