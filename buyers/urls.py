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

# --- leads (issue #17): the buyer's contact form and the staff's pages ---------------------
from . import views_leads  # noqa: E402

urlpatterns += [
    path(
        "showcase/<str:token>/contact/<int:vendor_id>/",
        views_leads.lead_request,
        name="lead-request",
    ),
    path("leads/", views_leads.lead_list, name="lead-list"),
    path("leads/<int:pk>/", views_leads.lead_detail, name="lead-detail"),
    path("leads/<int:pk>/status/", views_leads.lead_status, name="lead-status"),
    path("leads/<int:pk>/follow-up/", views_leads.lead_follow_up, name="lead-follow-up"),
    path("leads/<int:pk>/confirm/", views_leads.lead_confirm, name="lead-confirm"),
    path("leads/<int:pk>/reject/", views_leads.lead_reject, name="lead-reject"),
    path("leads/<int:pk>/meeting/", views_leads.lead_meeting, name="lead-meeting"),
]
