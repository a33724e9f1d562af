"""The embedded PostgreSQL (pgserver), used when no DATABASE_URL is given.

The data lives in ``var/pgdata`` inside the project, which git ignores. Importing the settings
starts the server when it is not running and leaves it running, so runserver's reloader,
Celery and the test runner share one instance; ``make stop`` stops it.

``make run`` and ``make test`` run their commands through ``run_with_database`` (this file run
as a script): it starts the server, runs the command and, when the command ends (Ctrl+C and
SIGTERM included), stops the server it started. A server that was already running is reused,
with a line that says so, and left running. Commands that share a server started this way
(``make run`` in one terminal, ``make test`` in another) leave it to the last one to stop it.
``make clean-db`` refuses to delete the data folder while the server runs.

The script is run as ``python -P longbien/embedded_db.py run|stop|clean`` and imports nothing
from the project: importing the ``longbien`` package (Celery's app) would set
DJANGO_SETTINGS_MODULE for the commands it runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

# The data folder, relative to the project.
DATA_DIR = Path("var") / "pgdata"


def embedded_database_url(base_dir: Path) -> str:
    """Return a DATABASE_URL for the embedded server, starting it if needed.

    A server started here keeps running after the process exits (see the module's doc).
    """
    data_dir = base_dir / DATA_DIR
    running = server_pid(data_dir) is not None
    url = start(data_dir)
    if not running:
        _say(
            f"PostgreSQL nhúng đã khởi động ({_shown(data_dir)}) và vẫn chạy sau lệnh này: "
            "`make stop` để dừng.",
            err=True,
        )
    return url


def _pgserver() -> ModuleType:
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    return pgserver


def start(data_dir: Path) -> str:
    """Start the server on ``data_dir`` (initialised on first use) unless it runs; its URL."""
    pgdata = data_dir.resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    # Not get_server(): it hands back the handle this process had, even once that server stopped.
    server = _pgserver().PostgresServer(pgdata, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@/postgres?host={socket_dir}"


def server_pid(data_dir: Path) -> int | None:
    """The PID of the postmaster running on ``data_dir``, or None.

    ``postmaster.pid`` outlives a server that was killed or a machine that was switched off:
    its PID counts only while it is a ``postgres`` process started on this folder (the PID
    may since have gone to any other process, the machine's own PostgreSQL included).
    """
    import psutil

    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
        process = psutil.Process(pid)
        if process.name() != "postgres":
            return None
        arguments = process.cmdline()
    except (OSError, ValueError, psutil.NoSuchProcess):
        return None
    except psutil.AccessDenied:
        return pid  # another user's postgres that names this PID: assume it is the server
    target = data_dir.resolve()
    for argument in arguments:  # postgres -D <folder> -k <socket folder> …
        path = argument.removeprefix("-D")
        if os.path.isabs(path) and Path(path).resolve() == target:
            return pid
    return None


def stop(data_dir: Path) -> int | None:
    """Stop the server on ``data_dir`` (fast shutdown); the PID it had, or None if not running."""
    pid = server_pid(data_dir)
    if pid is None:
        return None
    # pg_ctl refuses to run as root: pgserver runs the server as the folder's owner (`pgserver`).
    user = data_dir.owner() if os.geteuid() == 0 else None
    try:
        _pgserver().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user, timeout=90)
    except subprocess.CalledProcessError:
        if server_pid(data_dir) is not None:
            raise
    return pid


def clean(data_dir: Path) -> int:
    """Delete the data folder (``make clean-db``): exit status 1, and nothing deleted, if it runs."""
    pid = server_pid(data_dir)
    if pid is not None:
        _say(
            f"PostgreSQL nhúng đang chạy trên {_shown(data_dir)} (PID {pid}): không xóa dữ liệu "
            "của một cơ sở dữ liệu đang chạy. Dừng `make run`/`make test` (Ctrl+C) hoặc chạy "
            "`make stop`, rồi chạy lại `make clean-db`.",
            err=True,
        )
        return 1
    shutil.rmtree(data_dir, ignore_errors=True)
    _users_file(data_dir).unlink(missing_ok=True)
    _say(f"Đã xóa {_shown(data_dir)}.")
    return 0


# The commands using a server: run_with_database ------------------------------------------------


def _users_file(data_dir: Path) -> Path:
    return data_dir.with_name(data_dir.name + ".users.json")


def _this_process() -> dict[str, Any]:
    import psutil

    return {"pid": os.getpid(), "since": psutil.Process().create_time()}


def _alive(user: Any) -> bool:
    import psutil

    try:
        return bool(psutil.Process(int(user["pid"])).create_time() == user["since"])
    except (TypeError, KeyError, ValueError, psutil.Error):
        return False


@contextlib.contextmanager
def _users(data_dir: Path) -> Iterator[dict[str, Any]]:
    """Read and rewrite, under a lock, who uses the server: {"stop": bool, "users": [...]}.

    "stop" is set when one of them started the server: the last to end stops it. A command
    that ended without saying so (killed) is dropped.
    """
    path = _users_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(data_dir.with_name(data_dir.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state = json.loads(path.read_text())
        except (OSError, ValueError):
            state = {}
        if not isinstance(state, dict):
            state = {}
        users = [user for user in state.get("users", []) if _alive(user)]
        current = {"stop": bool(state.get("stop")) and bool(users), "users": users}
        yield current
        if current["users"]:
            path.write_text(json.dumps(current))
        else:
            path.unlink(missing_ok=True)


class _Signals:
    """While a command runs: Ctrl+C is left to it, SIGTERM and SIGHUP are passed on to it.

    Ctrl+C reaches the whole foreground process group, the command included, so this process
    only waits for the command to end. SIGTERM and SIGHUP usually reach the group as well
    (a closed terminal, ``kill -TERM -<pgid>``); sent to this process alone, they are passed
    on, after a short grace, to the command and every process under it (a shell's current
    command too), so that none of them is signalled twice.
    """

    GRACE = 2.0  # seconds

    def __init__(self) -> None:
        self.child: subprocess.Popen[bytes] | None = None
        self.terminated: float | None = None
        self.targets: list[Any] | None = None
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> _Signals:
        for number, handler in (
            (signal.SIGINT, self._ignore),
            (signal.SIGTERM, self._terminate),
            (signal.SIGHUP, self._terminate),
        ):
            self.previous[number] = signal.signal(number, handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)

    def _ignore(self, number: int, frame: FrameType | None) -> None:
        pass

    def _terminate(self, number: int, frame: FrameType | None) -> None:
        import psutil

        if self.terminated is not None or self.child is None:
            self.terminated = self.terminated or time.monotonic()
            return
        self.terminated = time.monotonic()
        try:  # now, while the processes under a shell still have it as their parent
            parent = psutil.Process(self.child.pid)
            self.targets = [parent, *parent.children(recursive=True)]
        except psutil.Error:
            self.targets = []

    def wait(self, command: Sequence[str]) -> int:
        """Run the command and wait for it to end; its exit status."""
        import psutil

        if self.terminated is not None:
            return -signal.SIGTERM
        self.child = subprocess.Popen(command)  # noqa: S603 (the Makefile's command)
        while True:
            try:
                return self.child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
            if self.targets and time.monotonic() - (self.terminated or 0) > self.GRACE:
                for process in self.targets:
                    with contextlib.suppress(psutil.Error):
                        process.terminate()
                self.targets = []


def run_with_database(data_dir: Path, command: Sequence[str]) -> int:
    """Run ``command`` with the server on ``data_dir`` running; its exit status.

    The server is started if it does not run, and then stopped when the command ends (by
    the last of the commands that share it). One that was running already is left running.
    """
    me = _this_process()
    shown = _shown(data_dir)
    with _Signals() as signals:
        with _users(data_dir) as users:
            pid = server_pid(data_dir)
            if pid is None:
                try:
                    start(data_dir)
                except BaseException:
                    stop(data_dir)  # a start cut short (Ctrl+C) leaves no server behind
                    raise
                users["stop"] = True
                _say(f"Đã khởi động PostgreSQL nhúng ({shown}); nó dừng khi lệnh này kết thúc.")
            elif users["stop"]:
                others = ", ".join(str(user["pid"]) for user in users["users"])
                _say(
                    f"Dùng chung PostgreSQL nhúng đang chạy ({shown}, PID {pid}) với lệnh đang "
                    f"chạy (PID {others}); nó dừng khi lệnh cuối cùng kết thúc."
                )
            else:
                _say(
                    f"Dùng lại PostgreSQL nhúng đang chạy ({shown}, PID {pid}); nó vẫn chạy "
                    "sau lệnh này: `make stop` để dừng."
                )
            users["users"].append(me)
        try:
            returncode = signals.wait(command)
        finally:
            with _users(data_dir) as users:
                users["users"] = [user for user in users["users"] if user != me]
                others = ", ".join(str(user["pid"]) for user in users["users"])
                if server_pid(data_dir) is None:
                    pass  # stopped meanwhile (make stop)
                elif not users["stop"]:
                    _say(f"PostgreSQL nhúng ({shown}) vẫn chạy: `make stop` để dừng.")
                elif others:
                    _say(
                        f"PostgreSQL nhúng ({shown}) vẫn chạy cho lệnh đang dùng nó (PID {others}); "
                        "nó dừng khi lệnh cuối cùng kết thúc."
                    )
                elif stop(data_dir) is not None:
                    _say(f"Đã dừng PostgreSQL nhúng ({shown}).")
    return 128 - returncode if returncode < 0 else returncode


# The script: make run / test / stop / clean-db -------------------------------------------------


def _shown(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _say(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


USAGE = "python -P longbien/embedded_db.py run -- COMMAND… | stop | clean"


def main(arguments: Sequence[str]) -> int:
    data_dir = Path(__file__).resolve().parent.parent / DATA_DIR
    if len(arguments) > 2 and arguments[:2] == ["run", "--"]:
        command = list(arguments[2:])
        if os.environ.get("DATABASE_URL"):  # another server: nothing to start or stop
            os.execvp(command[0], command)  # noqa: S606
        return run_with_database(data_dir, command)
    if list(arguments) == ["stop"]:
        pid = stop(data_dir)
        if pid is None:
            _say(f"PostgreSQL nhúng ({_shown(data_dir)}) không chạy.")
        else:
            _say(f"Đã dừng PostgreSQL nhúng ({_shown(data_dir)}, PID {pid}).")
        return 0
    if list(arguments) == ["clean"]:
        return clean(data_dir)
    _say(USAGE, err=True)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
