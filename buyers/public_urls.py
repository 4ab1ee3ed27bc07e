"""The showcase's public addresses: the token is the credential (no account)."""

from django.urls import path

from . import views

app_name = "showcase"
urlpatterns = [
    path("<str:token>/", views.showcase, name="start"),
    path("<str:token>/<str:lang>/", views.showcase, name="page"),
    path("<str:token>/<str:lang>/sheet/<int:vendor_id>.pdf", views.product_sheet, name="sheet"),
    path(
        "<str:token>/photo/<int:photo_id>/<int:width>.jpg",
        views.showcase_photo,
        name="photo",
    ),
]
