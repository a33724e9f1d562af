"""The dialogues app's pages: dialogues and commitments, public-opinion cases."""

from .urls_cases import urlpatterns as case_patterns
from .urls_dialogues import urlpatterns as dialogue_patterns

app_name = "dialogues"

urlpatterns = [*dialogue_patterns, *case_patterns]
