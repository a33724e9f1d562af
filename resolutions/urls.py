from django.urls import path

from . import print_views, views

app_name = "resolutions"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("van-ban/them/", views.document_create, name="document_create"),
    path("van-ban/<int:pk>/", views.document_detail, name="document_detail"),
    path("van-ban/<int:pk>/sua/", views.document_update, name="document_update"),
    path("van-ban/<int:pk>/giao-viec/", views.task_assign, name="task_assign"),
    path("van-ban/<int:pk>/so-ket/", views.review_create, name="review_create"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("qua-han/", views.overdue_board, name="overdue_board"),
    path("qua-han/in/", print_views.overdue_print, name="overdue_print"),
    path("hoi-nghi/", views.conference_list, name="conference_list"),
    path("hoi-nghi/them/", views.conference_create, name="conference_create"),
    path("giao-ban/", views.briefing_list, name="briefing_list"),
    path("giao-ban/them/", views.briefing_create, name="briefing_create"),
    path("giao-ban/<int:pk>/", views.briefing_detail, name="briefing_detail"),
    path(
        "giao-ban/van-de/<int:pk>/giao-viec/", views.briefing_issue_task, name="briefing_issue_task"
    ),
]
