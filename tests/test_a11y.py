"""Accessibility: an axe-core audit (bundled in axe-playwright-python) of each tab in Debian's
chromium, in Dutch and in English, and screenshots of each tab at desktop and phone width.

Done means: no violation of impact "serious" or "critical"; the answer region is announced to
screen readers (aria-live); every control has a name.
"""
from __future__ import annotations

import pytest

from .test_app import SHOTS, app_url, ask, browser, new_page, switch_language  # noqa: F401 - fixtures

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TABS = ("coach", "prep", "tour", "scan", "docs")
WIDTHS = {"desktop": 1280, "phone": 390}
TAB_NAMES = {"coach": "Coach", "prep": "Voorbereiden", "tour": "Kennismaken", "scan": "Leerkring", "docs": "Documenten"}


def open_tab(page, tab: str) -> None:
    """Click the tab, or on a narrow screen pick it from Gradio's overflow menu."""
    button = page.locator(f"button[role='tab'][data-tab-id='{tab}']")
    if button.count() and button.is_visible():
        button.click()
    else:
        page.click(".overflow-menu > button")
        page.locator(".overflow-dropdown button").filter(has_text=TAB_NAMES[tab]).click()
    page.wait_for_timeout(500)


def serious(results) -> list[str]:
    """The serious and critical violations, one line each: rule, impact, first element."""
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} — {v['help']}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("tab", list(TABS))
def test_tab_has_no_serious_accessibility_violations(browser, app_url, axe, tab, lang):
    """axe-core finds nothing serious or critical on the tab (coach tab with an answer on it)."""
    page, _ = new_page(browser, app_url)
    if lang == "en":
        switch_language(page, "en")
    open_tab(page, tab)
    if tab == "coach":
        ask(page, "Hoe bouwen partners aan onderling vertrouwen?")
        page.wait_for_selector("#chat >> text=" + ("Bronnen (" if lang == "nl" else "Sources ("), timeout=30_000)
    results = axe.run(page)
    counts = {}
    for v in results.response["violations"]:
        counts[v["impact"]] = counts.get(v["impact"], 0) + 1
    print(f"axe {tab}/{lang}: {counts or 'no violations'}")
    assert serious(results) == []


def test_the_answer_is_announced_and_every_control_is_named(browser, app_url):
    """The conversation is a polite live region, and each button, field and radio has an accessible name."""
    page, _ = new_page(browser, app_url)
    assert page.locator("#chat [aria-live='polite']").count() >= 1
    ask(page, "Wat is binding?")
    page.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    live = page.locator("#chat [aria-live='polite']").first.inner_text()
    assert "Binding" in live
    unnamed = page.evaluate("""() => [...document.querySelectorAll('button, input, textarea, select')]
        .filter(e => e.offsetParent !== null && e.type !== 'hidden')
        .filter(e => !(e.getAttribute('aria-label') || e.labels?.length || e.getAttribute('aria-labelledby')
                       || e.innerText?.trim() || e.title))
        .map(e => e.outerHTML.slice(0, 120))""")
    assert unnamed == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots_of_every_tab(browser, app_url, width):
    """Each tab at desktop and phone width, in Dutch, saved to screenshots/ to look at."""
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_selector("#question textarea", timeout=30_000)
    ask(page, "Twee partners komen niet meer naar het overleg. Wat nu?")
    page.wait_for_selector("#chat >> text=Bronnen (", timeout=30_000)
    for tab in TABS:
        open_tab(page, tab)
        path = SHOTS / f"a11y-{tab}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    context.close()
