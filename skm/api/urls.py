from django.urls import path

from skm.api.api import api

urlpatterns = [path("", api.urls)]
