from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.download, name="attachment_download"),
    path("<int:pk>/xoa/", views.delete, name="attachment_delete"),
    path("tai-len/<int:content_type_id>/<int:object_id>/", views.upload, name="attachment_upload"),
]
