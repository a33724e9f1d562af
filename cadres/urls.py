from django.urls import path

from . import views
from .views import printing

app_name = "cadres"
urlpatterns = [
    path("", views.evaluation_list, name="evaluation_list"),
    path("them/", views.evaluation_create, name="evaluation_create"),
    path("bang-duyet/", views.evaluation_grid, name="evaluation_grid"),
    path("phan-bo/", views.distribution, name="distribution"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/in/", printing.evaluation_print, name="evaluation_print"),
    path("<int:pk>/tu-danh-gia/", views.evaluation_self_assess, name="evaluation_self_assess"),
    path("<int:pk>/nhan-xet/", views.evaluation_assess, name="evaluation_assess"),
    path("<int:pk>/phe-duyet/", views.evaluation_approve, name="evaluation_approve"),
    path("<int:pk>/tra-lai/", views.evaluation_return, name="evaluation_return"),
    path("<int:pk>/dieu-chinh/", views.evaluation_revise, name="evaluation_revise"),
    path(
        "<int:pk>/xep-loai-khong-tu-danh-gia/",
        views.evaluation_rate_unassessed,
        name="evaluation_rate_unassessed",
    ),
    path("can-bo/<int:pk>/", views.person_history, name="person_history"),
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/them/", views.decision_create, name="decision_create"),
    path("sat-hach/", views.test_list, name="test_list"),
    path("sat-hach/them/", views.test_create, name="test_create"),
    path("sat-hach/<int:pk>/", views.test_detail, name="test_detail"),
    path("sat-hach/<int:pk>/nguoi-du/", views.test_add_participants, name="test_add_participants"),
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/them/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/nhan-xet/", views.plan_review, name="plan_review"),
    path("cong-khai/<str:code>/", views.public_plans, name="public_plans"),
    path("phan-cong/", views.assignment_list, name="assignment_list"),
    path("phan-cong/them/", views.assignment_create, name="assignment_create"),
    path("phan-cong/<int:pk>/ket-qua/", views.assignment_result, name="assignment_result"),
    path("boi-duong/", views.training_list, name="training_list"),
    path("boi-duong/them/", views.training_create, name="training_create"),
    path("boi-duong/<int:pk>/", views.training_detail, name="training_detail"),
    path("boi-duong/<int:pk>/hoc-vien/", views.training_enrol, name="training_enrol"),
]
