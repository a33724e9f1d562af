"""The quarterly reports' pages (under /bao-cao-quy/)."""

from django.urls import path

from .views import board, dashboard, reports, term

app_name = "reporting"

urlpatterns = [
    path("", reports.report_list, name="report_list"),
    path("bang-dieu-khien/", dashboard.dashboard, name="dashboard"),
    path("bang-dieu-khien/xuat-excel/", dashboard.dashboard_export, name="dashboard_export"),
    path("bang-dieu-khien/in/", dashboard.dashboard_print, name="dashboard_print"),
    path("tinh-hinh/", board.compliance_board, name="compliance_board"),
    path("tinh-hinh/xuat-excel/", board.board_export, name="board_export"),
    path("xuat-excel/<int:year>/<int:quarter>/", board.quarter_export, name="quarter_export"),
    path("mo/<str:code>/<int:year>/<int:quarter>/", reports.report_open, name="report_open"),
    path("<int:pk>/", reports.report_detail, name="report_detail"),
    path("<int:pk>/sua/", reports.report_edit, name="report_edit"),
    path("<int:pk>/gui/", reports.report_submit, name="report_submit"),
    path("<int:pk>/tra-lai/", reports.report_return, name="report_return"),
    path("<int:pk>/tiep-nhan/", reports.report_accept, name="report_accept"),
    path("<int:pk>/pdf/", board.report_pdf, name="report_pdf"),
    # Term reports (issue 14): asked for, made by a Celery worker, downloaded.
    path("nhiem-ky/", term.term_list, name="term_list"),
    path("nhiem-ky/xem/", term.term_web, name="term_web"),
    path("nhiem-ky/<int:pk>/", term.term_job, name="term_job"),
    path("nhiem-ky/<int:pk>/tai-ve/", term.term_download, name="term_download"),
    path("nhiem-ky/<int:pk>/tien-do/", term.term_progress, name="term_progress"),
]
