"""The staff workspace: home, sign in and out (/kelola/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from skm.workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
]
