from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.index, name="index"),
    path("years/<int:fiscal_year>/", views.year_view, name="year"),
    path("years/<int:fiscal_year>/generate/", views.generate, name="generate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sent/", views.record_sent, name="sent"),
    path("<int:pk>/signed/", views.upload_signed, name="upload-signed"),
    path("<int:pk>/reply/", views.record_reply, name="reply"),
    path("<int:pk>/signed.pdf", views.signed_copy, name="signed-copy"),
    path("<int:pk>/reply.pdf", views.reply_attachment, name="reply-attachment"),
    path("versions/<int:pk>/<str:fmt>/", views.version_file, name="version-file"),
]
