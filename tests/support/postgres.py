"""A throwaway PostgreSQL server for tests, from the machine's own server binaries.

:func:`running_postgres` starts a fresh cluster in a temporary directory, listening on
a free loopback port with trust authentication and durability turned off (a test
database need not survive a crash), and removes it all on exit::

    with running_postgres() as server:
        url = server.create_database("team")  # postgresql+psycopg://postgres@127.0.0.1:…/team

The binaries are the newest under ``/usr/lib/postgresql/*/bin`` (Debian's layout), or
those in the folder ``INTERLOCK_PG_BIN`` names. ``initdb`` refuses to run as root, so a
root test run starts the server as the ``postgres`` user. :func:`postgres_missing_reason`
says why a server cannot be started here, for a test to skip with.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

PG_BIN_VARIABLE = "INTERLOCK_PG_BIN"
"""Names a folder holding ``initdb``, ``pg_ctl`` and ``postgres``, in place of the search."""
PG_ROOT = Path("/usr/lib/postgresql")
"""Where Debian installs each major version's server binaries, under ``N/bin``."""
SERVER_USER = "postgres"
"""The user a root test run starts the server as (Debian's package creates it)."""
SUPERUSER = "postgres"
"""The cluster's superuser, which every URL connects as (trust authentication)."""

_PROGRAMS = ("initdb", "pg_ctl", "postgres")
_DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_START_TIMEOUT = 60
"""Seconds ``pg_ctl`` waits for the server to accept connections (or to stop)."""
_WAIT = ("-w", "-t", str(_START_TIMEOUT))
"""pg_ctl's switches to wait for the server to be up (or down) before returning."""
_PORT_ATTEMPTS = 3
"""How many freshly picked ports a start tries when another process takes the port."""
_LOG_LINES = 20
"""How many of the log's last lines an error quotes."""
_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
}


def pg_bin_dir() -> Path | None:
    """The folder of the server binaries: ``$INTERLOCK_PG_BIN`` when set (whether or not
    it holds them), else the newest ``/usr/lib/postgresql/N/bin`` with an ``initdb``, else
    ``None``."""
    named = os.environ.get(PG_BIN_VARIABLE)
    if named:
        return Path(named)
    found = [
        path.parent for path in PG_ROOT.glob("*/bin/initdb") if path.parent.parent.name.isdigit()
    ]
    if not found:
        return None
    return max(found, key=lambda folder: int(folder.parent.name))


def postgres_missing_reason() -> str | None:
    """Why a PostgreSQL server cannot be started here, or ``None`` when it can.

    It can when ``initdb``, ``pg_ctl`` and ``postgres`` are found (see :func:`pg_bin_dir`)
    and, in a root test run, the ``postgres`` user exists to run them.
    """
    folder = pg_bin_dir()
    if folder is None:
        return (
            f"PostgreSQL server binaries not found under {PG_ROOT}/*/bin; install the "
            f"postgresql package (.ci/run does) or set {PG_BIN_VARIABLE} to their folder"
        )
    return _missing_in(folder)


def _missing_in(folder: Path) -> str | None:
    """Why the binaries in ``folder`` cannot start a server here, or ``None``."""
    absent = [name for name in _PROGRAMS if not os.access(folder / name, os.X_OK)]
    if absent:
        return (
            f"PostgreSQL server binaries {', '.join(absent)} not found in {folder}; install "
            f"the postgresql package (.ci/run does) or set {PG_BIN_VARIABLE} to their folder"
        )
    if os.geteuid() == 0 and _server_account() is None:
        return (
            f"running as root, and initdb refuses root, but there is no {SERVER_USER!r} user "
            "to run the server as; install the postgresql package, which creates it"
        )
    return None


def _server_account() -> pwd.struct_passwd | None:
    """The ``postgres`` user's account, or ``None`` when there is none."""
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        return None


def _free_port() -> int:
    """A loopback TCP port nothing listens on now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _last_lines(text: str, count: int = _LOG_LINES) -> str:
    """The last ``count`` non-blank lines of ``text``, indented for an error message."""
    lines = [line for line in text.splitlines() if line.strip()][-count:]
    return "\n".join(f"    {line}" for line in lines) or "    (empty)"


class PostgresServer:
    """One PostgreSQL cluster in a temporary directory, for the life of a test or session.

    :meth:`start` creates and starts it; :meth:`stop` stops it and removes the directory.
    It is also a context manager doing both. Every database is reached as the
    ``postgres`` superuser over ``127.0.0.1:port`` without a password.
    """

    def __init__(self, bin_dir: Path | None = None) -> None:
        """Use the binaries in ``bin_dir``, or those :func:`pg_bin_dir` finds."""
        folder = bin_dir or pg_bin_dir()
        if folder is None:
            raise RuntimeError(postgres_missing_reason() or "no PostgreSQL server binaries")
        self.bin_dir = folder
        self.port = 0
        self.root: Path | None = None
        """The temporary directory holding the cluster, its socket and its log."""
        self._account = _server_account() if os.geteuid() == 0 else None
        self._running = False

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory (inside :attr:`root`)."""
        return self._root() / "data"

    @property
    def log_file(self) -> Path:
        """The server's log, quoted by the error when it fails to start."""
        return self._root() / "server.log"

    def _root(self) -> Path:
        """:attr:`root`, which only a started server has."""
        if self.root is None:
            raise RuntimeError("the PostgreSQL server has not been started")
        return self.root

    def start(self) -> None:
        """Create a cluster in a fresh temporary directory and start it.

        Raises ``RuntimeError`` (quoting the last lines of initdb's output or of the
        server's log) when either fails; the directory is removed first.
        """
        if self.root is not None:
            raise RuntimeError(f"the PostgreSQL server in {self.root} is already started")
        reason = _missing_in(self.bin_dir)
        if reason is not None:
            raise RuntimeError(reason)
        # Under /tmp (world-traversable) rather than $TMPDIR, which the server user
        # may not be able to reach when it lies in root's home.
        self.root = Path(tempfile.mkdtemp(prefix="interlock-pg-", dir="/tmp"))
        try:
            if self._account is not None:
                os.chown(self.root, self._account.pw_uid, self._account.pw_gid)
            self._initdb()
            self._configure()
            self._pg_ctl_start()
        except BaseException:
            self._remove()
            raise

    def _initdb(self) -> None:
        """Create the cluster: superuser ``postgres``, trusted, UTF-8, C locale."""
        done = self._run(
            "initdb",
            [
                *("-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust"),
                *("--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"),
            ],
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"initdb failed (exit {done.returncode}) in {self.data_dir}; its output "
                f"ends:\n{_last_lines(done.stdout)}"
            )

    def _configure(self) -> None:
        """Pick a free port and append this run's settings to ``postgresql.conf`` (where
        a later line overrides an earlier one, so a second call moves the port)."""
        self.port = _free_port()
        settings = {
            **_SETTINGS,
            "port": str(self.port),
            "unix_socket_directories": str(self._root()),
        }
        lines = "".join(f"{name} = '{value}'\n" for name, value in settings.items())
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# Test server settings\n" + lines)

    def _pg_ctl_start(self) -> None:
        """Start the server and wait until it accepts connections.

        The port was free when picked, but another process may take it before the
        server binds it; the server then tries a newly picked port, up to
        :data:`_PORT_ATTEMPTS` ports in all.
        """
        for attempt in range(1, _PORT_ATTEMPTS + 1):
            done = self._run(
                "pg_ctl",
                ["-D", str(self.data_dir), "-l", str(self.log_file), *_WAIT, "start"],
            )
            if done.returncode == 0:
                self._running = True
                return
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            if "could not bind" not in log or attempt == _PORT_ATTEMPTS:
                raise RuntimeError(
                    f"PostgreSQL did not start on 127.0.0.1:{self.port} (pg_ctl exit "
                    f"{done.returncode}):\n{_last_lines(done.stdout)}\nIts log ended:\n"
                    f"{_last_lines(log)}"
                )
            self._configure()

    def stop(self) -> None:
        """Stop the server at once (no checkpoint) and remove its directory.

        Does nothing when it was never started; safe to call twice.
        """
        if self.root is None:
            return
        try:
            if self._running:
                done = self._run(
                    "pg_ctl",
                    ["-D", str(self.data_dir), "-m", "immediate", *_WAIT, "stop"],
                )
                if done.returncode != 0:
                    self._kill_postmaster()
        finally:
            self._running = False
            self._remove()

    def _kill_postmaster(self) -> None:
        """Kill the server this object started, by the pid in its ``postmaster.pid``,
        when that process is still a server of this data directory."""
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid_file = self.data_dir / "postmaster.pid"
            pid = int(pid_file.read_text().splitlines()[0])
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if os.fsencode(str(self.data_dir)) not in command:
                return
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while pid_file.exists() and time.monotonic() < deadline:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)
                os.kill(pid, 0)  # raises once the process is gone
                time.sleep(0.05)

    def _remove(self) -> None:
        """Remove the temporary directory, cluster, socket and log alike."""
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server (which need not exist yet)."""
        if not self._running:
            raise RuntimeError("the PostgreSQL server is not running")
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create the empty database ``name`` and return its SQLAlchemy URL.

        ``name`` is a plain lower-case identifier (letters, digits, ``_``), so it needs
        no quoting in SQL or in the URL.
        """
        if not _DATABASE_NAME.fullmatch(name):
            raise ValueError(
                f"database name {name!r} is not a lower-case identifier of at most 63 "
                "characters (letters, digits and _ , not starting with a digit)"
            )
        url = self.url(name)
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return url

    def _run(self, program: str, arguments: Sequence[str]) -> subprocess.CompletedProcess[str]:
        """Run one of the server binaries (as the server user in a root run), with output
        (stdout and stderr together) captured, from inside :attr:`root`."""
        command = [str(self.bin_dir / program), *arguments]
        # PG* variables (PGDATA, PGPORT, PGHOST...) of the caller would steer the tools.
        environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        account = self._account
        if account is not None:
            environment.update(HOME=account.pw_dir, USER=SERVER_USER, LOGNAME=SERVER_USER)
        return subprocess.run(
            command,
            cwd=self._root(),
            env=environment,
            # Switched in the child, before exec; no supplementary groups of root's kept.
            user=None if account is None else account.pw_uid,
            group=None if account is None else account.pw_gid,
            extra_groups=None if account is None else [],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=2 * _START_TIMEOUT,
            check=False,
        )

    def __enter__(self) -> PostgresServer:
        """Start the server (see :meth:`start`)."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the server and remove its directory (see :meth:`stop`)."""
        self.stop()


@contextmanager
def running_postgres(bin_dir: Path | None = None) -> Iterator[PostgresServer]:
    """A started :class:`PostgresServer`, stopped and removed on exit."""
    server = PostgresServer(bin_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()
