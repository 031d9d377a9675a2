from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import include, path

admin.site.site_header = "Administrasi SKM"
admin.site.site_title = "SKM"
admin.site.index_title = "Survei Kepuasan Masyarakat"
admin.site.site_url = None  # the public portal arrives with a later issue
admin.site.unregister(Group)  # access comes from roles and places, not from groups

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
