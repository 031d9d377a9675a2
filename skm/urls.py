from django.contrib import admin
from django.urls import path

admin.site.site_header = "Administrasi SKM"
admin.site.site_title = "SKM"
admin.site.index_title = "Survei Kepuasan Masyarakat"

urlpatterns = [
    path("admin/", admin.site.urls),
]
