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


def start_app(env_extra: dict, timeout: float = 300, port: int | None = None) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
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
    from assistant.knowledge.model import load_knowledge
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


@pytest.mark.browser
def test_browser_question_streams_an_answer_with_sources(browser, app_url):
    """Typing a question shows the streamed answer, the block and a collapsible source box."""
    page, _ = new_page(browser, app_url)
    ask(page, "Hoe bouwen partners aan onderling vertrouwen?")
    page.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    chat = page.inner_text("#chat")
    assert "Vragen om te bespreken" in chat and "Binding" in chat and "[1]" in chat
    page.click("#chat >> text=Bronnen (")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "01-coach-answer.png"), full_page=True)
    assert page.locator("#mozaiek .mz-lit").count() >= 1


@pytest.mark.browser
def test_browser_block_chip_steers_the_conversation(browser, app_url):
    """Clicking a block chip marks it as chosen and lights its tile."""
    page, _ = new_page(browser, app_url)
    page.click("#chip-verankering")
    page.wait_for_selector("#chosen-label >> text=Verankering", timeout=10_000)
    assert page.locator("#mozaiek .mz-lit").count() == 1
    assert page.locator("#mozaiek .mz-lit").get_attribute("data-block") == "verankering"
    ask(page, "Hoe pakken we dit aan?")
    page.wait_for_selector("#chat >> text=Je koos zelf voor deze bouwsteen", timeout=30_000)
    assert "Verankering" in page.inner_text("#chat")
    page.screenshot(path=str(SHOTS / "02-chip-verankering.png"), full_page=True)


@pytest.mark.browser
def test_browser_script_in_a_message_is_shown_as_text(browser, app_url):
    """HTML and script in a message are shown as text and run nothing; an address or a Markdown
    link in it is no link (the same escaping as own documents' titles in the sources)."""
    page, dialogs = new_page(browser, app_url)
    ask(page, "<script>alert(1)</script> <img src=x onerror=alert(2)> Hoe bouwen we vertrouwen?")
    page.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert "<script>alert(1)</script>" in page.inner_text("#chat")
    assert page.locator("#chat img[src='x']").count() == 0
    ask(page, "Zie [klik](http://evil.example/a), https://evil.example/b, www.evil.example of jan@evil.example.")
    _answers_done(page, 2)
    text = page.inner_text("#chat")
    assert "[klik](http://evil.example/a), https://evil.example/b, www.evil.example of jan@evil.example." in text
    assert page.locator("#chat a[href*='evil']").count() == 0
    page.screenshot(path=str(SHOTS / "03-script-as-text.png"), full_page=True)


@pytest.mark.browser
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
    report = page.inner_text("#scan-report")
    assert "Waarde" in report and "Deelname" in report  # the two weakest blocks
    assert page.locator("#scan-chart img").get_attribute("src")
    assert page.locator("#scan-files a").count() == 3  # report, chart and scores to download
    page.screenshot(path=str(SHOTS / "04-scan-chart.png"), full_page=True)


@pytest.mark.browser
def test_two_browser_sessions_do_not_share_history_or_scan(browser, app_url, tmp_path):
    """Two people asking and scoring at the same time each see only their own conversation and scan."""
    a, _ = new_page(browser, app_url)
    b, _ = new_page(browser, app_url)
    ask(a, "Wat is de bouwsteen Deelname?")
    ask(b, "Hoe houden we de wethouder betrokken bij ons netwerk?")
    a.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    b.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    assert "wethouder" not in a.inner_text("#chat") and "Deelname?" in a.inner_text("#chat")
    assert "Deelname?" not in b.inner_text("#chat") and "wethouder" in b.inner_text("#chat")
    csv_a, csv_b = tmp_path / "a.csv", tmp_path / "b.csv"
    csv_a.write_text(CSV3, encoding="utf-8")
    csv_b.write_text(CSV3.split("\n")[0] + "\nDirk,1,1,1,1,1,1,1\n", encoding="utf-8")
    for page, csv, name in ((a, csv_a, "Cees"), (b, csv_b, "Dirk")):
        page.click("button[role='tab']:has-text('Leerkring')")
        page.set_input_files("#scan-import input[type='file']", str(csv))
        page.wait_for_function(f"document.querySelector('#scan-table').innerText.includes({name!r})",
                               timeout=20_000)
    assert "Dirk" not in a.inner_text("#scan-table") and "Cees" not in b.inner_text("#scan-table")
    ask_again = "Wat betekent binding?"
    b.click("button[role='tab']:has-text('Coach')")
    ask(b, ask_again)
    b.wait_for_function("document.querySelector('#chat').innerText.split('Bronnen (').length >= 3",
                        timeout=30_000)
    a.click("button[role='tab']:has-text('Coach')")
    assert ask_again not in a.inner_text("#chat")
    b.screenshot(path=str(SHOTS / "05-second-session-own-history.png"), full_page=True)


def test_refuses_public_address_without_login():
    """Listening beyond loopback without COACH_AUTH is refused with a clear message."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"COACH_HOST": "0.0.0.0", "HF_HUB_OFFLINE": "1"})
    r = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert r.returncode == 2 and "COACH_AUTH" in r.stderr.decode()


# --------------------------------------------------------------------------- bugs found by trying the app

def switch_language(page, code: str) -> None:
    page.get_by_role("radio", name="English" if code == "en" else "Nederlands").check()
    page.wait_for_timeout(800)


def all_tab_texts(page) -> str:
    """The visible text of every tab, one after the other (the tour also on its first block's page:
    its links and practice stories are hidden on the opening page)."""
    texts = []
    for tab in page.locator("button[role='tab']").all():
        tab.click()
        page.wait_for_timeout(300)
        texts.append(page.inner_text("body"))
        if page.locator("#tour-next").is_visible():
            page.click("#tour-next")
            page.wait_for_selector("#tour-block-extras", state="visible", timeout=10_000)
            texts.append(page.inner_text("body"))
            page.click("#tour-prev")
            page.wait_for_selector("#tour-block-extras", state="hidden", timeout=10_000)
    return "\n".join(texts)


DUTCH_UI = ["Voorbereiden", "Kennismaken", "Ik worstel met", "Over deze coach", "Voorbeeldvragen",
            "Waar is het overleg voor?", "Wat speelt er?", "Maak voorbereiding", "Vorige", "Volgende",
            "Vraag de coach over deze bouwsteen", "Praktijkverhalen bij deze bouwsteen", "Voeg deelnemer toe",
            "Maak de scan", "Begin opnieuw", "Ingevoerde scores", "Scan inlezen", "Het Netwerkmozaïek in het kort",
            "Bewaar gesprek", "Wis gesprek", "Geen bouwsteen gekozen", "ga naar"]


@pytest.mark.browser
def test_browser_language_switch_relabels_every_tab(browser, app_url):
    """After switching to English no Dutch label, button, tab title or heading is left, and back again."""
    page, _ = new_page(browser, app_url)
    switch_language(page, "en")
    english = all_tab_texts(page)
    assert [t for t in DUTCH_UI if t in english] == []
    assert "Prepare" in english and "Add participant" in english
    page.click("button[role='tab']:nth-of-type(1)")
    switch_language(page, "nl")
    dutch = all_tab_texts(page)
    assert [t for t in DUTCH_UI if t not in dutch] == []


@pytest.mark.browser
def test_browser_tour_stem_buttons_keep_the_language(browser, app_url):
    """In English, following a 'stem af met' link in the tour shows the next block in English."""
    page, _ = new_page(browser, app_url)
    switch_language(page, "en")
    page.click("button[role='tab']:has-text('Get to know')")
    page.wait_for_selector("#tour-page >> text=The Netwerkmozaïek in brief", timeout=10_000)  # the opening page
    page.click("#tour-next")
    page.wait_for_selector("#tour-page >> text=Key questions", timeout=10_000)
    first = page.inner_text("#tour-page").splitlines()[0]
    page.click("#tour-stem-0")
    page.wait_for_function(f"!document.querySelector('#tour-page').innerText.startsWith({first!r})",
                           timeout=10_000)
    tour = page.inner_text("#tour-page")
    assert "Key questions" in tour and "Korte toelichting" not in tour


@pytest.mark.browser
def test_browser_gradio_widgets_speak_dutch_by_default(browser, app_url):
    """The page is Dutch (lang="nl") and Gradio's own upload texts are Dutch, not 'Drop File Here'."""
    page, _ = new_page(browser, app_url)
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.click("button[role='tab']:has-text('Leerkring')")
    upload = page.inner_text("#scan-import")
    assert "Drop File Here" not in upload and "Sleep" in upload


@pytest.mark.browser
def test_browser_page_stops_polling_once_the_index_is_ready(browser, app_url):
    """With the index ready an open page sends the server nothing while nobody does anything."""
    page, _ = new_page(browser, app_url)
    page.wait_for_timeout(2000)
    calls = []
    page.on("request", lambda r: calls.append(r.url) if "/gradio_api/" in r.url else None)
    page.wait_for_timeout(7000)
    assert [u for u in calls if "heartbeat" not in u] == []


@pytest.mark.browser
def test_browser_follow_up_question_reaches_the_language_model_with_the_first(browser, real_settings):
    """With COACH_LLM=openai the second chat question is sent to the model together with the first exchange.

    The model is the labelled FAKE OpenAI-protocol server of tests/llm_fake_server.py.
    """
    from .llm_fake_server import FakeOpenAIServer
    with FakeOpenAIServer() as fake:
        proc, url = start_app({"COACH_DATA_DIR": str(real_settings.data_dir), "COACH_EMBED_MODEL": "e5-small",
                               "COACH_LLM": "openai", "COACH_LLM_BASE_URL": fake.base_url,
                               "COACH_LLM_MODEL": "fake-model", "COACH_LLM_TIMEOUT": "10"})
        try:
            page, _ = new_page(browser, url)
            first, second = "Hoe bouwen partners aan onderling vertrouwen?", "En hoe houden we dat vol?"
            ask(page, first)
            page.wait_for_selector("#chat >> text=Bronnen (", timeout=60_000)
            ask(page, second)
            page.wait_for_function("document.querySelector('#chat').innerText.split('Bronnen (').length >= 3",
                                   timeout=60_000)
        finally:
            proc.terminate()
            proc.wait(10)
    chats = [r["body"] for r in fake.requests if r["body"].get("messages")
             and any(second in str(m.get("content")) for m in r["body"]["messages"])]
    assert chats, "the second question never reached the model"
    assert first in " ".join(str(m.get("content")) for m in chats[-1]["messages"])


# --------------------------------------------------------------------------- a conversation (issue 18)

def _answers_done(page, n: int, timeout: float = 40_000) -> None:
    """Wait until the chat holds ``n`` questions and the last answer is complete (the choices under
    the chat only change when an answer is done)."""
    page.wait_for_function(f"document.querySelectorAll('#chat .user-row').length >= {n}", timeout=timeout)
    page.wait_for_function("!document.querySelector('#chat .pending') && "
                           "!document.querySelector('#chat [data-testid=status-tracker]:not(.hide)')",
                           timeout=timeout)
    page.wait_for_timeout(800)  # the scroll to the newest question runs after the answer


def _newest_question_in_view(page) -> bool:
    top, height = page.evaluate("""() => { const rows = document.querySelectorAll('#chat .user-row');
        const r = rows[rows.length - 1].getBoundingClientRect(); return [r.top, window.innerHeight]; }""")
    return -4 <= top and top + 120 <= height  # the question and the answer's first line are in view


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_browser_conversation_builds_and_keeps_the_answer_in_view(browser, app_url, width, height):
    """A five-turn conversation on desktop and phone: a situation, "korter", "hoe pak ik dat aan?",
    a click on a deepening question and a click on a "stem af met" block. After every answer the
    newest question is at the top of the view; the questions shown in the answer are on the page
    once (the choice under it only names them); on a phone the question box is in view at the start,
    and the language choices sit side by side."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_selector("#question textarea", timeout=30_000)
    box = page.locator("#question textarea").bounding_box()
    assert box is not None and box["y"] + box["height"] <= height, "question box below the first screen"
    nl, en = (page.locator("#lang label").nth(i).bounding_box() for i in (0, 1))
    assert abs(nl["y"] - en["y"]) < 4, "the two language choices are stacked instead of side by side"
    turns = ["Hoe bouwen we als partners aan onderling vertrouwen?", "kun je dat korter zeggen?",
             "en hoe pak ik dat dan aan?"]
    for n, text in enumerate(turns, 1):
        ask(page, text)
        _answers_done(page, n)
        top = page.evaluate("() => [...document.querySelectorAll('#chat .user-row')].pop().getBoundingClientRect().top")
        assert _newest_question_in_view(page), f"turn {n}: the answer's start is out of view (top {top})"
    chat = page.inner_text("#chat")
    assert "Korter gezegd" in chat and "Zo pakten anderen het aan" in chat and "Uit de praktijk" in chat
    first_question = page.locator("#deepening label").first.inner_text().strip()
    assert first_question == "Vraag 1"
    shown = page.locator("#chat .bot-row").last.locator("ol li").first.inner_text().strip()
    latest = page.locator("#chat .bot-row").last.inner_text() + page.inner_text("#deepening")
    assert latest.count(shown[:60]) == 1, "a deepening question is shown twice (in the answer and under it)"
    page.locator("#deepening label").first.click()
    _answers_done(page, 4)
    assert _newest_question_in_view(page)
    assert "Hoe bespreek ik deze vraag in mijn netwerk" in page.locator("#chat .user-row").last.inner_text()
    assert "Om deze vraag in je netwerk te bespreken" in page.locator("#chat .bot-row").last.inner_text() or \
        "Om deze vraag" in page.inner_text("#chat")
    stem = page.locator("#stems label").first
    name = stem.inner_text().strip()
    stem.click()
    _answers_done(page, 5)
    assert _newest_question_in_view(page)
    assert f"vanuit de bouwsteen **{name}**".replace("**", "") in page.inner_text("#chat")
    page.screenshot(path=str(SHOTS / f"20-conversation-{width}.png"), full_page=False)
    context.close()


@pytest.mark.browser
def test_browser_unsure_choice_answers_without_repeating_the_question(browser, app_url, client):
    """Two close blocks: the coach asks which one (the choice is right under the chat, as it says);
    choosing answers the question with that block, and the question is not asked again. (The
    question is the first of a few situations the coach is unsure about, found through /ask.)"""
    candidates = [
        "Waarom lukt het niet als alleen de gemeente en de woningcorporatie zich bezighouden met het huisvesten "
        "van mensen die uit de opvang komen?",
        "De wethouder wil dat ik snel een plan schrijf voor mensen die uit de beschermde woonvorm naar een eigen "
        "huis moeten, maar ik weet niet welke thema's de corporaties en zorgpartijen zelf belangrijk vinden. "
        "Hoe begin ik?",
        "De partners komen niet meer naar het overleg en niemand voelt zich eigenaar.",
        "De wethouder wil binnen een maand resultaten zien, maar de partners willen eerst samen de opgave "
        "verkennen."]
    question = next((q for q in candidates if client.predict(q, "", "", api_name="/ask")["kind"] == "clarify"),
                    None)
    assert question is not None, "none of the candidate situations makes the coach ask first any more"
    page, _ = new_page(browser, app_url)
    ask(page, question)
    page.wait_for_selector("#which-block label", timeout=40_000)
    assert "hieronder" in page.locator("#chat .bot-row").last.inner_text()
    option = page.locator("#which-block label").nth(1)
    name = option.inner_text().strip()
    option.click()
    _answers_done(page, 2)
    users = page.locator("#chat .user-row").all_inner_texts()
    assert users[-1].strip() == name and sum(question[:40] in u for u in users) == 1
    assert name in page.locator("#chat .bot-row").nth(-2).inner_text() or name in page.inner_text("#chat")
    page.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    page.screenshot(path=str(SHOTS / "21-unsure-choice.png"), full_page=False)


@pytest.mark.browser
def test_browser_a_source_opens_in_its_context(browser, app_url):
    """A source opens under the answer with its section and the passage around the quoted words,
    which are marked."""
    page, _ = new_page(browser, app_url)
    ask(page, "Hoe maken we zichtbaar welke waarde ons netwerk oplevert?")
    page.wait_for_selector("#chat >> text=Bronnen (", timeout=40_000)
    page.click("#chat >> text=Bronnen (")
    sources = page.locator("#chat details.sources")
    sources.locator("strong").first.wait_for(timeout=5_000)
    text = sources.inner_text()
    assert "[1]" in text and "Bouwsteen" in text or "·" in text
    marked = sources.locator("blockquote strong").first.inner_text()
    quote_block = sources.locator("blockquote").first.inner_text()
    assert marked and len(quote_block) > len(marked)  # the passage around the quoted words


@pytest.mark.browser
def test_browser_a_question_asked_during_the_build_is_answered_afterwards(browser, tmp_path):
    """On a first start the index is still being built: a question asked then gets no error but
    "Ik ben zo klaar …", and its answer appears by itself once the coach is ready. (FAKE embedder,
    slowed down, over the fixture magazine: see tests/fixtures/app_slow_fake_model.py.)"""
    from .conftest import MINI_CORPUS
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"HF_HUB_OFFLINE": "1", "COACH_PORT": str(port), "COACH_DATA_DIR": str(tmp_path / "data"),
                "COACH_CORPUS": str(MINI_CORPUS), "COACH_EMBED_MODEL": "fake", "SLOW_EMBED_S": "1.5",
                "PYTHONUNBUFFERED": "1"})
    log = open(tmp_path / "app.log", "wb")
    proc = subprocess.Popen([sys.executable, "tests/fixtures/app_slow_fake_model.py"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        page, _ = new_page(browser, url)
        ask(page, "Hoe bouwen we aan vertrouwen tussen de partners?")
        page.wait_for_selector("#chat >> text=Ik ben zo klaar", timeout=20_000)
        assert page.locator(".toast-body").count() == 0  # no "Error" toast
        page.screenshot(path=str(SHOTS / "22-asked-during-build.png"), full_page=False)
        page.wait_for_selector("#chat >> text=bouwsteen", timeout=120_000)
        chat = page.inner_text("#chat")
        assert "Ik ben zo klaar" not in chat and chat.count("Hoe bouwen we aan vertrouwen") == 1
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.browser
def test_browser_a_loopback_only_app_warns_before_the_qr_code(browser, app_url):
    """The app listens on this computer only (the default): starting a learning circle shows the
    trainer, above the QR code, that phones cannot open the link and how to start for the room."""
    page, _ = new_page(browser, app_url)
    page.locator("button[role='tab'][data-tab-id='scan']").click()
    page.locator("#lk-title textarea, #lk-title input").first.fill("Leerkring op mijn laptop")
    page.locator("#lk-start").click()
    page.wait_for_selector("#lk-join-url", timeout=20_000)
    warning = page.locator("#lk-warn")
    assert warning.is_visible() and warning.get_attribute("role") == "alert"
    assert "COACH_HOST=0.0.0.0" in warning.inner_text() and "telefoons" in warning.inner_text()
    qr = page.locator("#lk-join svg[role=img]").bounding_box()
    assert warning.bounding_box()["y"] < qr["y"], "the warning must come before the QR code"
    page.screenshot(path=str(SHOTS / "leerkring-loopback-warning.png"))


@pytest.mark.browser
@pytest.mark.parametrize("lang,width", [("nl", 1280), ("en", 390)])
def test_browser_follow_ups_say_to_example_other_block_and_back(browser, app_url, lang, width):
    """The other four follow-ups in one conversation (Dutch on a desktop, English on a phone):
    "what do I say to the alderman" keeps the block and names who it is for; "another example"
    brings a practice story; "the other block" answers from the second block; "back to the
    previous one" returns to the first. Each answer's start is in view."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_selector("#question textarea", timeout=30_000)
    if lang == "en":
        page.locator("#lang label", has_text="English").click()
        page.wait_for_timeout(1000)
    turns = {"nl": ["Hoe bouwen we als partners aan onderling vertrouwen?", "Wat zeg ik dan precies tegen de wethouder?",
                    "heb je nog een ander voorbeeld?", "en vanuit de andere bouwsteen?", "terug naar de vorige bouwsteen"],
             "en": ["How do we build trust between the partners?", "What do I say to the alderman?",
                    "do you have another example?", "and the other block?", "back to the previous block"]}[lang]
    expect = {"nl": [None, "Voor je gesprek met", "Nog een voorbeeld uit de praktijk|Een ander praktijkverhaal",
                     "Dezelfde situatie, nu vanuit de bouwsteen", "Terug naar je eerdere situatie"],
              "en": [None, "For your conversation with", "Another example from practice|no other practice story",
                     "The same situation, now from the building block", "Back to your earlier situation"]}[lang]
    blocks = []
    for n, (text, phrase) in enumerate(zip(turns, expect), 1):
        ask(page, text)
        _answers_done(page, n)
        answer = page.locator("#chat .bot-row").last.inner_text()
        blocks.append(next((b for b in ("Opgave", "Waarde", "Samen doen", "Verankering", "Deelname", "Binding",
                                        "Organisatie") if f" {b}" in answer.split("\n")[0]), None))
        if phrase:
            assert any(p in answer for p in phrase.split("|")), (n, answer[:300])
        assert _newest_question_in_view(page), f"turn {n}: the answer's start is out of view"
    assert blocks[0] is not None and blocks[1] == blocks[0]  # what to say: the same block
    assert blocks[3] not in (None, blocks[0]) and blocks[4] == blocks[0], blocks  # the other one, then back
    page.screenshot(path=str(SHOTS / f"22-follow-ups-{lang}-{width}.png"), full_page=False)
    context.close()
