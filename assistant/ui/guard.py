"""The web server's guard: one ASGI middleware in front of everything (issue 20, items 13, 19, 20).

- **Origins** (item 13): cross-origin reads are allowed only for the allow-list (the app's own
  address and ``COACH_PUBLIC_URL``); Starlette's ``CORSMiddleware`` on the outer app does the
  CORS headers, which also switches off Gradio's own ``CustomCORSMiddleware`` (that one echoes
  any Origin with credentials when the host is not ``localhost``). A request that changes
  something (POST, PUT, PATCH, DELETE) from a foreign ``Origin`` is refused with 403 before it
  reaches the app (except on the participant page, see ``PARTICIPANT_PREFIX``). Every response
  says ``X-Frame-Options: DENY`` and ``nosniff``; an HTML page without a policy of its own gets
  ``Content-Security-Policy: frame-ancestors 'none'`` (the participant page keeps its own, stricter
  one).
- **Heartbeat streams** (item 19): ``/gradio_api/heartbeat/<id>`` stays open as long as the page
  is open. With a login it needs the login (401 otherwise); and open heartbeat streams are capped
  per client address and in total (429 beyond), so streams cannot use up the file descriptors
  the participant page and the login need.
- **Login** (item 20): after ``FREE_FAILURES`` wrong passwords from one address (or
  ``USER_FREE_FAILURES`` for one user name, from anywhere), each further failure locks that
  address (user) for a period that doubles, from ``LOCK_SECONDS`` up to ``MAX_LOCK_SECONDS``; a
  login during the lock gets 429 with a Dutch and English message and ``Retry-After``, without
  its password being checked. A right password resets the count; failures are forgotten after
  ``FORGET_SECONDS`` without one. The lock on a user name lasts at most ``USER_MAX_LOCK_SECONDS``
  and only follows a failure, so someone guessing from elsewhere cannot keep the right user out
  for more than a minute at a time (their own address is locked for up to 15 minutes).
"""
from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..strings import ui_text

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HEARTBEAT_PREFIX = "/gradio_api/heartbeat/"
LOGIN_PATHS = frozenset({"/login", "/login/"})
# The participant page (assistant/ui/join.py) sends ``Referrer-Policy: no-referrer``, so a phone's
# form POST carries ``Origin: null``; it needs no login and guards its own cookie (SameSite=Strict).
PARTICIPANT_PREFIX = "/leerkring/"
LOGIN_BODY_LIMIT = 64 * 1024  # a login form is a few hundred bytes

# A browser tab holds one heartbeat stream; 30 tabs behind one address (a trainer's laptop, or a
# room behind one NAT) stay well inside the cap, and 200 streams in all leave more than 800 of the
# usual 1,024 file descriptors for everything else.
HEARTBEATS_PER_ADDRESS = 30
HEARTBEATS_TOTAL = 200

FREE_FAILURES = 5          # wrong passwords per address before the first lock
USER_FREE_FAILURES = 10    # wrong passwords per user name, from all addresses together
LOCK_SECONDS = 30.0        # the first lock; doubles with every further failure
MAX_LOCK_SECONDS = 900.0   # never longer than 15 minutes
USER_MAX_LOCK_SECONDS = 60.0  # a user name, from all addresses: at most a minute
FORGET_SECONDS = 3600.0    # failures are forgotten after an hour without one
MAX_TRACKED = 10_000       # addresses remembered at most (oldest dropped first)

FRAME_POLICY = "frame-ancestors 'none'"


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an address, lower case; None when it has no host."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def allowed_origins(settings) -> list[str]:
    """The origins allowed to call the app from a browser besides the page's own address:
    ``COACH_PUBLIC_URL`` and the configured host and port (with ``localhost`` for loopback)."""
    found: list[str] = []
    if getattr(settings, "public_url", None):
        found.append(origin_of(settings.public_url))
    host, port = settings.host, settings.port
    hosts = ["127.0.0.1", "localhost"] if settings.is_loopback else []
    if host not in ("0.0.0.0", "::", ""):
        hosts.append(f"[{host}]" if ":" in host else host)
    for name in hosts:
        found.append(f"http://{name}:{port}")
        found.append(f"https://{name}:{port}")
    return list(dict.fromkeys(o for o in found if o))


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return None


def _client(scope) -> str:
    client = scope.get("client")
    return client[0] if client else "?"


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


@dataclass
class Throttle:
    """Counts failed logins per key; locks a key for a doubling period after ``free`` failures."""
    free: int
    base: float = LOCK_SECONDS
    cap: float = MAX_LOCK_SECONDS
    forget: float = FORGET_SECONDS
    records: dict[str, _Record] = field(default_factory=dict)

    def _get(self, key: str, now: float) -> _Record | None:
        record = self.records.get(key)
        if record and now - record.last_failure > self.forget and now >= record.locked_until:
            del self.records[key]
            return None
        return record

    def wait(self, key: str, now: float) -> float:
        """Seconds this key must still wait (0: it may try)."""
        record = self._get(key, now)
        return max(0.0, record.locked_until - now) if record else 0.0

    def failed(self, key: str, now: float) -> None:
        record = self._get(key, now)
        if record is None:
            if len(self.records) >= MAX_TRACKED:
                self.records.pop(next(iter(self.records)))
            record = self.records[key] = _Record()
        record.failures += 1
        record.last_failure = now
        over = record.failures - self.free
        if over > 0:
            record.locked_until = now + min(self.cap, self.base * 2 ** min(over - 1, 30))

    def succeeded(self, key: str) -> None:
        self.records.pop(key, None)


class GuardState:
    """What the guard shares with the server: the settings, the login throttles, the open
    heartbeat streams, the clock (a test may turn it) and the mounted Gradio app (for its login)."""

    def __init__(self, settings, clock=time.monotonic):
        self.settings = settings
        self.login_on = bool(settings.auth)
        self.users = {user for user, _ in settings.auth}
        self.allowed = set(allowed_origins(settings))
        self.clock = clock
        self.by_address = Throttle(FREE_FAILURES)
        self.by_user = Throttle(USER_FREE_FAILURES, cap=USER_MAX_LOCK_SECONDS)
        self.heartbeats: dict[str, int] = {}
        self.gradio = None  # gradio.routes.App, set by ``attach``

    def attach(self, outer_app) -> None:
        """Find the Gradio app mounted on ``outer_app`` (its login tokens decide who is logged in)."""
        from gradio.routes import App
        for route in outer_app.routes:
            if isinstance(getattr(route, "app", None), App):
                self.gradio = route.app

    def logged_in(self, scope) -> bool:
        app = self.gradio
        if app is None:
            return False
        cookies = _header(scope, b"cookie") or ""
        names = {f"access-token-{app.cookie_id}", f"access-token-unsecure-{app.cookie_id}"}
        for part in cookies.split(";"):
            name, _, value = part.strip().partition("=")
            if name in names and value in app.tokens:
                return True
        return False

    def same_site(self, scope, origin: str) -> bool:
        """Is ``origin`` the page's own address (its Host header) or on the allow-list?"""
        origin = origin.strip().lower()
        if origin in self.allowed:
            return True
        host = (_header(scope, b"host") or "").lower()
        parts = urlsplit(origin)
        return bool(host) and parts.scheme in ("http", "https") and parts.netloc == host


def _plain(status: int, key: str, headers: dict | None = None, **values) -> tuple[int, list, bytes]:
    """A small JSON answer with the message in Dutch and English (``detail`` is what Gradio's
    front end and API clients read)."""
    nl, en = ui_text(key, "nl", **values), ui_text(key, "en", **values)
    body = json.dumps({"detail": f"{nl} / {en}", "nl": nl, "en": en}, ensure_ascii=False).encode()
    head = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    head += [(k.encode(), str(v).encode()) for k, v in (headers or {}).items()]
    return status, head, body


async def _answer(send, status: int, headers: list, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware; ``state`` is a ``GuardState``."""

    def __init__(self, app, state: GuardState):
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(send)
        method, path = scope["method"], scope.get("path", "")
        origin = _header(scope, b"origin")
        if (origin is not None and method not in SAFE_METHODS and not path.startswith(PARTICIPANT_PREFIX)
                and not self.state.same_site(scope, origin)):
            log.warning("Verzoek van een ander adres geweigerd: %s %s (Origin %s)", method, path, origin[:100])
            await _answer(send, *_plain(403, "guard_origin"))
            return
        if method == "POST" and path in LOGIN_PATHS and self.state.login_on:
            await self._login(scope, receive, send)
            return
        if method == "GET" and path.startswith(HEARTBEAT_PREFIX):
            await self._heartbeat(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _with_headers(self, send):
        async def wrapped(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                if b"access-control-allow-origin" not in names:  # no lone "allow credentials"
                    headers = [(k, v) for k, v in headers if k.lower() != b"access-control-allow-credentials"]
                if b"x-frame-options" not in names:
                    headers.append((b"x-frame-options", b"DENY"))
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if b"content-security-policy" not in names and kind.startswith(b"text/html"):
                    headers.append((b"content-security-policy", FRAME_POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)
        return wrapped

    # ------------------------------------------------------------------------------ heartbeat

    async def _heartbeat(self, scope, receive, send):
        state = self.state
        if state.login_on and not state.logged_in(scope):
            await _answer(send, *_plain(401, "guard_login_needed"))
            return
        address = _client(scope)
        total = sum(state.heartbeats.values())
        if state.heartbeats.get(address, 0) >= HEARTBEATS_PER_ADDRESS or total >= HEARTBEATS_TOTAL:
            log.warning("Te veel open verbindingen: heartbeat van %s geweigerd (%d open)", address, total)
            await _answer(send, *_plain(429, "guard_too_many_streams", {"Retry-After": 30}))
            return
        state.heartbeats[address] = state.heartbeats.get(address, 0) + 1
        try:
            await self.app(scope, receive, send)
        finally:
            left = state.heartbeats.get(address, 1) - 1
            if left > 0:
                state.heartbeats[address] = left
            else:
                state.heartbeats.pop(address, None)

    # ---------------------------------------------------------------------------------- login

    async def _login(self, scope, receive, send):
        state = self.state
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > LOGIN_BODY_LIMIT:
                await _answer(send, *_plain(413, "guard_login_too_big"))
                return
        user = await _username(scope, body)
        address = _client(scope)
        user_key = user if user in state.users else None  # only real accounts: the table stays small
        now = state.clock()
        wait = max(state.by_address.wait(address, now), state.by_user.wait(user_key, now) if user_key else 0.0)
        if wait > 0:
            seconds = math.ceil(wait)
            log.warning("Login geweigerd: te veel foute pogingen (adres %s, nog %d s)", address, seconds)
            await _answer(send, *_plain(429, "guard_login_wait", {"Retry-After": seconds}, seconds=seconds))
            return

        status: list[int] = []

        replayed = False

        async def replay():  # the body once, as read; then whatever the client does next
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message):
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, replay, watch)
        now = state.clock()
        if status and status[0] == 200:
            state.by_address.succeeded(address)
            if user_key:
                state.by_user.succeeded(user_key)
        elif status and status[0] in (400, 401, 403):
            state.by_address.failed(address, now)
            if user_key:
                state.by_user.failed(user_key, now)
            log.info("Foute login vanaf %s", address)


async def _username(scope, body: bytes) -> str:
    """The ``username`` field of a login form (URL-encoded or multipart, as Gradio's page sends it)."""
    from starlette.requests import Request

    async def once():
        return {"type": "http.request", "body": body, "more_body": False}
    try:
        form = await Request(scope, once).form(max_files=0, max_fields=10)
        value = form.get("username")
        return value.strip() if isinstance(value, str) else ""
    except Exception:  # a malformed form: Gradio answers it; it counts as no user name
        return ""
