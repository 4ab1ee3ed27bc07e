from django.urls import path

from . import views

app_name = "buyers"
urlpatterns = [
    path("sessions/<int:session_id>/links/", views.session_links, name="session-links"),
    path(
        "sessions/<int:session_id>/links/<int:city_id>/enable/",
        views.link_enable,
        name="link-enable",
    ),
    path("links/<int:pk>/revoke/", views.link_revoke, name="link-revoke"),
    path("sessions/<int:session_id>/rates/", views.rate_record, name="rate-record"),
]
