from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("line/webhook/", views.line_webhook, name="line-webhook"),
    path("line/vendor/<int:vendor_id>/code/", views.vendor_line_code, name="vendor-line-code"),
    path("status/", views.line_status, name="status"),
    path("preferences/", views.preferences, name="preferences"),
]
