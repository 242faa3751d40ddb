"""Network guard for the privacy tests: refuse and log every non-loopback connection.

Active only when this folder is first on ``PYTHONPATH`` *and* ``NETGUARD_LOG=<file>`` is set;
Python then imports this module at start-up (``site``), before any program code, in the
process and in every Python child it starts (they inherit the environment).

Allowed: 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z), the names ``localhost`` / ``*.localhost``,
AF_UNIX paths and other non-IP socket families. Everything else is refused with an ``OSError``
before the system call, so no packet leaves, and one line goes to the log: what was tried,
the process id and a short stack summary. Name lookups (``getaddrinfo``, ``gethostbyname``) of
non-local names are refused the same way, since a DNS query is itself outbound traffic; numeric
addresses need no lookup and are judged at connect time.

With ``NETGUARD_MARK=<file>`` each guarded process appends its pid there once, so a test can
tell an empty log from a guard that never loaded.

Limits: native code that opens sockets without Python's ``socket`` module is not seen here
(``test_privacy`` adds a system-call trace for that).
"""
from __future__ import annotations

import ipaddress
import os
import socket
import threading
import traceback

_LOG = os.environ.get("NETGUARD_LOG")
_lock = threading.Lock()
_HERE = os.path.abspath(__file__)


class NetworkBlocked(ConnectionRefusedError):
    """A connection (or lookup) that would leave this machine; refused by the guard."""


def _is_local_host(host) -> bool:
    if host is None:
        return True  # passive lookups (bind on all interfaces) send nothing
    if isinstance(host, bytes):
        host = host.decode("idna", "replace")
    host = str(host).strip().rstrip(".").lower()
    if host in ("", "localhost", "ip6-localhost", "ip6-loopback", "localhost.localdomain") \
            or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _is_numeric(host) -> bool:
    try:
        ipaddress.ip_address(str(host).split("%", 1)[0])
        return True
    except ValueError:
        return False


def _stack() -> str:
    frames = [f for f in traceback.extract_stack() if os.path.abspath(f.filename) != _HERE]
    return " < ".join(f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in reversed(frames[-8:]))


def _refuse(what: str, target) -> NetworkBlocked:
    line = f"BLOCKED {what} {target!r} pid={os.getpid()} | {_stack()}\n"
    with _lock:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(line)
    return NetworkBlocked(111, f"netguard: non-loopback network use refused ({what} {target!r})")


def _check_address(sock_family, address, what: str) -> None:
    if sock_family not in (socket.AF_INET, socket.AF_INET6):
        return  # AF_UNIX paths, netlink and the like do not leave the machine
    host = address[0] if isinstance(address, tuple) and address else address
    if not _is_local_host(host):
        raise _refuse(what, address)


def _install() -> None:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_create_connection = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex

    def connect(self, address):
        _check_address(self.family, address, "connect")
        return real_connect(self, address)

    def connect_ex(self, address):
        _check_address(self.family, address, "connect_ex")
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        if args:
            _check_address(self.family, args[-1], "sendto")
        return real_sendto(self, data, *args)

    def create_connection(address, *args, **kwargs):
        if not _is_local_host(address[0]):
            raise _refuse("create_connection", address)
        return real_create_connection(address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        if not (_is_local_host(host) or _is_numeric(host)):
            raise _refuse("getaddrinfo", host)
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host):
        if not (_is_local_host(host) or _is_numeric(host)):
            raise _refuse("gethostbyname", host)
        return real_gethostbyname(host)

    def gethostbyname_ex(host):
        if not (_is_local_host(host) or _is_numeric(host)):
            raise _refuse("gethostbyname_ex", host)
        return real_gethostbyname_ex(host)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.create_connection = create_connection
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    socket.NETGUARD_ACTIVE = True
    mark = os.environ.get("NETGUARD_MARK")
    if mark:  # lets a test see that the guard was active in each process it started
        import sys
        with _lock, open(mark, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {' '.join(sys.argv)[:200]}\n")


if _LOG:
    _install()
