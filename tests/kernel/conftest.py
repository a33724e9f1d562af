import pytest

from longbien.deadlines import recorded_days


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Recorded calendar days are kept briefly in the process; a test's rollback drops its rows."""
    recorded_days.clear()
    yield
    recorded_days.clear()
