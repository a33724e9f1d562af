"""(to be written) the inspections app's person_sections registration."""


def register() -> None:
    """Register with the kernel's registry (nothing yet)."""
