"""The pages of inspection and supervision records, follow-ups and discipline decisions."""

from django.urls import path

from .views import records as views

urlpatterns = [
    path("cuoc/", views.inspection_list, name="inspection_list"),
    path("cuoc/them/", views.inspection_create, name="inspection_create"),
    path("cuoc/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("cuoc/<int:pk>/sua/", views.inspection_update, name="inspection_update"),
    path("cuoc/<int:pk>/bat-dau/", views.inspection_start, name="inspection_start"),
    path("cuoc/<int:pk>/ket-luan/", views.inspection_conclude, name="inspection_conclude"),
    path("cuoc/<int:pk>/ket-thuc/", views.inspection_close, name="inspection_close"),
    path("cuoc/<int:pk>/kien-nghi/them/", views.follow_up_create, name="follow_up_create"),
    path("kien-nghi/", views.follow_up_list, name="follow_up_list"),
    path("kien-nghi/bang/", views.follow_up_board, name="follow_up_board"),
    path("kien-nghi/<int:pk>/hoan-thanh/", views.follow_up_complete, name="follow_up_complete"),
    path("ky-luat/", views.discipline_list, name="discipline_list"),
    path("ky-luat/them/", views.discipline_create, name="discipline_create"),
    path("ky-luat/<int:pk>/", views.discipline_detail, name="discipline_detail"),
]
