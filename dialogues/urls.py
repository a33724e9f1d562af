"""The dialogues app's pages: dialogues and commitments, public-opinion cases, and the work around them."""

from .urls_cases import urlpatterns as case_patterns
from .urls_dialogues import urlpatterns as dialogue_patterns
from .urls_outreach import urlpatterns as outreach_patterns

app_name = "dialogues"

urlpatterns = [*dialogue_patterns, *case_patterns, *outreach_patterns]
