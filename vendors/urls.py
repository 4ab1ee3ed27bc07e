from django.urls import path

from . import views

app_name = "vendors"
urlpatterns = [
    path("", views.vendor_list, name="list"),
    path("<int:pk>/", views.vendor_detail, name="detail"),
    path("new/", views.vendor_edit, name="create"),
    path("<int:pk>/edit/", views.vendor_edit, name="edit"),
    path("<int:pk>/history/", views.vendor_history, name="history"),
    path("<int:vendor_pk>/products/new/", views.product_edit, name="product-create"),
    path("products/<int:pk>/edit/", views.product_edit, name="product-edit"),
    path("photos/<int:pk>/", views.product_photo, name="photo"),
    path("export/registry.xlsx", views.export_registry, name="export-registry"),
    path("export/products.xlsx", views.export_products, name="export-products"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/status/", views.import_status, name="import-status"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("shortlists/", views.shortlist_sessions, name="shortlists"),
    path("shortlists/<int:pk>/", views.shortlist_detail, name="shortlist"),
    path("shortlists/<int:pk>/add/", views.shortlist_add, name="shortlist-add"),
    path("shortlists/<int:pk>/approve/", views.shortlist_approve, name="shortlist-approve"),
    path("shortlists/<int:pk>/export.xlsx", views.shortlist_export, name="shortlist-export"),
    path(
        "shortlist-entries/<int:pk>/products/", views.shortlist_products, name="shortlist-products"
    ),
    path("shortlist-entries/<int:pk>/remove/", views.shortlist_remove, name="shortlist-remove"),
]
