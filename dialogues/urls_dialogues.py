"""The pages of the dialogues with citizens and their commitments."""

from django.urls import path

from .views import dialogues as views

urlpatterns = [
    path("doi-thoai/", views.dialogue_list, name="dialogue_list"),
    path("doi-thoai/them/", views.dialogue_create, name="dialogue_create"),
    path("doi-thoai/<int:pk>/", views.dialogue_detail, name="dialogue_detail"),
    path("doi-thoai/<int:pk>/sua/", views.dialogue_update, name="dialogue_update"),
    path("doi-thoai/<int:pk>/y-kien/them/", views.dialogue_issue_add, name="dialogue_issue_add"),
    path("cam-ket/", views.commitment_list, name="commitment_list"),
    path("cam-ket/<int:pk>/bao-cao/", views.commitment_report, name="commitment_report"),
]
