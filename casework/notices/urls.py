"""The notices' staff page (the printed copy) and their public page (outside the workbench)."""

from django.urls import path

from .views import NoticePrintView, NoticePublicView

app_name = "notices"

urlpatterns = [path("<int:pk>/print/", NoticePrintView.as_view(), name="print")]

public_urlpatterns = [
    path("gs/<uuid:token>/", NoticePublicView.as_view(), name="notice_public"),
]
