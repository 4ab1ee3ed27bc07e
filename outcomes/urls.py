from django.urls import path

from . import dashboard_views, upload_views, views

app_name = "outcomes"
urlpatterns = [
    path("", views.submission_list, name="submission-list"),
    path("new/", views.submission_create, name="submission-create"),
    path("<int:pk>/", views.submission_detail, name="submission-detail"),
    path("<int:pk>/edit/", views.submission_edit, name="submission-edit"),
    path("<int:pk>/submit/", views.submission_submit, name="submission-submit"),
    path("<int:pk>/accept/", views.submission_accept, name="submission-accept"),
    path("<int:pk>/return/", views.submission_return, name="submission-return"),
    path("<int:pk>/template.xlsx", upload_views.submission_template, name="submission-template"),
    path("<int:pk>/upload/", upload_views.submission_upload, name="submission-upload"),
    path("uploads/<int:pk>/", upload_views.upload_preview, name="upload-preview"),
    path("uploads/<int:pk>/confirm/", upload_views.upload_confirm, name="upload-confirm"),
    path("uploads/<int:pk>/problems.xlsx", upload_views.upload_errors, name="upload-errors"),
    path("<int:pk>/link/", views.vendor_link_create, name="vendor-link-create"),
    path("links/<int:pk>/withdraw/", views.vendor_link_revoke, name="vendor-link-revoke"),
    path("v/<str:token>/", views.vendor_form, name="vendor-form"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("kpi/<int:year_id>/recompute/", dashboard_views.kpi_recompute, name="kpi-recompute"),
    path("statistics/", dashboard_views.statistics, name="statistics"),
    path("statistics.xlsx", dashboard_views.statistics_export, name="statistics-export"),
    path(
        "statistics/lines/export/",
        dashboard_views.statistics_lines_export,
        name="statistics-lines-export",
    ),
    path(
        "statistics/lines/export/<int:pk>/",
        dashboard_views.lines_export_detail,
        name="lines-export-detail",
    ),
    path(
        "statistics/lines/export/<int:pk>/download/",
        dashboard_views.lines_export_download,
        name="lines-export-download",
    ),
]
