"""The embedded PostgreSQL's lifecycle (longbien/embedded_db.py): `make run` / `make test` stop
the server they started (Ctrl+C and SIGTERM included) and leave one that was running;
`make clean-db` refuses while a server runs; a stale postmaster.pid is not a running server.

The first tests fake the postmaster (a process named `postgres` naming the folder); the last
ones start a real pgserver in a temporary folder (a few seconds, initdb included).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from longbien import embedded_db
from longbien.embedded_db import clean, run_with_database, server_pid, start, stop

ROOT = Path(__file__).resolve().parents[2]


def write_postmaster_pid(data_dir: Path, pid: int) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    lines = [str(pid), str(data_dir), "1796025098", "5432", str(data_dir), "", "2146661 9", "ready"]
    (data_dir / "postmaster.pid").write_text("\n".join(lines) + "\n")


@pytest.fixture
def fake_postgres(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start processes named `postgres` (a Python sleeping) with the given arguments."""
    binary = tmp_path / "bin" / "postgres"
    binary.parent.mkdir()
    binary.symlink_to(os.path.realpath(sys.executable))
    started: list[subprocess.Popen[bytes]] = []

    def run(*arguments: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([str(binary), "-c", "import time; time.sleep(60)", *arguments])
        started.append(process)
        for _ in range(100):  # until the process is named and its arguments readable
            if psutil.Process(process.pid).cmdline()[-len(arguments) :] == list(arguments):
                break
            time.sleep(0.02)
        assert psutil.Process(process.pid).name() == "postgres"
        return process

    yield run
    for process in started:
        process.kill()
        process.wait()


def test_no_postmaster_pid_is_no_server(tmp_path):
    assert server_pid(tmp_path / "pgdata") is None
    (tmp_path / "pgdata").mkdir()
    assert server_pid(tmp_path / "pgdata") is None
    (tmp_path / "pgdata" / "postmaster.pid").write_text("")
    assert server_pid(tmp_path / "pgdata") is None


def test_a_stale_postmaster_pid_is_no_server(tmp_path):
    """A server killed (or a machine switched off) leaves its postmaster.pid behind."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    write_postmaster_pid(tmp_path / "pgdata", ended.pid)
    assert server_pid(tmp_path / "pgdata") is None


def test_a_pid_taken_by_another_process_is_no_server(tmp_path, fake_postgres):
    data_dir = tmp_path / "pgdata"
    write_postmaster_pid(data_dir, os.getpid())  # alive, but not postgres
    assert server_pid(data_dir) is None
    other = fake_postgres("-D", str(tmp_path / "other"))  # a postgres, of another folder
    write_postmaster_pid(data_dir, other.pid)
    assert server_pid(data_dir) is None


def test_a_postgres_on_the_folder_is_a_running_server(tmp_path, fake_postgres):
    data_dir = tmp_path / "pgdata"
    postmaster = fake_postgres("-D", str(data_dir), "-h", "", "-k", str(data_dir))
    write_postmaster_pid(data_dir, postmaster.pid)
    assert server_pid(data_dir) == postmaster.pid
    # The folder as another path names it (pg_ctl's -D/folder too).
    (tmp_path / "link").symlink_to(tmp_path)
    assert server_pid(tmp_path / "link" / "pgdata") == postmaster.pid


def test_clean_db_refuses_while_the_server_runs(tmp_path, fake_postgres, capsys):
    data_dir = tmp_path / "pgdata"
    postmaster = fake_postgres(f"-D{data_dir}")
    write_postmaster_pid(data_dir, postmaster.pid)

    assert clean(data_dir) == 1
    assert (data_dir / "postmaster.pid").exists()
    assert f"PID {postmaster.pid}" in capsys.readouterr().err

    postmaster.kill()
    postmaster.wait()
    assert clean(data_dir) == 0  # the folder of a server that is gone
    assert not data_dir.exists()


def test_make_stop_and_clean_db_go_through_the_script():
    makefile = (ROOT / "Makefile").read_text()
    assert "clean-db: install\n\t@$(EMBEDDED_DB) clean\n" in makefile
    assert "stop: install\n\t@$(EMBEDDED_DB) stop\n" in makefile
    assert "EMBEDDED_DB := $(PY) -P longbien/embedded_db.py\n" in makefile
    assert "run: install\n\t@$(WITH_DB) " in makefile
    assert "test: install\n\t@$(WITH_DB) " in makefile
    # The script imports nothing from the project (which would set DJANGO_SETTINGS_MODULE).
    assert "from longbien" not in (ROOT / "longbien" / "embedded_db.py").read_text()


# A real server ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def initialised() -> Iterator[Path]:
    """A data folder initialised once (initdb), the server stopped.

    Not under pytest's temporary folder: as root, the server runs as the user `pgserver`, and
    every pytest session makes that folder private again.
    """
    folder = Path(tempfile.mkdtemp(prefix="longbien-embedded-"))
    data_dir = folder / "pgdata"
    try:
        start(data_dir)
        stop(data_dir)
        yield data_dir
    finally:
        stop(data_dir)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def data_dir(initialised: Path) -> Iterator[Path]:
    assert server_pid(initialised) is None
    yield initialised
    stop(initialised)
    embedded_db._users_file(initialised).unlink(missing_ok=True)


def postgres_processes(data_dir: Path) -> list[int]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        arguments = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and str(data_dir.resolve()) in arguments:
            found.append(process.pid)
    return found


def test_a_command_runs_with_the_server_it_started_and_stops_it(data_dir, capsys):
    check = "import os, sys; os.kill(int(open(sys.argv[1]).readline()), 0); sys.exit(3)"
    command = [sys.executable, "-c", check, str(data_dir / "postmaster.pid")]

    assert run_with_database(data_dir, command) == 3  # the server ran, the status passes on

    assert "Đã khởi động PostgreSQL nhúng" in capsys.readouterr().out
    assert server_pid(data_dir) is None
    assert postgres_processes(data_dir) == []
    assert not embedded_db._users_file(data_dir).exists()


def test_a_running_server_is_reused_and_left_running(data_dir, capsys):
    start(data_dir)
    pid = server_pid(data_dir)
    assert pid is not None

    assert run_with_database(data_dir, [sys.executable, "-c", "pass"]) == 0

    assert "Dùng lại PostgreSQL nhúng đang chạy" in capsys.readouterr().out
    assert server_pid(data_dir) == pid
    assert stop(data_dir) == pid  # make stop
    assert server_pid(data_dir) is None
    assert postgres_processes(data_dir) == []


def test_a_shared_server_is_stopped_by_the_last_command(data_dir, capsys):
    start(data_dir)
    # Another command started it and still runs; a third one was killed.
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    try:
        other = {"pid": running.pid, "since": psutil.Process(running.pid).create_time()}
        gone = {"pid": killed.pid, "since": 1.0}
        users = {"stop": True, "users": [other, gone]}
        embedded_db._users_file(data_dir).write_text(json.dumps(users))

        assert run_with_database(data_dir, [sys.executable, "-c", "pass"]) == 0

        assert "Dùng chung PostgreSQL nhúng" in capsys.readouterr().out
        assert server_pid(data_dir) is not None  # the other command still uses it
        users = json.loads(embedded_db._users_file(data_dir).read_text())
        assert users == {"stop": True, "users": [other]}
    finally:
        running.kill()
        running.wait()


DRIVER = """
import sys
import tempfile
from pathlib import Path
from longbien.embedded_db import run_with_database
sys.exit(run_with_database(Path(sys.argv[1]), sys.argv[2:]))
"""
# The command: writes its PID, then waits to be stopped.
SLEEPER = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(60)"


def start_driver(data_dir: Path, marker: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`make run` in its own process group: this module's runner around a sleeping command."""
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(data_dir), sys.executable, "-c", SLEEPER, str(marker)],
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(600):
        if marker.exists() and marker.read_text():
            return driver, int(marker.read_text())
        assert driver.poll() is None, "the runner ended before its command started"
        time.sleep(0.05)
    driver.kill()
    raise AssertionError("the command never started")


@pytest.mark.parametrize(
    ("to_the_group", "number", "status"),
    [(True, signal.SIGINT, 130), (False, signal.SIGTERM, 143)],
    ids=["ctrl-c-to-the-process-group", "sigterm-to-the-runner-alone"],
)
def test_stopping_the_command_stops_its_server(data_dir, tmp_path, to_the_group, number, status):
    driver, command_pid = start_driver(data_dir, tmp_path / "started")
    try:
        assert server_pid(data_dir) is not None
        if to_the_group:
            os.killpg(driver.pid, number)  # Ctrl+C: the terminal signals the whole group
        else:
            driver.send_signal(number)  # passed on to the command after a short grace
        assert driver.wait(timeout=60) == status
    finally:
        if driver.poll() is None:
            os.killpg(driver.pid, signal.SIGKILL)
    assert not psutil.pid_exists(command_pid) or psutil.Process(command_pid).status() == "zombie"
    assert server_pid(data_dir) is None
    assert postgres_processes(data_dir) == []
