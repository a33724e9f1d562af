"""The REST API of the dialogues app (``/api/v1/dialogues/``)."""
