"""The real lede-searchd for the client's tests.

The paths come from the environment (set by clients/run-tests.sh, which
ctest runs): LEDE_SEARCHD, LEDE_INDEXER and LEDE_SAMPLE (the JSON Lines
file to index). Every daemon runs under `timeout`, so none outlives a test
run that was killed. It runs with --foreground so that our SIGTERM reaches
the daemon once: without it, `timeout` passes a signal on to the daemon and
then to its whole process group, and a second SIGTERM that lands while the
daemon is tearing down its signal handlers kills it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import List, Optional

#: lede-searchd must log its port within this.
START_TIMEOUT_S = 15.0
#: lede-searchd must exit within this after SIGTERM.
STOP_TIMEOUT_S = 10.0
#: `timeout` kills any daemon after this, whatever happens to the test.
DAEMON_LIFETIME_S = 300

SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer")


class FeatureMissing(Exception):
    """lede-searchd refused a config key: the feature is not in this build."""


def env_path(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set (run the tests through clients/run-tests.sh)")
    return value


class Workspace:
    """A temporary directory with the sample indexed into it."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="lede-pyclient-")
        self.index = os.path.join(self.dir, "index")
        subprocess.run([env_path("LEDE_INDEXER"), "--db", self.index, "--quiet",
                        env_path("LEDE_SAMPLE")], check=True, timeout=120)

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


class Daemon:
    """lede-searchd on 127.0.0.1 with a free port: ``Daemon(ws, db, opts)``
    where ``opts`` are ``key=value`` config settings (passed as ``-o``)."""

    _count = 0

    def __init__(self, ws: Workspace, db: Optional[str] = None, opts: List[str] = (),
                 threads: int = 2):
        Daemon._count += 1
        self.log_path = ws.path(f"searchd-{Daemon._count}.log")
        args = ["timeout", "--foreground", "-s", "KILL", str(DAEMON_LIFETIME_S), env_path("LEDE_SEARCHD"),
                "--db", db or ws.index, "--listen", "127.0.0.1:0", "--threads", str(threads),
                "-o", "http_listen=off"]
        for o in opts:
            args += ["-o", o]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        self.port = self._wait_port()

    def _wait_port(self) -> int:
        end = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < end:
            m = re.search(r"\binfo: listening on 127\.0\.0\.1:(\d+)", self.log())
            if m:
                return int(m.group(1))
            if self.proc.poll() is not None:
                unknown = re.search(r"unknown key '([a-z_]+)'", self.log())
                if unknown:
                    raise FeatureMissing(f"lede-searchd refuses the config key '{unknown.group(1)}'")
                raise RuntimeError(f"lede-searchd exited ({self.proc.returncode}):\n{self.log()}")
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"lede-searchd did not log its port:\n{self.log()}")

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        """SIGTERM: the daemon must exit 0 with no sanitizer report."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"lede-searchd did not stop on SIGTERM:\n{self.log()}")
        log = self.log()
        if status != 0 or any(r in log for r in SANITIZER_REPORTS):
            raise AssertionError(f"lede-searchd exited {status}:\n{log[-8000:]}")


class RemoteShard:
    """xapian-tcpsrv serving the sample index, and a stub database that
    points lede-searchd at it (for the unavailable and internal errors)."""

    def __init__(self, ws: Workspace):
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["timeout", "--foreground", "-s", "KILL", str(DAEMON_LIFETIME_S), "xapian-tcpsrv", "--quiet",
             "--interface", "127.0.0.1", "--port", str(self.port), ws.index],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_listening(self.port)
        self.stub = ws.path("remote.stub")
        with open(self.stub, "w") as f:
            f.write(f"remote 127.0.0.1:{self.port}\n")

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int) -> None:
    end = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def make_cert(ws: Workspace, name: str) -> tuple:
    """A throwaway self-signed certificate for 127.0.0.1 and localhost:
    returns (cert path, key path)."""
    cert, key = ws.path(f"{name}.crt"), ws.path(f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    return cert, key
