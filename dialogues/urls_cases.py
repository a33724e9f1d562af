"""The public-opinion cases' pages and a unit's page (under /dan-van/)."""

from django.urls import path

from .views import cases

urlpatterns = [
    path("vu-viec/", cases.case_list, name="case_list"),
    path("vu-viec/them/", cases.case_create, name="case_create"),
    path("vu-viec/<int:pk>/", cases.case_detail, name="case_detail"),
    path("vu-viec/<int:pk>/giao/", cases.case_assign, name="case_assign"),
    path("vu-viec/<int:pk>/giao-lai/", cases.case_reassign, name="case_reassign"),
    path("vu-viec/<int:pk>/nhan-xu-ly/", cases.case_start, name="case_start"),
    path("vu-viec/<int:pk>/tra-loi/", cases.case_answer, name="case_answer"),
    path("vu-viec/<int:pk>/ket-thuc/", cases.case_close, name="case_close"),
    path("vu-viec/<int:pk>/khong-thuoc-tham-quyen/", cases.case_reject, name="case_reject"),
    path("vu-viec/<int:pk>/chuyen/", cases.case_transfer, name="case_transfer"),
    path("vu-viec/<int:pk>/mo-lai/", cases.case_reopen, name="case_reopen"),
    path("vu-viec/<int:pk>/gop/", cases.case_merge, name="case_merge"),
    path("don-vi/<str:code>/", cases.unit_board, name="unit_board"),
]
