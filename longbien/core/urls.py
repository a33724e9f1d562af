from django.urls import path

from . import io_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("don-vi-lam-viec/", views.choose_unit, name="choose_unit"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("xuat/<str:name>/", io_views.export_view, name="io_export"),
    path("nhap/<str:name>/", io_views.import_view, name="io_import"),
    path("nhap-nen/<int:pk>/", io_views.import_job_view, name="io_job"),
    path("healthz", views.healthz, name="healthz"),
]
