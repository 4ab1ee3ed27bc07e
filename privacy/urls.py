from django.urls import path

from . import views

# Under /core/pdpa/ (bbportal/urls.py), where the pages were before they had their own app.
app_name = "privacy"
urlpatterns = [
    path("", views.pdpa_home, name="pdpa"),
    path("<slug:kind>/<int:pk>/export.json", views.pdpa_export_json, name="pdpa-export-json"),
    path("<slug:kind>/<int:pk>/export.xlsx", views.pdpa_export_xlsx, name="pdpa-export-xlsx"),
    path("<slug:kind>/<int:pk>/erase/", views.pdpa_erase, name="pdpa-erase"),
]
