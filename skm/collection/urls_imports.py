"""Bulk import of answers, under /kelola/ (issue 3 item 7)."""

from django.urls import path

from skm.collection.views import imports

app_name = "imports"

urlpatterns = [
    path("impor/", imports.choose, name="choose"),
    path("impor/<slug:unit_slug>/", imports.upload, name="upload"),
    path("impor/<slug:unit_slug>/pratinjau/<str:token>/", imports.preview, name="preview"),
    path("impor/<slug:unit_slug>/template.csv", imports.template_file, {"ext": "csv"}, name="template-csv"),
    path(
        "impor/<slug:unit_slug>/template.xlsx", imports.template_file, {"ext": "xlsx"}, name="template-xlsx"
    ),
]
