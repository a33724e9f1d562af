from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/them/", views.unit_create, name="unit_create"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<str:code>/sua/", views.unit_update, name="unit_update"),
    path("don-vi/<str:code>/giai-the/", views.unit_close, name="unit_close"),
    path("can-bo/", views.person_list, name="person_list"),
    path("can-bo/them/", views.person_create, name="person_create"),
    path("can-bo/<int:pk>/", views.person_detail, name="person_detail"),
    path("can-bo/<int:pk>/sua/", views.person_update, name="person_update"),
    path("can-bo/<int:pk>/chuc-vu/", views.person_position, name="person_position"),
    path("nhiem-ky/", views.term_list, name="term_list"),
    path("nhiem-ky/them/", views.term_create, name="term_create"),
    path("phan-quyen/", views.role_list, name="role_list"),
    path("phan-quyen/<int:pk>/", views.role_user, name="role_user"),
    path("phan-quyen/<int:pk>/thu-hoi/<int:assignment_pk>/", views.role_revoke, name="role_revoke"),
]
