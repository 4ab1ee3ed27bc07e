from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("system/", views.system_status, name="system-status"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/export/", views.audit_trail_export, name="audit-export"),
    path("audit/export/<int:pk>/", views.audit_export_detail, name="audit-export-detail"),
    path(
        "audit/export/<int:pk>/download/",
        views.audit_export_download,
        name="audit-export-download",
    ),
]
