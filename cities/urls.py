from django.urls import path

from . import views

app_name = "cities"
urlpatterns = [
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<int:fiscal_year>/", views.candidates, name="candidates-year"),
    path("letters/", views.letters, name="letters"),
    path("letters/<int:fiscal_year>/", views.letters, name="letters-year"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
