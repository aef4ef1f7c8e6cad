"""``kg serve``: Oxigraph's own SPARQL 1.1 Protocol server over the graph store.

Read-only (the default), the server reads a snapshot of the store taken when it starts
(RocksDB checkpoint: hard links, no copy), so ``kg build``, ``kg remove`` and ``kg query``
keep working on the store while it serves; restart it to serve later builds. With
``writable`` it runs ``oxigraph serve`` on the store itself, holding the store's write
lock, so nothing else can use the store until it stops.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from kg.errors import StoreError
from kg.store import DEFAULT_WAIT, GraphStore, _Lock, is_store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
SNAPSHOT_TAG = ".serve-"


def oxigraph_command() -> str:
    """The ``oxigraph`` executable (from the ``oxigraph`` package, beside this Python first)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise StoreError("the Oxigraph server is not installed (pip install oxigraph)")
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def snapshot_dirs(store: Path) -> Iterator[tuple[Path, int]]:
    """Snapshot folders kg serve made beside ``store``, with the pid of the server that made them."""
    for d in store.parent.glob(f".{store.name}{SNAPSHOT_TAG}*"):
        pid = d.name[len(f".{store.name}{SNAPSHOT_TAG}"):].split("-", 1)[0]
        if d.is_dir() and pid.isdigit():
            yield d, int(pid)


def remove_stale_snapshots(store: Path) -> list[Path]:
    """Delete the snapshots of servers that are no longer running (killed ones leave theirs)."""
    gone = []
    for d, pid in snapshot_dirs(store):
        if not _alive(pid):
            shutil.rmtree(d, ignore_errors=True)
            gone.append(d)
    return gone


def take_snapshot(store: Path, wait: float = DEFAULT_WAIT) -> Path:
    """A read-only copy of the store beside it (``.<name>.serve-<pid>-*/db``); hard links where it can."""
    holder = Path(tempfile.mkdtemp(prefix=f".{store.name}{SNAPSHOT_TAG}{os.getpid()}-", dir=store.parent))
    try:
        with GraphStore(store, wait=wait) as gs:  # a writer's lock: flushes, and nothing writes meanwhile
            return gs.snapshot(holder / "db")
    except BaseException:
        shutil.rmtree(holder, ignore_errors=True)
        raise


def _set_parent_death_signal() -> None:
    """Linux: the server gets SIGTERM if kg dies, even killed with SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass
class Server:
    """A running Oxigraph server over a store; ``stop()`` ends it and removes its snapshot."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    store: Path
    snapshot: Path | None = None
    writable: bool = False
    lock: _Lock | None = None
    log: deque[str] = field(default_factory=lambda: deque(maxlen=50))

    @property
    def url(self) -> str:
        """The server's base URL (the query page)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint (``/sparql`` is the same)."""
        return f"{self.url}/query"

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL), remove the snapshot, release the lock."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self.snapshot is not None:
            shutil.rmtree(self.snapshot.parent, ignore_errors=True)
            self.snapshot = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Server:
        return self

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _drain(stream: object, log: deque[str], echo: bool) -> None:
    for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
        line = raw.decode("utf-8", "replace").rstrip()
        log.append(line)
        if echo:
            print(f"oxigraph: {line}", file=sys.stderr, flush=True)


def _answers(host: str, port: int) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=1.0)
    try:
        conn.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def check_port_free(host: str, port: int) -> None:
    """StoreError naming the port if something listens there already (another server would answer
    in place of ours, and Oxigraph would stop with a stack trace)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise StoreError(f"port {port} on {host} is in use (another kg serve, or another program): "
                                 "stop it or choose another with --port") from None
            raise StoreError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def start_server(store: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                 writable: bool = False, timeout: float | None = 60.0, ready_within: float = 15.0,
                 wait: float = DEFAULT_WAIT, echo: bool = False) -> Server:
    """Start Oxigraph's server over ``store`` and return once it answers queries (or raise StoreError).

    ``timeout`` limits each query (seconds, rounded up; None for no limit). The default graph
    is the union of the article graphs, as for ``kg query``.
    """
    store = Path(store)
    if not is_store(store):
        raise StoreError(f"no graph store at {store} (kg build PATH -o OUTDIR creates OUTDIR/store)")
    check_port_free(host, port)
    remove_stale_snapshots(store)
    lock: _Lock | None = None
    snapshot: Path | None = None
    if writable:
        lock = _Lock(store, exclusive=True, wait=wait)
        cmd = [oxigraph_command(), "serve", "--location", str(store)]
    else:
        snapshot = take_snapshot(store, wait)
        cmd = [oxigraph_command(), "serve-read-only", "--location", str(snapshot)]
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    cmd += ["--bind", bind, "--union-default-graph"]
    if timeout:
        cmd += ["--timeout-s", str(max(1, math.ceil(timeout)))]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, pass_fds=(lock.fd,) if lock else (),
                                preexec_fn=_set_parent_death_signal if sys.platform == "linux" else None)
    except OSError as e:
        _cleanup(snapshot, lock)
        raise StoreError(f"cannot start the Oxigraph server: {e}") from e
    server = Server(proc, host, port, store, snapshot, writable, lock)
    threading.Thread(target=_drain, args=(proc.stdout, server.log, echo), daemon=True).start()
    deadline = time.monotonic() + ready_within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            server.stop()
            said = " ".join(server.log) or f"exit code {proc.returncode}"
            raise StoreError(f"the Oxigraph server did not start on {bind}: {said}")
        if _answers(host, port):
            return server
        time.sleep(0.1)
    server.stop()
    raise StoreError(f"the Oxigraph server did not answer on {bind} within {ready_within:g} s")


def _cleanup(snapshot: Path | None, lock: _Lock | None) -> None:
    if snapshot is not None:
        shutil.rmtree(snapshot.parent, ignore_errors=True)
    if lock is not None:
        lock.release()


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while serving, so the server and its snapshot are cleaned up."""
    def _exit(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(store: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, writable: bool = False,
          timeout: float | None = 60.0) -> int:
    """Run the server until Ctrl-C or SIGTERM; returns 0, or 2 if the server stopped by itself."""
    with terminate_on_sigterm(), start_server(store, host, port, writable=writable, timeout=timeout,
                                              echo=True) as server:
        mode = ("read-write: SPARQL Update at /update, Graph Store Protocol at /store; the store is "
                "locked for kg build and kg query until this stops") if writable else \
               (f"read-only, a snapshot of {server.store} taken {time.strftime('%H:%M:%S')}; restart "
                "kg serve to serve later builds")
        print(f"SPARQL endpoint  {server.query_url}  (also {server.url}/sparql)\n"
              f"query page       {server.url}/\n"
              f"mode             {mode}\n"
              f"default graph    the union of the article graphs; GRAPH ?g names each article's graph",
              flush=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"warning: listening on {host}: anyone who can reach it can query the store", flush=True)
        print("Ctrl-C stops the server.", flush=True)
        try:
            code = server.process.wait()
        except KeyboardInterrupt:
            return 0
        said = " ".join(server.log)
        raise StoreError(f"the Oxigraph server stopped (exit code {code}){': ' + said if said else ''}")
