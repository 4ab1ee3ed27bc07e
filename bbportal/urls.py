from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import views as core_views
from core.forms_auth import PortalAuthenticationForm, PortalPasswordChangeForm
from microsoft import views as microsoft_views

admin.site.site_header = _("BB Portal – Bangkok Brand × Sister Cities")
admin.site.site_title = _("BB Portal administration")
admin.site.index_title = _("Programme administration")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm),
        name="login",
    ),
    path("accounts/microsoft/", microsoft_views.entra_begin, name="entra-begin"),
    path("accounts/microsoft/callback/", microsoft_views.entra_callback, name="entra-callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("core.urls")),
    path("core/pdpa/", include("privacy.urls")),
    path("meetings/", include("meetings.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("vendors/", include("vendors.urls")),
    path("cities/", include("cities.urls")),
    path("reports/", include("reports.urls")),
    path("documents/", include("documents.urls")),
    path("notifications/", include("notifications.urls")),
    path("buyers/", include("buyers.urls")),
    path("showcase/", include("buyers.public_urls")),
    path("admin/", admin.site.urls),
]

# A body too large is 413 with a page that says so (core.requests).
handler400 = "core.requests.bad_request"
