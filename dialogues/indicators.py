"""(to be written) the dialogues app's indicators registration."""


def register() -> None:
    """Register with the kernel's registry (nothing yet)."""
