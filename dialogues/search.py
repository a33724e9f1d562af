"""(to be written) the dialogues app's search registration."""


def register() -> None:
    """Register with the kernel's registry (nothing yet)."""
