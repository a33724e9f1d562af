"""The confidential cases' pages (only the inspection role; everyone else: 404)."""

from django.urls import path

from .views import cases

urlpatterns = [
    path("don/", cases.case_list, name="case_list"),
    path("don/them/", cases.case_create, name="case_create"),
    path("don/<int:pk>/", cases.case_detail, name="case_detail"),
    path("don/<int:pk>/sua/", cases.case_update, name="case_update"),
    path("don/<int:pk>/thu-ly/", cases.case_accept, name="case_accept"),
    path("don/<int:pk>/khong-thu-ly/", cases.case_reject, name="case_reject"),
    path("don/<int:pk>/xac-minh/", cases.case_verify, name="case_verify"),
    path("don/<int:pk>/ket-luan/", cases.case_conclude, name="case_conclude"),
    path("don/<int:pk>/ket-thuc/", cases.case_close, name="case_close"),
    path("don/<int:pk>/gia-han/", cases.case_extend, name="case_extend"),
    path("thoi-han-giai-quyet/", cases.time_limits, name="time_limits"),
    path("nhat-ky-truy-cap/", cases.access_log, name="access_log"),
]
