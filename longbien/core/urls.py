from django.urls import path

from . import calendar_views, io_views, lookup_views, table_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("tra-cuu/<slug:name>/", lookup_views.lookup, name="lookup"),
    path("don-vi-lam-viec/", views.choose_unit, name="choose_unit"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("xuat/<str:name>/", io_views.export_view, name="io_export"),
    path("nhap/<str:name>/", io_views.import_view, name="io_import"),
    path("nhap-nen/<int:pk>/", io_views.import_job_view, name="io_job"),
    path("lich-lam-viec/", calendar_views.calendar_days, name="calendar_days"),
    path(
        "lich-lam-viec/<int:pk>/xoa/",
        calendar_views.calendar_day_delete,
        name="calendar_day_delete",
    ),
    path("bang/cau-hinh/", table_views.table_columns, name="table_columns"),
    path("healthz", views.healthz, name="healthz"),
]
