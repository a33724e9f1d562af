"""The production image holds every installed app of the project (no Docker engine here)."""

from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_image_copies_the_whole_project_except_ignored_paths():
    dockerfile = (ROOT / ".ci" / "Dockerfile").read_text()
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".ci" / "Dockerfile.dockerignore").read_text().splitlines()
        if line.strip()
    }
    assert "COPY . ./" in dockerfile
    # Test-only apps (tests/confidential_app, installed by the test settings) are not shipped.
    packages = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if not app.startswith("tests.")
    }
    ours = {name for name in packages if (ROOT / name).is_dir()}
    assert ours >= {"longbien", "resolutions", "cadres"}
    assert not ours & ignored
    assert {".env", ".venv", "var", ".git"} <= ignored
