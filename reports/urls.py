from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:session_id>/", views.session_report, name="session"),
    path("sessions/<int:session_id>/evaluation/", views.evaluation_edit, name="evaluation"),
    path("years/<int:fiscal_year>/", views.annual_report, name="annual"),
    path("versions/<int:generation_id>/status/", views.generation_status, name="status"),
    path("versions/<int:generation_id>/download/", views.generation_download, name="download"),
    path("versions/<int:generation_id>/deliver/", views.generation_deliver, name="deliver"),
]
