"""The networked web server's guard (issue 20, items 13, 19, 20, 21), against the real FastAPI +
Gradio app from ``build_server`` (the fixture coach, a real SQLite learning-circle store), through
Starlette's test client or a real uvicorn on a free loopback port.

- item 13: no Origin echo with credentials for a foreign site, its state-changing requests refused,
  frame-ancestors / X-Frame-Options on the app's pages (the participant page keeps its own CSP);
- item 19: heartbeat streams need the login, and are capped per address;
- item 20: wrong passwords lock the login for a while (429, Dutch); short passwords refused in
  network mode;
- item 21: session state is capped (least recently used dropped first).
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from assistant.leerkring import store as lk
from assistant.config import load_settings
from assistant.ui import guard
from assistant.ui.server import SESSION_CAPACITY, build_server

from .conftest import ROOT
from .test_app import free_port
from .ui_fakes import FakeHolder

USER, PASSWORD = "trainer", "een-lang-wachtwoord"
EVIL = "http://evil:9999"
PUBLIC = "http://192.168.1.20:7860"


class Clock:
    """The guard's clock, turned by hand (no waiting in tests)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def make_server(tmp_path, auth=True, **kw):
    holder = FakeHolder()
    holder.settings = dataclasses.replace(holder.settings, host="0.0.0.0" if auth else "127.0.0.1",
                                          auth=((USER, PASSWORD),) if auth else (), public_url=PUBLIC)
    clock = Clock()
    state = guard.GuardState(holder.settings, clock=clock)
    store = lk.LeerkringStore(tmp_path / "leerkring.sqlite")
    app, demo = build_server(holder, store, guard_state=state, **kw)
    return app, demo, state, clock, store


def gradio_app(app):
    from gradio.routes import App
    return next(r.app for r in app.routes if isinstance(getattr(r, "app", None), App))


def login(client, password=PASSWORD, user=USER, multipart=False):
    """POST /login as a form: URL-encoded (as gradio_client sends it) or multipart (as Gradio's page does)."""
    if multipart:
        return client.post("/login", files={"username": (None, user), "password": (None, password)})
    return client.post("/login", data={"username": user, "password": password})


@pytest.fixture
def served(tmp_path):
    from starlette.testclient import TestClient
    app, demo, state, clock, store = make_server(tmp_path)
    with TestClient(app) as client:
        yield client, app, state, clock, store


def send_button(config) -> tuple[int, int]:
    """(the chat's send button id, the fn_index of its click)."""
    send = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "send")
    dep = next(d for d in config["dependencies"] if [send, "click"] in d["targets"])
    return send, dep["id"]


def ask_in_session(client, config, session: str, headers=None):
    """What the browser does when someone asks a question: join the queue, read the answer."""
    send, fn = send_button(config)
    body = {"data": ["Wat is binding?", [], None, None, "nl", True], "fn_index": fn, "session_hash": session,
            "event_data": None, "trigger_id": send}
    r = client.post("/gradio_api/queue/join", json=body, headers=headers or {})
    if r.status_code != 200:
        return r, ""
    with client.stream("GET", f"/gradio_api/queue/data?session_hash={session}") as stream:
        text = "".join(stream.iter_lines())
    return r, text


# ------------------------------------------------------------------------------- item 13: origins

def test_a_foreign_origin_gets_no_cors_echo_and_cannot_start_anything(served):
    client, app, state, clock, store = served
    assert login(client).status_code == 200
    config = client.get("/config").json()
    for r in (client.get("/config", headers={"Origin": EVIL}),
              client.options("/gradio_api/queue/join", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST",
                                                                 "Access-Control-Request-Headers": "content-type"})):
        assert "access-control-allow-origin" not in r.headers
        assert "access-control-allow-credentials" not in r.headers
    # the logged-in trainer's cookie rides along, but the foreign page's request is refused
    r, _ = ask_in_session(client, config, "evil-session", headers={"Origin": EVIL})
    assert r.status_code == 403 and "andere website" in r.json()["detail"]
    assert "evil-session" not in gradio_app(app).state_holder.session_data
    r = client.post("/gradio_api/queue/join", content=b'{"data":[]}', headers={"Origin": "null"})
    assert r.status_code == 403
    # the app's own page and the public address still work, the latter with credentials
    r, text = ask_in_session(client, config, "own-session", headers={"Origin": "http://testserver"})
    assert r.status_code == 200 and "process_completed" in text
    r = client.get("/config", headers={"Origin": PUBLIC})
    assert r.headers["access-control-allow-origin"] == PUBLIC
    assert r.headers["access-control-allow-credentials"] == "true"


def test_pages_cannot_be_framed_and_the_participant_page_keeps_its_own_policy(served):
    client, app, state, clock, store = served
    page = client.get("/")  # the login page (the app itself after login)
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    login(client)
    app_page = client.get("/")
    assert 'id="intro"' in app_page.text or "Mozaïekcoach" in app_page.text
    assert app_page.headers["content-security-policy"] == "frame-ancestors 'none'"
    session = store.start("Voorjaar")
    join = client.get(f"/leerkring/{session.code}")
    # the participant page asks browsers for no referrer, so a phone's form POST says "Origin: null"
    sent = client.post(f"/leerkring/{session.code}", data={"name": ""}, headers={"Origin": "null"})
    assert sent.status_code != 403 and "andere website" not in sent.text
    assert join.status_code == 200
    policies = join.headers.get_list("content-security-policy")
    assert len(policies) == 1 and "nonce-" in policies[0]
    assert join.headers["x-frame-options"] == "DENY"


# ------------------------------------------------------------------------------ item 19: heartbeat

@contextlib.contextmanager
def running(app):
    """``app`` on a real uvicorn on a free loopback port (in a thread); yields the port."""
    import uvicorn
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def open_heartbeat(port: int, n: int, cookie: str = "") -> tuple[socket.socket, int]:
    """A heartbeat stream as a page opens it; (the open socket, the HTTP status)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    s.sendall(f"GET /gradio_api/heartbeat/h{n} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode())
    status = int(s.recv(200).split(b" ", 2)[1])
    return s, status


def test_heartbeat_needs_the_login(tmp_path):
    import httpx
    app, *_ = make_server(tmp_path)
    with running(app) as port:
        s, status = open_heartbeat(port, 1)
        s.close()
        assert status == 401
        r = httpx.post(f"http://127.0.0.1:{port}/login", data={"username": USER, "password": PASSWORD})
        cookie = "; ".join(f"{k}={v}" for k, v in r.cookies.items())
        s, status = open_heartbeat(port, 2, cookie)
        s.close()
        assert status == 200


def test_open_heartbeat_streams_are_capped_per_address(tmp_path):
    app, *_ = make_server(tmp_path, auth=False)
    streams = []
    with running(app) as port:
        try:
            for n in range(guard.HEARTBEATS_PER_ADDRESS):
                s, status = open_heartbeat(port, n)
                streams.append(s)
                assert status == 200
            s, status = open_heartbeat(port, 999)
            s.close()
            assert status == 429
            streams.pop().close()  # one page closed: its place is free again
            for _ in range(100):
                s, status = open_heartbeat(port, 1000)
                streams.append(s)
                if status == 200:
                    break
                time.sleep(0.05)  # the server notices the closed stream within its next beat
            assert status == 200
        finally:
            for s in streams:
                s.close()


# ---------------------------------------------------------------------------------- item 20: login

def test_wrong_passwords_lock_the_login_for_a_while_then_it_works(served):
    client, app, state, clock, store = served
    for _ in range(6):
        assert login(client, "fout").status_code == 400
    r = login(client)  # the right password, but too soon
    assert r.status_code == 429
    assert "Te veel foute pogingen" in r.json()["detail"] and int(r.headers["retry-after"]) >= 1
    assert "access-token" not in r.headers.get("set-cookie", "")
    clock.now += guard.LOCK_SECONDS + 1
    assert login(client).status_code == 200
    assert login(client, "fout").status_code == 400  # the count started afresh after the success


def test_a_user_attacked_from_many_addresses_is_locked_briefly_not_for_good(served):
    from starlette.testclient import TestClient
    client, app, state, clock, store = served
    addresses = (TestClient(app, client=(f"10.0.{n // 250}.{n % 250 + 2}", 5000)) for n in range(1000))
    for _ in range(guard.USER_FREE_FAILURES + 1):
        assert login(next(addresses), "fout", multipart=True).status_code == 400
    assert login(client).status_code == 429  # this user name is locked, from any address
    for _ in range(10):  # the guessing goes on from fresh addresses, as soon as the lock allows
        clock.now += state.by_user.wait(USER, clock.now) + 1
        assert login(next(addresses), "fout", multipart=True).status_code == 400
        assert 0 < state.by_user.wait(USER, clock.now) <= guard.USER_MAX_LOCK_SECONDS
    clock.now += guard.USER_MAX_LOCK_SECONDS + 1  # at most a minute later the trainer gets in
    assert login(client).status_code == 200
    assert state.by_user.wait(USER, clock.now) == 0


def test_the_login_page_says_that_it_waits_after_wrong_attempts(served):
    client, *_ = served
    assert "Na vijf foute pogingen" in client.get("/config").text or "Na vijf foute pogingen" in client.get("/").text


def test_a_short_password_is_refused_in_network_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"COACH_HOST": "0.0.0.0", "COACH_AUTH": "t:1", "HF_HUB_OFFLINE": "1",
                "COACH_PORT": str(free_port()), "COACH_DATA_DIR": str(tmp_path / "data")})
    r = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert "korter dan 10 tekens" in err and "Traceback" not in err
    # on loopback only, or with a long password, nothing is refused
    assert load_settings({"COACH_AUTH": "t:1"}).short_password_users() == []
    assert load_settings({"COACH_HOST": "0.0.0.0", "COACH_AUTH": f"t:{PASSWORD}"}).short_password_users() == []


# ------------------------------------------------------------------------------ item 21: sessions

def test_old_sessions_are_dropped_beyond_the_cap(tmp_path):
    from starlette.testclient import TestClient
    app, *_ = make_server(tmp_path, auth=False, sessions=5)
    with TestClient(app) as client:
        config = client.get("/config").json()
        for n in range(8):
            r, text = ask_in_session(client, config, f"s{n}")
            assert r.status_code == 200 and "process_completed" in text
        held = list(gradio_app(app).state_holder.session_data)
    assert held == [f"s{n}" for n in range(3, 8)]


def test_the_server_keeps_far_fewer_sessions_than_gradio_would(tmp_path):
    app, *_ = make_server(tmp_path, auth=False)
    assert gradio_app(app).state_holder.capacity == SESSION_CAPACITY <= 500


# ------------------------------------------------------------------------------ in a real browser

EVIL_PAGE = """<!doctype html><title>evil</title><script>
async function attack([url, body]) {
  try {
    const r = await fetch(url + "/gradio_api/queue/join", {method: "POST", credentials: "include",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    return "status " + r.status;
  } catch (e) { return "blocked"; }
}
</script>"""


@pytest.mark.slow
@pytest.mark.browser
def test_browser_login_lock_chat_and_a_foreign_page(tmp_path):
    """In chromium: wrong passwords lock the login form, after the lock the trainer gets in and
    the chat answers (the page's policy breaks nothing); a page on another port of the same host,
    with the trainer's cookie, starts nothing in the app."""
    import http.server

    import httpx
    from playwright.sync_api import sync_playwright

    from .test_app import CHROMIUM
    app, demo, state, clock, store = make_server(tmp_path)
    evil_port = free_port()

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = EVIL_PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", evil_port), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    with running(app) as port, sync_playwright() as p:
        url = f"http://127.0.0.1:{port}/"
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context()
            page = context.new_page()
            errors = []
            page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)

            def try_login(password):
                page.get_by_label("Gebruikersnaam").fill(USER)
                page.get_by_label("Wachtwoord").fill(password)
                with page.expect_response(lambda r: r.url.endswith("/login")) as answer:
                    page.get_by_role("button", name="Inloggen").click()
                return answer.value.status
            page.goto(url)
            page.wait_for_selector("input[type=password]", timeout=30_000)
            assert "Na vijf foute pogingen" in page.inner_text("body")
            assert [try_login("fout") for _ in range(6)] == [400] * 6
            assert try_login(PASSWORD) == 429
            assert page.locator("#question textarea").count() == 0
            clock.now += guard.LOCK_SECONDS + 1
            assert try_login(PASSWORD) == 200
            page.wait_for_selector("#question textarea", timeout=60_000)
            page.fill("#question textarea", "Wat is binding?")
            page.click("#send")
            page.wait_for_function("document.querySelector('#chat').innerText.includes('Binding')", timeout=60_000)
            assert not errors
            other = context.new_page()  # same browser, same cookies, another port
            other.goto(f"http://127.0.0.1:{evil_port}/")
            config = httpx.get(url + "config", cookies=context.cookies() and {
                c["name"]: c["value"] for c in context.cookies()}).json()
            send, fn = send_button(config)
            body = {"data": ["Wat is binding?", [], None, None, "nl", True], "fn_index": fn,
                    "session_hash": "evil-page", "event_data": None, "trigger_id": send}
            result = other.evaluate("attack", [url.rstrip("/"), body])
            assert result in ("blocked", "status 403")
            time.sleep(1)
            assert "evil-page" not in gradio_app(app).state_holder.session_data
        finally:
            browser.close()
            evil.shutdown()
