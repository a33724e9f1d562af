"""The plans' pages: registers, a plan and its items, the items' steps, coordination."""

from django.urls import path

from .views import plans

urlpatterns = [
    path("ke-hoach/", plans.plan_list, name="plan_list"),
    path("ke-hoach/them/", plans.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/them-noi-dung/", plans.plan_item_create, name="plan_item_create"),
    path("noi-dung/", plans.plan_item_list, name="plan_item_list"),
    path("noi-dung/<int:pk>/sua/", plans.plan_item_update, name="plan_item_update"),
    path("noi-dung/<int:pk>/duyet/", plans.plan_item_approve, name="plan_item_approve"),
    path("noi-dung/<int:pk>/huy/", plans.plan_item_cancel, name="plan_item_cancel"),
    path("noi-dung/<int:pk>/mo-lai/", plans.plan_item_reopen, name="plan_item_reopen"),
    path("phoi-hop/", plans.coordination, name="coordination"),
]
