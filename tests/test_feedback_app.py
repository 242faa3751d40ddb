"""Feedback in Debian's chromium (issue 21): ask, 👎 with the keyboard, "verkeerde bouwsteen" and a
block, the thanks line; the gaps panel then shows the correction. The app is the real server
(``build_server``) in this process, around the fixture coach; screenshots go to ``screenshots/``."""
from __future__ import annotations

import pytest

from .test_app import SHOTS, browser  # noqa: F401 - fixture
from .test_feedback import Server, holder_with

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app():
    holder = holder_with(True)
    server = Server(holder)
    yield holder, server
    server.stop()


def test_thumbs_down_with_a_corrected_block_reaches_the_trainers_panel(browser, app):  # noqa: F811
    holder, server = app
    page = browser.new_context(viewport={"width": 1280, "height": 1400}).new_page()
    page.goto(server.url)
    page.wait_for_selector("#question textarea", timeout=30_000)
    assert page.locator("#fb-up").is_hidden()  # nothing to rate before the first answer
    page.fill("#question textarea", "Twee partners komen niet meer naar ons overleg.")
    page.click("#send")
    page.wait_for_selector("#fb-down", state="visible", timeout=30_000)
    down = page.get_by_role("button", name="👎 Nee, niet nuttig")
    assert down.count() == 1 and page.get_by_role("button", name="👍 Ja, nuttig").count() == 1
    down.focus()
    page.keyboard.press("Enter")  # keyboard, not the mouse
    page.wait_for_selector("#fb-reason", state="visible", timeout=10_000)
    page.wait_for_selector("#fb-thanks [role='status'] >> text=Wil je nog zeggen", timeout=10_000)
    page.get_by_label("Verkeerde bouwsteen").check()
    page.wait_for_selector("#fb-block", state="visible", timeout=10_000)
    from axe_playwright_python.sync_playwright import Axe

    from .test_a11y import serious
    assert serious(Axe().run(page)) == []  # the row, the reasons and the blocks open: nothing serious
    page.locator("#fb-block").get_by_label("Waarde").check()
    page.wait_for_selector("#fb-thanks >> text=Je reactie helpt de coach", timeout=10_000)
    assert page.locator("#fb-block").is_hidden() and page.locator("#fb-reason").is_hidden()
    page.screenshot(path=str(SHOTS / "feedback-1-thanks.png"), full_page=True)

    page.click("#gaps >> text=Wat de coach mist")
    page.wait_for_selector("#gaps-report >> text=Verbeterde bouwstenen", timeout=20_000)
    report = page.locator("#gaps-report").inner_text()
    assert "Waarde" in report and "Verkeerde bouwsteen" in report
    page.screenshot(path=str(SHOTS / "feedback-2-panel.png"), full_page=True)

    from assistant.usage.feedback import FeedbackStore, default_path
    (row,) = FeedbackStore(default_path(holder.settings.data_dir)).rows()
    assert (row["rating"], row["reason"], row["correction"]) == ("down", "wrong_block", "waarde")
    assert row["session"] and row["question"].startswith("Twee partners")
