from django.urls import path

from . import views

app_name = "cadres"
urlpatterns = [
    path("", views.evaluation_list, name="evaluation_list"),
    path("them/", views.evaluation_create, name="evaluation_create"),
    path("bang-duyet/", views.evaluation_grid, name="evaluation_grid"),
    path("phan-bo/", views.distribution, name="distribution"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/tu-danh-gia/", views.evaluation_self_assess, name="evaluation_self_assess"),
    path("<int:pk>/nhan-xet/", views.evaluation_assess, name="evaluation_assess"),
    path("<int:pk>/phe-duyet/", views.evaluation_approve, name="evaluation_approve"),
    path("<int:pk>/tra-lai/", views.evaluation_return, name="evaluation_return"),
    path("<int:pk>/dieu-chinh/", views.evaluation_revise, name="evaluation_revise"),
    path("can-bo/<int:pk>/", views.person_history, name="person_history"),
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/them/", views.decision_create, name="decision_create"),
    path("sat-hach/", views.test_list, name="test_list"),
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("cong-khai/<str:code>/", views.public_plans, name="public_plans"),
    path("phan-cong/", views.assignment_list, name="assignment_list"),
    path("boi-duong/", views.training_list, name="training_list"),
]
