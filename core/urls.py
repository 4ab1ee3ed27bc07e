from django.urls import path

from . import views, views_pdpa

app_name = "core"
urlpatterns = [
    path("system/", views.system_status, name="system-status"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/export.xlsx", views.audit_trail_export, name="audit-export"),
    path("pdpa/", views_pdpa.pdpa_home, name="pdpa"),
    path(
        "pdpa/<slug:kind>/<int:pk>/export.json",
        views_pdpa.pdpa_export_json,
        name="pdpa-export-json",
    ),
    path(
        "pdpa/<slug:kind>/<int:pk>/export.xlsx",
        views_pdpa.pdpa_export_xlsx,
        name="pdpa-export-xlsx",
    ),
    path("pdpa/<slug:kind>/<int:pk>/erase/", views_pdpa.pdpa_erase, name="pdpa-erase"),
]
