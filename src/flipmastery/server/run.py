"""Serves the WSGI app: gunicorn with one process per core on Linux and macOS, waitress (pure Python,
one process) on Windows or when one process is asked for."""

from __future__ import annotations

import ctypes
import ipaddress
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command

ALL_ADDRESSES = ("0.0.0.0", "::", "")
# One address in each private range a school or home network uses. Connecting a UDP socket towards one
# sends nothing: it only makes the system choose the interface (and so the address) that would reach it.
PRIVATE_PROBES = ("10.255.255.255", "172.31.255.255", "192.168.255.255")
IP_ADDR_INET = re.compile(r"\binet (\d{1,3}(?:\.\d{1,3}){3})/")


def route_address(target: str) -> str | None:
    """The address of the interface this machine would use to reach `target`, or None without a route."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 9))
            return str(probe.getsockname()[0])
    except OSError:
        return None


def hostname_addresses() -> list[str]:
    """What the host name resolves to: the LAN address on many machines, 127.0.1.1 on many Linux laptops."""
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [str(info[4][0]) for info in found]


def parse_ip_addr(text: str) -> list[str]:
    """The IPv4 addresses in the output of `ip -4 -o addr show`."""
    return IP_ADDR_INET.findall(text)


def interface_addresses() -> list[str]:
    """The interfaces' IPv4 addresses from `ip -4 -o addr show` (Linux); none where `ip` is missing."""
    ip = shutil.which("ip")
    if ip is None:
        return []
    try:
        shown = subprocess.run(  # noqa: S603
            [ip, "-4", "-o", "addr", "show"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_ip_addr(shown.stdout)


def _on_the_network(addresses: Iterable[str]) -> list[str]:
    """Addresses another machine could reach, in the order found, each once."""
    kept: list[str] = []
    for text in addresses:
        try:
            address = ipaddress.IPv4Address(text)
        except ValueError:
            continue
        if address.is_loopback or address.is_unspecified or address.is_multicast:
            continue
        if text not in kept:
            kept.append(text)
    return kept


def lan_addresses(
    route: Callable[[str], str | None] | None = None,
    hostname: Callable[[], list[str]] | None = None,
    interfaces: Callable[[], list[str]] | None = None,
) -> list[str]:
    """This machine's IPv4 addresses other than loopback, for the URL students type on the school LAN.

    The host name alone is not enough: on a typical Linux laptop it resolves to 127.0.1.1. The routes to
    the private ranges find the address of the Wi-Fi or cable in use; the interfaces are listed only when
    neither finds one (no route at all, say). The lookups are arguments so that tests can replace them.
    """
    route, hostname = route or route_address, hostname or hostname_addresses
    found = _on_the_network([*(route(target) or "" for target in PRIVATE_PROBES), *hostname()])
    return found or _on_the_network((interfaces or interface_addresses)())


def serving_urls(host: str, port: int, lan: Sequence[str]) -> list[tuple[str, str]]:
    """The addresses to announce for a server listening on `host`, each with who can open it."""
    if host in ALL_ADDRESSES:
        urls = [(f"http://{address}:{port}/", "for students on the school network") for address in lan]
        return [*urls, (f"http://127.0.0.1:{port}/", "on this computer")]
    shown = f"[{host}]" if ":" in host else host
    if host == "localhost" or _is_loopback(host):
        return [(f"http://{shown}:{port}/", "on this computer only (--host 0.0.0.0 lets the class in)")]
    return [(f"http://{shown}:{port}/", "for students on the school network")]


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def announcement(host: str, port: int, lan: Sequence[str]) -> str:
    """The lines `serve` prints: every address to type, and what to do when no network was found."""
    urls = serving_urls(host, port, lan)
    width = max(len(url) for url, _ in urls)
    lines = ["flipmastery is serving (Ctrl+C stops it):"]
    lines += [f"  {url.ljust(width)}   {who}" for url, who in urls]
    if host in ALL_ADDRESSES and not lan:
        lines.append("  (no network address found: connect this computer to the school network)")
    return "\n".join(lines)


def prepare(*, migrate: bool = True) -> None:
    """Apply migrations and gather the static files under hashed names with their gzip copies, so phones
    load little and keep what they loaded. Static files are gathered even without migrating: pages link
    the names in the manifest that collectstatic writes. The database cache's table is made if that is
    the cache (nothing otherwise). Nodes started together on one data dir take turns here: a second
    collectstatic must not rewrite the manifest while the first node reads it."""
    from django.conf import settings

    with _one_at_a_time(Path(settings.DATA_DIR) / "prepare.lock"):
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # only when it is missing
        call_command("collectstatic", interactive=False, verbosity=0)


@contextmanager
def _one_at_a_time(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: one process serves there
        yield
        return
    with path.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def can_fork() -> bool:
    """Whether several worker processes can serve here: gunicorn needs fork (not on Windows)."""
    if os.name != "posix":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


# Threads of each process. Measured with 40 students back-to-back on 2 cores (benchmarks/class_load.py, 2
# processes): 16 threads cost 8.1 ms of server CPU per start + submit, 8 cost 8.5, 4 cost 7.3, 2 cost 6.7.
# More threads than requests a core can run only take turns at the GIL. Four still leave a process free
# threads while one prints or imports, and keep a core busy while requests wait on a PostgreSQL elsewhere.
DEFAULT_THREADS = 4


def default_workers() -> int:
    """One process per core where several can run, else one."""
    return (os.cpu_count() or 1) if can_fork() else 1


def processes_line(workers: int, threads: int) -> str:
    kind = "processes (gunicorn)" if workers > 1 else "process (waitress)"
    return f"{workers} {kind}, {threads} threads each"


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def return_freed_memory() -> None:
    """glibc raises its threshold for giving large blocks their own mapping each time one is freed, so after
    a class signs in (19 MiB per password hash) the freed blocks stay in the process for good; a fixed
    threshold returns each to the system when it is freed. Inherited by the worker processes it forks.
    Nothing to do where the C library is not glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 128 * 1024)
    except (OSError, AttributeError):
        return


def serve(host: str, port: int, threads: int, announce: Callable[[str], None], workers: int = 1) -> None:
    from django.conf import settings

    return_freed_memory()

    # prepare() collected the static files with their .gz copies: serve those, not the app folders.
    settings.WHITENOISE_USE_FINDERS = False
    if workers > 1 and not can_fork():
        announce("several processes need Linux or macOS: serving with one")
        workers = 1
    announce(announcement(host, port, lan_addresses() if host in ALL_ADDRESSES else []))
    announce(processes_line(workers, threads))
    if workers > 1:
        serve_processes(host, port, threads, workers)
    else:
        serve_one_process(host, port, threads)


def serve_processes(host: str, port: int, threads: int, workers: int) -> None:
    """gunicorn's threaded workers, forked from this process; each opens its own database connections
    (the ones migrate and collectstatic used are closed first, so no child inherits them)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    connections.close_all()
    bind = f"[{host}]:{port}" if ":" in host else f"{host or '0.0.0.0'}:{port}"
    options = {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "backlog": 1024,  # a class arrives at once, many behind one router
        "worker_connections": 1000,
        "keepalive": 30,  # a student's tab keeps its connection between autosaves
        "timeout": 120,
        "graceful_timeout": 10,
        "proc_name": "flipmastery",
        "errorlog": "-",
        "loglevel": "warning",
    }

    class Processes(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self) -> Callable[..., object]:
            from flipmastery.wsgi import application

            return application

    Processes().run()


def serve_one_process(host: str, port: int, threads: int) -> None:
    from waitress import serve as waitress_serve

    from flipmastery.wsgi import application

    # Many students behind one school router share an address, and a class arrives at once: a deep
    # backlog and enough threads keep the first minute of a lesson from queueing.
    waitress_serve(
        application,
        host=host,
        port=port,
        threads=threads,
        backlog=1024,
        connection_limit=1000,
        channel_timeout=120,
        ident="flipmastery",
    )
