"""The app as a whole, without a server: the index banner, the mode line, the Dutch page, and
that every text on the page comes from the texts module and switches language."""
from __future__ import annotations

import asyncio

import gradio as gr
import pytest

from assistant.strings import UI_TEXTS
from assistant.ui import build_app, status
from assistant.ui.page import DutchFirstPage, dutch_first

from .ui_fakes import FakeHolder


@pytest.fixture(scope="module")
def holder():
    return FakeHolder()


@pytest.fixture(scope="module")
def demo(holder):
    return build_app(holder)


def test_banner_stops_polling_once_the_index_is_ready(holder):
    """Ready: no banner and no more polling; building: the banner with progress, keep polling."""
    assert status.banner(holder) == ("", False)
    text, polling = status.banner(FakeHolder(state="building", message="De zoekindex wordt gebouwd (40%); …"), "en")
    assert polling and text.startswith("⏳ The search index is being built (40%)")
    text, polling = status.banner(FakeHolder(state="error", message="De index kon niet worden gebouwd: x"))
    assert not polling and "x" in text


def test_the_page_does_not_poll_when_the_index_is_ready_at_start(demo):
    """The banner timer starts switched off when the index is there already."""
    timers = [b for b in demo.blocks.values() if isinstance(b, gr.Timer)]
    assert timers and all(not t.active for t in timers)


def test_mode_line_says_offline_or_checks_the_model():
    """Offline says so; with an LLM the check button reports the backend's answer."""
    assert status.mode_line(FakeHolder(), "en") == "Mode: without a language model (offline)."
    llm = FakeHolder(llm="openai")
    assert status.mode_line(llm, "nl").startswith("Modus: openai (klik")
    assert status.mode_line(llm, "nl", check=True) == "Modus: openai — LLM bereikbaar: nep-model (FAKE)"


def test_every_ui_text_has_dutch_and_english():
    """Each text of the app exists in Dutch and in English."""
    assert all(set(v) == {"nl", "en"} and v["nl"] and v["en"] for v in UI_TEXTS.values())


def own_texts(demo) -> list[str]:
    """Every label, placeholder, button text and Markdown text on the page."""
    texts = []
    for block in demo.blocks.values():
        for prop in ("label", "placeholder"):
            value = getattr(block, prop, None)
            if isinstance(value, str) and value:
                texts.append(value)
        if isinstance(block, (gr.Button, gr.Markdown)) and isinstance(block.value, str) and block.value:
            texts.append(block.value)
    return texts


def test_every_text_on_the_page_comes_from_the_texts_module(demo, holder):
    """No hard-coded UI text: each one is a Dutch UI text, a block or case name, or fixed."""
    knowledge = holder.knowledge
    dutch = {v["nl"] for v in UI_TEXTS.values()}
    names = {b.name for b in knowledge.blocks} | {f"→ {b.name}" for b in knowledge.blocks}
    from assistant.ui.tabs.leerkring import API_ENDPOINTS, API_PARAMS
    fixed = {"# Mozaïekcoach", "CSV", "scan", *API_ENDPOINTS, *API_PARAMS}  # hidden API inputs: parameter names
    filled_in = tuple(v["nl"].split("{")[0] for v in UI_TEXTS.values() if v["nl"].split("{")[0] != v["nl"])
    dynamic = [t for t in own_texts(demo) if t not in dutch | names | fixed and not t.startswith(filled_in)]
    # what is left is rendered in the chosen language by the tab: the tour page
    assert all(t.startswith("## ") for t in dynamic), dynamic


def test_dutch_first_page_sets_the_language_before_gradio_starts():
    """The HTML page says lang="nl" and reports Dutch to Gradio before any of its scripts run."""
    page = dutch_first(b'<!doctype html><html\n\tlang="en">\n<head><script src="gradio.js"></script></head>')
    assert b'lang="nl"' in page and b'lang="en"' not in page
    assert page.index(b"Navigator.prototype") < page.index(b"gradio.js")


def test_middleware_rewrites_only_html():
    """JSON and other responses pass through untouched; the HTML page gets the Dutch head."""
    async def app(scope, receive, send):
        kind = b"text/html; charset=utf-8" if scope["path"] == "/" else b"application/json"
        body = b'<html lang="en"><head></head></html>' if scope["path"] == "/" else b'{"lang": "en"}'
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def get(path):
        sent = []

        async def send(message):
            sent.append(message)
        asyncio.run(DutchFirstPage(app)({"type": "http", "method": "GET", "path": path}, None, send))
        return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])

    headers, body = get("/")
    assert b'lang="nl"' in body and int(headers[b"content-length"]) == len(body)
    assert get("/config")[1] == b'{"lang": "en"}'
