"""The Gradio app, started as a user starts it, driven through gradio_client and a real browser
(Debian's chromium via Playwright). Screenshots of each step go to ``screenshots/`` (git-ignored)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow
SHOTS = ROOT / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CSV3 = ("naam,opgave,waarde,samen-doen,verankering,deelname,binding,organisatie\n"
        "Anna,4,2,3,4,2,5,3\nBram,3,1,3,4,2,4,5\nCees,5,2,4,3,1,4,1\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(env_extra: dict, timeout: float = 120) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"HF_HUB_OFFLINE": "1", "COACH_PORT": str(port), "PYTHONUNBUFFERED": "1", **env_extra})
    log = open(Path(tempfile.gettempdir()) / f"mozaiekcoach-test-app-{port}.log", "wb")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(Path(log.name).read_text(errors="replace"))
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise TimeoutError("app did not start")


@pytest.fixture(scope="module")
def app_url(real_settings):
    proc, url = start_app({"COACH_DATA_DIR": str(real_settings.data_dir), "COACH_EMBED_MODEL": "e5-small"})
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client
    return Client(app_url, verbose=False, analytics_enabled=False)


def test_api_ask_gives_cited_answer_and_block(client):
    """/ask returns the JSON answer with citations and the detected block."""
    r = client.predict("Hoe bouwen partners aan onderling vertrouwen?", "", "", api_name="/ask")
    assert r["in_scope"] and r["blocks"][0]["key"] == "binding"
    assert r["citations"] and all(c["quote"] for c in r["citations"])


def test_api_prep_gives_markdown_file_with_questions_of_the_focus_block(client):
    """/prep writes a Markdown and an HTML prep sheet whose agenda questions come from the focus block."""
    from assistant.index import load_knowledge
    md, files = client.predict("Overleg met de kernpartners",
                               "Er is wantrouwen tussen partners en niemand spreekt elkaar aan.", ["Binding"],
                               api_name="/prep")
    md_file = next(f for f in files if f.endswith(".md"))
    text = Path(md_file).read_text(encoding="utf-8")
    binding = load_knowledge(ROOT / "corpus" / "meer-bereiken-met-organisatienetwerken.txt").block("binding")
    agenda = text.split("## Vragen voor de agenda")[1].split("##")[0]
    items = [line for line in agenda.splitlines() if line[:2].rstrip(".").isdigit()]
    assert 5 <= len(items) <= 8
    assert all(any(q in line for q in binding.deepening_questions + binding.key_questions) for line in items)
    assert any(f.endswith(".html") for f in files) and "Binding" in md


def test_api_scan_with_three_participants(client):
    """/scan returns the radar chart PNG, the report with focus blocks, and three files."""
    img, report, files = client.predict(CSV3, api_name="/scan")
    assert Path(img).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Waarde" in report and "Deelname" in report  # the two weakest blocks
    assert sorted(Path(f).suffix for f in files) == [".csv", ".md", ".png"]


# --------------------------------------------------------------------------- browser

@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make setup-test` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def new_page(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_url)
    page.wait_for_selector("#question textarea", timeout=30_000)
    return page, dialogs


def ask(page, text):
    page.fill("#question textarea", text)
    page.click("#send")


def test_browser_question_streams_an_answer_with_sources(browser, app_url):
    """Typing a question shows the streamed answer, the block and a collapsible source box."""
    page, _ = new_page(browser, app_url)
    ask(page, "Hoe bouwen partners aan onderling vertrouwen?")
    page.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    chat = page.inner_text("#chat")
    assert "Kern" in chat and "Bouwsteen: Binding" in chat and "[1]" in chat
    page.click("#chat >> text=Bronnen (")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "01-coach-answer.png"), full_page=True)
    assert page.locator("#mozaiek .mz-lit").count() >= 1


def test_browser_block_chip_steers_the_conversation(browser, app_url):
    """Clicking a block chip marks it as chosen and lights its tile."""
    page, _ = new_page(browser, app_url)
    page.click("#chip-verankering")
    page.wait_for_selector("#chosen-label >> text=Verankering", timeout=10_000)
    assert page.locator("#mozaiek .mz-lit").count() == 1
    assert page.locator("#mozaiek .mz-lit").get_attribute("data-block") == "verankering"
    ask(page, "Hoe pakken we dit aan?")
    page.wait_for_selector("#chat >> text=Bouwsteen: Verankering", timeout=30_000)
    page.screenshot(path=str(SHOTS / "02-chip-verankering.png"), full_page=True)


def test_browser_script_in_a_message_is_shown_as_text(browser, app_url):
    """HTML and script in a message are shown as text and run nothing."""
    page, dialogs = new_page(browser, app_url)
    ask(page, "<script>alert(1)</script> <img src=x onerror=alert(2)> Hoe bouwen we vertrouwen?")
    page.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert "<script>alert(1)</script>" in page.inner_text("#chat")
    assert page.locator("#chat img[src='x']").count() == 0
    page.screenshot(path=str(SHOTS / "03-script-as-text.png"), full_page=True)


def test_browser_scan_shows_the_chart(browser, app_url, tmp_path):
    """Importing a scan CSV and making the scan shows the radar chart and focus blocks."""
    page, _ = new_page(browser, app_url)
    page.click("button[role='tab']:has-text('Leerkring')")
    csv = tmp_path / "scan.csv"
    csv.write_text(CSV3, encoding="utf-8")
    page.set_input_files("#scan-import input[type='file']", str(csv))
    page.wait_for_selector("#scan-table >> text=Cees", timeout=20_000)
    page.click("#scan-go")
    page.wait_for_selector("#scan-chart img", timeout=30_000)
    page.wait_for_selector("#scan-report >> text=Waarde", timeout=10_000)
    page.screenshot(path=str(SHOTS / "04-scan-chart.png"), full_page=True)


def test_two_browser_sessions_do_not_share_history_or_scan(browser, app_url, tmp_path):
    """What one person asks or scores is not visible to another browser session."""
    a, _ = new_page(browser, app_url)
    b, _ = new_page(browser, app_url)
    ask(a, "Wat is de bouwsteen Deelname?")
    a.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    a.click("button[role='tab']:has-text('Leerkring')")
    csv = tmp_path / "scan.csv"
    csv.write_text(CSV3, encoding="utf-8")
    a.set_input_files("#scan-import input[type='file']", str(csv))
    a.wait_for_selector("#scan-table >> text=Cees", timeout=20_000)
    b.reload()
    b.wait_for_selector("#question textarea")
    assert "Deelname" not in b.inner_text("#chat")
    b.click("button[role='tab']:has-text('Leerkring')")
    assert "Cees" not in b.inner_text("#scan-table")
    b.screenshot(path=str(SHOTS / "05-second-session-empty.png"), full_page=True)


def test_refuses_public_address_without_login():
    """Listening beyond loopback without COACH_AUTH is refused with a clear message."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"COACH_HOST": "0.0.0.0", "HF_HUB_OFFLINE": "1"})
    r = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert r.returncode == 2 and "COACH_AUTH" in r.stderr.decode()
