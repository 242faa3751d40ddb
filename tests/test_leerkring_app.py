"""A whole room in Debian's chromium, against the app started as a trainer starts it for a room:
listening on the network (COACH_HOST=0.0.0.0) with a login (COACH_AUTH). The trainer opens the
app on this computer's network address in English; the QR code on the screen is decoded and must
hold a link phones can open; six participants (one a phone with touch) answer in English; the app
restarts halfway; the reveal in English with both charts and the comparison; the hand-off to
"Prepare a meeting" with the same blocks and remarks; and an axe-core audit of the participant
page. (That a trainer on a loopback-only app gets a warning instead is checked in test_app.py.)

Screenshots go to ``screenshots/`` (git-ignored)."""
from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from .test_app import CHROMIUM, SHOTS, browser, free_port, start_app  # noqa: F401 - fixtures

pytestmark = [pytest.mark.slow, pytest.mark.browser]

USER, PASSWORD = "trainer", "leerkring-test-wachtwoord"
KEYS = ("opgave", "waarde", "samen-doen", "verankering", "deelname", "binding", "organisatie")
# Earlier scan: opgave and deelname were low (1); now they come out at 3 or more.
EARLIER_CSV = ("naam,opgave,waarde,samen-doen,verankering,deelname,binding,organisatie\n"
               "A,1,3,3,3,1,3,3\nB,1,3,3,3,1,3,3\nC,1,3,3,3,1,3,3\n")
# Waarde and Organisatie come out lowest; Binding splits the room (1, 1 against 5, 5): the focus.
ROWS = [(3, 2, 3, 4, 5, 1, 2), (4, 2, 3, 4, 5, 1, 2), (3, 3, 3, 5, 1, 5, 2), (4, 2, 3, 3, 5, 4, 2),
        (3, 2, 4, 4, 4, 5, 2), (4, 3, 3, 4, 4, 2, 3)]


class App:
    """The app process, restartable on the same port and data folder."""

    def __init__(self, data_dir):
        from assistant.leerkring.view import lan_address
        self.port = free_port()
        self.env = {"COACH_DATA_DIR": str(data_dir), "COACH_EMBED_MODEL": "e5-small",
                    "COACH_AUTH": f"{USER}:{PASSWORD}", "COACH_HOST": "0.0.0.0"}
        self.proc, self.url = start_app(self.env, timeout=300, port=self.port)
        lan = lan_address()
        assert lan, "this machine has no network address besides loopback: a room cannot be tested"
        self.lan_url = f"http://{lan}:{self.port}/"  # the address a trainer's laptop has in the room

    def restart(self):
        self.proc.terminate()
        self.proc.wait(20)
        self.proc, self.url = start_app(self.env, timeout=300, port=self.port)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(20)


@pytest.fixture(scope="module")
def app(real_settings):
    running = App(real_settings.data_dir)
    yield running
    running.stop()


def login(page, url):
    page.goto(url)
    page.wait_for_selector("input[type=password]", timeout=30_000)
    page.get_by_label("Gebruikersnaam").fill(USER)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector("#question textarea", timeout=60_000)


def english(page):
    page.locator("#lang label", has_text="English").click()
    page.wait_for_function("document.querySelector(\"button[role='tab'][data-tab-id='scan']\").innerText"
                           ".includes('Learning')", timeout=10_000)


def decode_qr(page) -> str:
    """The link in the QR code as the projector shows it (a screenshot, decoded like a phone would)."""
    import io

    import zxingcpp
    from PIL import Image
    png = page.locator("#lk-join svg[role=img]").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, "no readable QR code on the trainer's screen"
    return found[0].text


def open_leerkring(page):
    page.locator("button[role='tab'][data-tab-id='scan']").click()
    page.wait_for_selector("#lk-title, #lk-join-url", timeout=10_000)


def count_shown(page) -> int:
    return int(re.search(r"\d+", page.locator("#lk-count").inner_text()).group())


def wait_count(page, n: int) -> None:
    page.wait_for_function(f"(document.querySelector('#lk-count')||{{innerText:''}}).innerText.startsWith('{n} ')",
                           timeout=20_000)


def participate(browser, join_url, row, phone=False, remark=None, name=None):
    options = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True} if phone else \
        {"viewport": {"width": 1024, "height": 900}}
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(join_url)
    assert page.locator("html").get_attribute("lang") == ("en" if "lang=en" in join_url else "nl")
    send = page.locator("button[type=submit]")
    assert send.is_disabled()  # nothing chosen yet: cannot send
    for i, (key, value) in enumerate(zip(KEYS, row)):
        choice = page.locator(f'#block-{key} label:has(input[value="{value}"])')
        choice.tap() if phone else choice.click()
        if i < len(KEYS) - 1:
            assert send.is_disabled()
    if name:
        page.fill("#name", name)
    if remark:
        page.locator(f"#block-{remark[0]} summary").click()
        page.fill(f"#remark-{remark[0]}", remark[1])
    assert send.is_enabled()
    send.tap() if phone else send.click()
    page.wait_for_selector(".msg.ok", timeout=10_000)
    return context, page


def test_a_whole_room_on_a_networked_instance(browser, app, tmp_path):
    """The trainer's laptop in the room: the app on the network address, in English. The QR code
    decodes to that address (no warning), six phones answer in English, a restart loses nothing,
    the reveal is English, and the prep sheet gets the focus blocks and their remarks."""
    trainer_context = browser.new_context(viewport={"width": 1280, "height": 1400})
    trainer = trainer_context.new_page()
    login(trainer, app.lan_url)
    english(trainer)
    open_leerkring(trainer)
    csv = tmp_path / "vorige-scan.csv"
    csv.write_text(EARLIER_CSV, encoding="utf-8")
    trainer.locator("#lk-title textarea, #lk-title input").first.fill("Leerkring wijkaanpak")
    trainer.locator("#lk-compare-file input[type=file]").set_input_files(str(csv))
    trainer.wait_for_timeout(500)
    trainer.locator("#lk-start").click()
    trainer.wait_for_selector("#lk-join-url", timeout=20_000)
    join_url = trainer.locator("#lk-join-url").inner_text()
    assert re.fullmatch(re.escape(app.lan_url) + r"leerkring/[A-Za-z0-9_-]{20,}\?lang=en", join_url), join_url
    assert trainer.locator("#lk-warn").count() == 0  # phones can reach it: no warning
    assert decode_qr(trainer) == join_url  # what the phones scan is the link shown, on the network address
    assert trainer.locator("#lk-join svg[role=img] title").count() == 1  # the QR code, with a text alternative
    trainer.screenshot(path=str(SHOTS / "leerkring-trainer-start.png"))
    assert count_shown(trainer) == 0
    # full screen for the projector: the QR code at least 60 % of the screen height, Esc leaves
    trainer.locator("#lk-fullscreen").click()
    trainer.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'lk-stage'",
                              timeout=5_000)
    qr_height, screen = trainer.evaluate("() => [document.querySelector('#lk-stage .lk-qr svg')"
                                         ".getBoundingClientRect().height, window.innerHeight]")
    assert qr_height >= 0.6 * screen
    assert trainer.locator("#lk-stage #lk-count").is_visible()
    assert decode_qr(trainer) == join_url  # still readable at projector size
    trainer.screenshot(path=str(SHOTS / "leerkring-fullscreen.png"))
    trainer.keyboard.press("Escape")
    trainer.wait_for_function("!document.fullscreenElement", timeout=5_000)

    # the participant page needs no login, but gives no way into the trainer's app
    contexts = []
    ctx, phone = participate(browser, join_url, ROWS[0], phone=True, remark=("binding", "<b>Wij</b> missen elkaar"),
                             name="Anna")
    contexts.append(ctx)
    assert "Your name" in phone.locator("body").inner_text()  # the phone follows the trainer's language
    phone.screenshot(path=str(SHOTS / "leerkring-phone-sent.png"), full_page=True)
    phone.goto(app.lan_url)
    phone.wait_for_selector("input[type=password]", timeout=30_000)  # the coach needs the login
    assert phone.locator("#lk-start, #lk-reveal, #question").count() == 0
    for path in ("config", "gradio_api/info"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(app.lan_url + path, timeout=10)
        assert refused.value.code in (401, 403)

    wait_count(trainer, 1)
    for row in ROWS[1:3]:
        contexts.append(participate(browser, join_url, row)[0])
    wait_count(trainer, 3)
    text = trainer.locator("body").inner_text()
    assert "Anna" not in text and "missen elkaar" not in text  # count only, never scores or remarks
    assert not trainer.locator("#lk-radar").is_visible()

    # restart the app in the middle: nothing is lost, the trainer's page comes back
    app.restart()
    login(trainer, app.lan_url)
    open_leerkring(trainer)
    trainer.wait_for_selector("#lk-join-url", timeout=20_000)  # back, in Dutch as every page starts
    assert trainer.locator("#lk-join-url").inner_text() == join_url.removesuffix("?lang=en")
    english(trainer)  # switching the language switches the link the room scans
    trainer.wait_for_function("document.querySelector('#lk-join-url').innerText.endsWith('?lang=en')",
                              timeout=10_000)
    assert trainer.locator("#lk-join-url").inner_text() == join_url and decode_qr(trainer) == join_url
    wait_count(trainer, 3)
    # the phone still sees (only) its own answer after the restart, and changes it
    phone.goto(join_url)
    assert phone.locator('#block-opgave input[value="3"]').is_checked()
    assert "missen elkaar" in phone.locator("#remark-binding").input_value()
    phone.locator('#block-waarde label:has(input[value="1"])').tap()
    phone.locator("button[type=submit]").tap()
    phone.wait_for_selector(".msg.ok")
    for row in ROWS[3:]:
        contexts.append(participate(browser, join_url, row)[0])
    wait_count(trainer, 6)

    trainer.locator("#lk-reveal").click()
    trainer.wait_for_selector("#lk-radar .js-plotly-plot", timeout=30_000)
    trainer.wait_for_selector("#lk-dots .js-plotly-plot", timeout=30_000)
    report = trainer.locator("#lk-report").inner_text()
    assert "Opgave: mean rose from 1.0 to" in report  # moved by 1 or more, in English
    assert "Deelname: mean rose from 1.0 to" in report
    assert "Focus for the conversation" in report and "Ingevuld" not in report
    assert "<b>Wij</b> missen elkaar" in report and "Anna" not in report  # remark shown as text, no name
    assert trainer.locator("#lk-report b").count() == 0
    assert trainer.locator("#lk-radar .legend").first.text_content().count("Mean") == 2  # now and earlier
    trainer.screenshot(path=str(SHOTS / "leerkring-trainer-reveal.png"), full_page=True)

    trainer.locator("#lk-close").click()
    trainer.wait_for_function("document.querySelector('#lk-count').innerText.includes('closed')", timeout=10_000)
    late = browser.new_context().new_page()
    late.goto(join_url)
    assert "closed" in late.locator("body").inner_text() and late.locator("form").count() == 0

    # one click: a prep sheet for the weakest and most disputed blocks, with the group's remarks
    trainer.locator("#lk-to-prep").click()
    trainer.wait_for_selector("#prep-sheet h1, #prep-sheet h2", timeout=60_000)
    sheet = trainer.locator("#prep-sheet").inner_text()
    assert "Organisatie" in sheet and "Waarde" in sheet and "Binding" in sheet
    focus = [t.strip() for t in trainer.locator("#prep-focus label:has(input:checked)").all_inner_texts()]
    assert sorted(focus) == ["Binding", "Organisatie", "Waarde"], focus  # exactly the scan's focus blocks
    situation = trainer.locator("#prep-situation textarea").input_value()
    assert "missen elkaar" in situation and "scored lowest" in situation
    assert trainer.locator("#prep-files").is_visible()
    trainer.screenshot(path=str(SHOTS / "leerkring-prep-hand-off.png"), full_page=True)
    for ctx in contexts:
        ctx.close()
    trainer_context.close()


def test_participant_page_has_no_serious_accessibility_violations(browser, app):
    from axe_playwright_python.sync_playwright import Axe
    from gradio_client import Client
    client = Client(app.url, auth=(USER, PASSWORD), verbose=False, analytics_enabled=False)
    started = client.predict("Leerkring a11y", "", api_name="/leerkring_start")
    assert client.predict(started["code"], started["trainer_token"], api_name="/leerkring_status") == \
        {"count": 0, "state": "open"}
    for width, lang in ((390, "nl"), (1024, "en")):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(started["join_url"] + ("?lang=en" if lang == "en" else ""))
        results = Axe().run(page)
        bad = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
        assert bad == [], (width, lang, bad)
        page.screenshot(path=str(SHOTS / f"leerkring-participant-{width}-{lang}.png"), full_page=True)
