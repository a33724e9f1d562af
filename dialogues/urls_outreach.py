"""The pages around the cases: social critique and thematic supervision (Decision 217) with
their recommendations, feedback on building the Party and government (Decision 218), citizen
reception sessions, and the "skilful mass mobilisation" models."""

from django.urls import path

from .views import critiques, receptions

urlpatterns = [
    path("phan-bien/", critiques.critique_list, name="critique_list"),
    path("phan-bien/them/", critiques.critique_create, name="critique_create"),
    path("phan-bien/<int:pk>/", critiques.critique_detail, name="critique_detail"),
    path("phan-bien/<int:pk>/sua/", critiques.critique_update, name="critique_update"),
    path("phan-bien/<int:pk>/kien-nghi/them/", critiques.recommendation_add,
         name="recommendation_add"),
    path("kien-nghi/<int:pk>/phan-hoi/", critiques.recommendation_respond,
         name="recommendation_respond"),
    path("gop-y/", critiques.feedback_list, name="feedback_list"),
    path("gop-y/them/", critiques.feedback_create, name="feedback_create"),
    path("gop-y/<int:pk>/", critiques.feedback_detail, name="feedback_detail"),
    path("gop-y/<int:pk>/sua/", critiques.feedback_update, name="feedback_update"),
    path("gop-y/<int:pk>/tra-loi/", critiques.feedback_respond, name="feedback_respond"),
    path("tiep-cong-dan/", receptions.reception_list, name="reception_list"),
    path("tiep-cong-dan/them/", receptions.reception_create, name="reception_create"),
    path("tiep-cong-dan/<int:pk>/", receptions.reception_detail, name="reception_detail"),
    path("tiep-cong-dan/<int:pk>/sua/", receptions.reception_update, name="reception_update"),
    path("mo-hinh/", receptions.model_list, name="model_list"),
    path("mo-hinh/them/", receptions.model_create, name="model_create"),
    path("mo-hinh/<int:pk>/", receptions.model_detail, name="model_detail"),
    path("mo-hinh/<int:pk>/sua/", receptions.model_update, name="model_update"),
]  # fmt: skip
