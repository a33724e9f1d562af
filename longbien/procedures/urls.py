from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("them/", views.procedure_create, name="create"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("<int:pk>/sua/", views.procedure_update, name="update"),
]
