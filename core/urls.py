from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("system/", views.system_status, name="system-status"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/export.xlsx", views.audit_trail_export, name="audit-export"),
]
