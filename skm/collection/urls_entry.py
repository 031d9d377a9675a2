"""Paper entry for admins, under /kelola/ (issue 3 item 6)."""

from django.urls import path

from skm.collection.views import entry

app_name = "entry"

urlpatterns = [
    path("entri/", entry.units, name="units"),
    path("entri/<slug:unit_slug>/", entry.grid, name="grid"),
    path("entri/<slug:unit_slug>/<int:answer_id>/", entry.edit, name="edit"),
    path("entri/<slug:unit_slug>/<int:answer_id>/kecualikan/", entry.exclude, name="exclude"),
    path("entri/<slug:unit_slug>/<int:answer_id>/hapus/", entry.delete, name="delete"),
]
