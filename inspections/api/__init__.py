"""The REST API of the inspections app (``/api/v1/inspections/``)."""
