"""The reporting API, mounted at ``/api/v1/reporting/`` (being written)."""

urlpatterns: list = []
