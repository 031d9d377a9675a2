"""The staff workspace: home, sign in and out, IKM targets (/kelola/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from skm.workspace import views, views_targets

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("target/", views_targets.targets, name="targets"),
]
