"""Several worker processes serving one graph that was loaded once: ``aikg serve --workers N``.

The graph (its store and reasoning index) is loaded in this process, which then binds the
listening socket and forks the workers; each runs uvicorn on the shared socket, and the kernel
spreads connections between them. Forked memory is shared copy-on-write, so the workers hold
one copy of the index between them instead of one each, and N workers start as fast as one.
Before the fork the loaded objects are frozen out of the garbage collector (``gc.freeze``): a
collection in a worker then never writes to, and so never copies, the pages of the index.
Reference counts still change on the objects a request reads, so a page a worker reads from
is copied the first time; what a worker copies is measured in README's performance section.

This process only supervises: it forwards SIGINT and SIGTERM to the workers, waits for them,
and forks a replacement for a worker that dies while the others keep serving.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType

__all__ = ["serve_forked"]

_PR_SET_PDEATHSIG = 1  # prctl(2)

#: A worker that dies sooner than this after its start is not restarted (it would die again).
MIN_LIFETIME_S = 5.0


def serve_forked(
    serve_worker: Callable[[socket.socket], None], host: str, port: int, workers: int
) -> int:
    """Fork ``workers`` processes that each call ``serve_worker(sock)``; return when all stop.

    The exit status is 0 after a requested stop, 1 when a worker died too early to restart.
    """
    sock = _listening_socket(host, port)
    gc.collect()
    gc.freeze()  # what is loaded now is shared with the workers, never collected as cycles
    supervisor = _Supervisor(serve_worker, sock)
    print(f"aikg: serving http://{host}:{port} with {workers} workers", file=sys.stderr)
    return supervisor.run(workers)


class _Supervisor:
    """Starts, restarts and stops the worker processes."""

    def __init__(self, serve_worker: Callable[[socket.socket], None], sock: socket.socket) -> None:
        self.serve_worker = serve_worker
        self.sock = sock
        self.started: dict[int, float] = {}  # pid → start time (monotonic)
        self.stopping = False
        self.failed = False

    def run(self, workers: int) -> int:
        previous = {
            signum: signal.signal(signum, self._stop) for signum in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for _ in range(workers):
                self._fork()
            while self.started:
                pid, status = os.wait()
                began = self.started.pop(pid, None)
                if began is None or self.stopping:
                    continue
                code = os.waitstatus_to_exitcode(status)
                if time.monotonic() - began < MIN_LIFETIME_S:
                    print(f"aikg: worker {pid} stopped at start (status {code})", file=sys.stderr)
                    self.failed = True
                    self._stop(signal.SIGTERM, None)
                else:
                    print(
                        f"aikg: worker {pid} stopped (status {code}); starting another",
                        file=sys.stderr,
                    )
                    self._fork()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self.sock.close()
        return 1 if self.failed else 0

    def _fork(self) -> None:
        supervisor = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                for signum in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(signum, signal.SIG_DFL)  # uvicorn installs its own
                _stop_with(supervisor)
                self.serve_worker(self.sock)
            except BaseException as error:  # a worker reports and exits
                print(f"aikg: worker {os.getpid()}: {error}", file=sys.stderr)
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.started[pid] = time.monotonic()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        for pid in self.started:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass  # it is gone already; os.wait reaps it


def _stop_with(supervisor: int) -> None:
    """Have the kernel send this worker SIGTERM when its supervisor dies, however it dies
    (SIGKILL included), so that no worker outlives it still answering on the port (Linux's
    ``PR_SET_PDEATHSIG``; elsewhere nothing is done)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != supervisor:  # it died before the call: nobody will send the signal
        raise SystemExit("the supervisor is gone")


def _listening_socket(host: str, port: int) -> socket.socket:
    """The socket every worker accepts from, bound here so a busy port fails before forking."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock
