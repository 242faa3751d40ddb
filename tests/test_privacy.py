"""Nothing leaves the machine: ingest, the CLI and the app run under a network guard
(``tests/netguard/sitecustomize.py``) that refuses and logs every non-loopback connection or name
lookup, and the guard's log must stay empty. A positive control shows the guard does catch a
connection (to 192.0.2.1, TEST-NET-1, never routed; refused before any packet is sent)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import MINI_CORPUS, ROOT, FakeEmbedder, run_cli

GUARD_DIR = ROOT / "tests" / "netguard"
QUESTION = "Hoe bouwen partners aan onderling vertrouwen?"
TEST_NET = "192.0.2.1"  # RFC 5737 documentation address: never routed


class Guard:
    """The environment that loads the guard, and what it recorded."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.log = folder / "netguard.log"
        self.mark = folder / "netguard.mark"

    @property
    def env(self) -> dict:
        path = os.pathsep.join([str(GUARD_DIR), *filter(None, [os.environ.get("PYTHONPATH")])])
        return {"PYTHONPATH": path, "NETGUARD_LOG": str(self.log), "NETGUARD_MARK": str(self.mark),
                "HF_HUB_OFFLINE": "1"}

    def blocked(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def guarded_pids(self) -> list[int]:
        lines = self.mark.read_text(encoding="utf-8").splitlines() if self.mark.exists() else []
        return [int(line.split()[0]) for line in lines]

    def assert_clean(self) -> None:
        assert self.guarded_pids(), "the guard did not load (PYTHONPATH / sitecustomize)"
        assert self.blocked() == [], "\n".join(self.blocked())


@pytest.fixture(scope="module")
def guarded_index(tmp_path_factory):
    """A real e5-small index built by ``python ingest.py --rebuild`` under the guard."""
    folder = tmp_path_factory.mktemp("private")
    guard = Guard(folder / "ingest")
    data = folder / "data"
    env = {**guard.env, "COACH_DATA_DIR": str(data), "COACH_EMBED_MODEL": "e5-small"}
    result = run_cli(["ingest.py", "--rebuild"], env, timeout=1800)
    return data, guard, result


# --------------------------------------------------------------------------- the guard itself

def test_guard_refuses_and_logs_a_test_net_connection(tmp_path):
    """Positive control: under the guard a TEST-NET connection fails and is logged; loopback works."""
    guard = Guard(tmp_path)
    code = f"""
import socket
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(1)
socket.create_connection(server.getsockname(), timeout=5).close()   # loopback is allowed
try:
    socket.create_connection(({TEST_NET!r}, 80), timeout=1)
except OSError as err:
    print("refused:", err)
else:
    raise SystemExit("not refused")
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update(guard.env)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    assert "refused:" in r.stdout.decode() and "netguard" in r.stdout.decode()
    lines = guard.blocked()
    assert len(lines) == 1 and TEST_NET in lines[0] and "create_connection" in lines[0]
    assert "<string>:" in lines[0]  # the stack summary names the caller
    assert len(guard.guarded_pids()) == 1


def test_guard_classifies_loopback_names_and_addresses():
    """Only loopback addresses and localhost names count as local."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("netguard_under_test", GUARD_DIR / "sitecustomize.py")
    guard = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(guard)
    assert not getattr(guard.socket, "NETGUARD_ACTIVE", False)  # no NETGUARD_LOG: nothing patched
    for host in ("127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "localhost", "LOCALHOST.",
                 "app.localhost", None, ""):
        assert guard._is_local_host(host), host
    for host in (TEST_NET, "10.0.0.1", "192.168.1.1", "0.0.0.0", "::", "2001:db8::1", "::ffff:192.0.2.1",
                 "example.org", "huggingface.co", "api.gradio.app", "localhost.example.org"):
        assert not guard._is_local_host(host), host


# --------------------------------------------------------------------------- the program

@pytest.mark.slow
def test_ingest_rebuild_makes_no_outbound_connection(guarded_index):
    """`python ingest.py --rebuild` with the real model tries no connection beyond loopback."""
    data, guard, result = guarded_index
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert (data / "manifest.json").exists()
    guard.assert_clean()


@pytest.mark.slow
def test_cli_ask_makes_no_outbound_connection(guarded_index, tmp_path):
    """`python -m assistant ask --json` answers and tries no connection beyond loopback."""
    data, _, _ = guarded_index
    guard = Guard(tmp_path)
    r = run_cli(["-m", "assistant", "ask", QUESTION, "--json"],
                {**guard.env, "COACH_DATA_DIR": str(data), "COACH_EMBED_MODEL": "e5-small"})
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert json.loads(r.stdout)["blocks"][0]["key"] == "binding"
    guard.assert_clean()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_cli_ask_makes_no_outbound_system_call(guarded_index, tmp_path):
    """Also native code (Chroma's Rust core, tokenizers) makes no connect/sendto beyond loopback."""
    data, _, _ = guarded_index
    trace = tmp_path / "trace.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"HF_HUB_OFFLINE": "1", "COACH_DATA_DIR": str(data), "COACH_EMBED_MODEL": "e5-small"})
    r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-e", "signal=none",
                        "-o", str(trace), sys.executable, "-m", "assistant", "ask", QUESTION, "--json"],
                       cwd=ROOT, env=env, capture_output=True, timeout=600)
    if r.returncode != 0 and b"ptrace" in r.stderr:
        pytest.skip("ptrace is not permitted here: " + r.stderr.decode()[-200:])
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    calls = [line for line in trace.read_text().splitlines() if "AF_INET" in line]
    outbound = [line for line in calls
                if not re.search(r'inet_addr\("127\.|inet_pton\(AF_INET6, "::1"|"::ffff:127\.', line)]
    assert outbound == [], "\n".join(outbound)


@pytest.fixture(scope="module")
def guarded_app(guarded_index, tmp_path_factory):
    """The app under the guard, started without GRADIO_ANALYTICS_ENABLED / ANONYMIZED_TELEMETRY
    in its environment (it must turn them off itself)."""
    from .test_app import start_app
    data, _, _ = guarded_index
    guard = Guard(tmp_path_factory.mktemp("app-guard"))
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("GRADIO_ANALYTICS_ENABLED", raising=False)
        mp.delenv("ANONYMIZED_TELEMETRY", raising=False)
        proc, url = start_app({**guard.env, "COACH_DATA_DIR": str(data), "COACH_EMBED_MODEL": "e5-small"},
                              timeout=300)
    yield url, guard, proc
    proc.terminate()
    proc.wait(30)


@pytest.mark.slow
def test_app_makes_no_outbound_connection_and_has_analytics_off(guarded_app):
    """The app starts, answers /ask and serves its page with no connection beyond loopback,
    and Gradio analytics is off."""
    from gradio_client import Client
    url, guard, proc = guarded_app
    r = Client(url, verbose=False, analytics_enabled=False).predict(QUESTION, "", "", api_name="/ask")
    assert r["in_scope"] and r["citations"]
    page = urllib.request.urlopen(url, timeout=30).read().decode()
    config = json.loads(urllib.request.urlopen(url + "config", timeout=30).read())
    theme = urllib.request.urlopen(url + "theme.css", timeout=30).read().decode()
    assert "Mozaïekcoach" in page
    assert config["analytics_enabled"] is False
    # The browser, too, loads everything from the app: no external scripts, styles or fonts.
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page), page[:2000]
    assert not re.search(r"(?:url\(|@import)\s*['\"]?(?:https?:)?//", theme)
    assert proc.pid in guard.guarded_pids()
    guard.assert_clean()


@pytest.mark.slow
def test_app_serves_no_other_files_from_the_temp_folder(guarded_app):
    """A file another program left in the temp folder cannot be downloaded through the app."""
    url, _, _ = guarded_app
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("van een ander programma")
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "gradio_api/file=" + fh.name, timeout=30)
        assert refused.value.code in (403, 404)
    finally:
        os.unlink(fh.name)


def test_chroma_telemetry_is_off(tmp_path):
    """Every Chroma client the index opens has anonymized telemetry switched off."""
    from assistant.config import load_settings
    from assistant.search.index import IndexStore
    from assistant.knowledge.model import load_knowledge
    settings = load_settings({"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS": str(MINI_CORPUS)})
    store = IndexStore(settings)
    with store.lock():
        store.build(load_knowledge(MINI_CORPUS), FakeEmbedder())
    assert store.open().client.get_settings().anonymized_telemetry is False


@pytest.mark.slow
def test_app_sets_analytics_and_telemetry_off_itself(guarded_index, tmp_path):
    """`app.main` turns Gradio analytics and Chroma telemetry off when the environment does not."""
    data, _, _ = guarded_index
    guard = Guard(tmp_path)
    # Run main() with the server's run() replaced (the app is built and mounted, then main()
    # returns), in a throwaway process, then read what it set.
    code = """
import os, sys
import uvicorn
uvicorn.run = lambda *args, **kw: None
import app
assert app.main() == 0
from gradio import analytics
print(os.environ.get("GRADIO_ANALYTICS_ENABLED"), os.environ.get("ANONYMIZED_TELEMETRY"),
      analytics.analytics_enabled())
"""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("COACH_") and k not in ("GRADIO_ANALYTICS_ENABLED", "ANONYMIZED_TELEMETRY")}
    env.update({**guard.env, "COACH_DATA_DIR": str(data), "COACH_EMBED_MODEL": "e5-small"})
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout.decode().split()[-3:] == ["False", "False", "False"]
    guard.assert_clean()
