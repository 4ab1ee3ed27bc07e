from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("system/", views.system_status, name="system-status"),
]
