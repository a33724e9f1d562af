"""(to be written) the dialogues app's pickers registration."""


def register() -> None:
    """Register with the kernel's registry (nothing yet)."""
