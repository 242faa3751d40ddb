"""The real ChatOpenAI client through ``LLMCoach`` against a FAKE OpenAI-compatible server.

No real LLM exists on this machine: ``tests/llm_fake_server.py`` serves labelled fake replies on
127.0.0.1 (JSON and streamed server-sent events), fails with HTTP 500, sends garbage, or hangs.
"""
from __future__ import annotations

import re
import time

import pytest

from assistant.coach.coach import Answer
from assistant.config import load_settings
from assistant.llm.answerer import LLMCoach, health_check, make_chat_model

from .llm_fake_server import INVALID_REPLY, FakeOpenAIServer, build_mini_coach

QUESTION = "Hoe bouwen partners aan vertrouwen?"
TIMEOUT = 1.0


@pytest.fixture(scope="module")
def coach(tmp_path_factory):
    return build_mini_coach(tmp_path_factory.mktemp("llm-http") / "data")


@pytest.fixture(scope="module")
def running_server():
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def server(running_server):
    running_server.reset()
    return running_server


@pytest.fixture
def llm(coach, server):
    settings = load_settings({"COACH_LLM": "openai", "COACH_LLM_BASE_URL": server.base_url,
                              "COACH_LLM_MODEL": "fake-model", "COACH_LLM_TIMEOUT": str(TIMEOUT)})
    return LLMCoach.from_settings(coach, settings)


def assert_grounded(answer: Answer, coach) -> None:
    """Every [n] in the markdown is a real citation, and every quote is verbatim text of its chunk."""
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", answer.markdown)}
    assert cited == {c.n for c in answer.citations}
    texts = {c.id: c.text for c in coach.retriever.chunks}
    for c in answer.citations:
        assert c.quote in texts[c.chunk_id]


def test_a_good_server_answer_is_used_and_grounded(llm, server, coach):
    """HTTP 200 with [1] citations: mode 'llm', the request carried the passages, citations are real."""
    answer = llm.ask(QUESTION)
    assert answer.mode == "llm" and answer.fallback_reason is None
    assert answer.markdown.startswith(answer.recognition + "\n\n**Kort gezegd**\nPartners bouwen aan vertrouwen door regelmatig")
    assert_grounded(answer, coach)
    body = server.requests[-1]["body"]
    assert server.requests[-1]["path"] == "/v1/chat/completions" and body["model"] == "fake-model"
    assert not body.get("stream")
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "[1] Sectie: " in body["messages"][0]["content"]
    assert answer.timings_ms["llm"] > 0


def test_invalid_citations_only_fall_back_with_a_reason(llm, server):
    """A reply citing passages that do not exist is not shown."""
    server.reply = INVALID_REPLY
    answer = llm.ask(QUESTION)
    assert answer.mode == "offline" and answer.fallback_reason == "alleen ongeldige bronverwijzingen"
    assert answer.markdown.startswith("*(De taalmodel-server gaf geen bruikbaar antwoord;")


def test_a_server_error_falls_back(llm, server):
    """HTTP 500: offline answer, reason names the status."""
    server.behaviour = "error"
    answer = llm.ask(QUESTION)
    assert answer.mode == "offline" and answer.fallback_reason == "de server gaf een fout (HTTP 500)"
    assert len(server.requests) == 1  # no retries


def test_a_garbage_body_falls_back(llm, server):
    """HTTP 200 with a body that is not JSON: offline answer."""
    server.behaviour = "garbage"
    answer = llm.ask(QUESTION)
    assert answer.mode == "offline" and answer.fallback_reason


@pytest.mark.parametrize("streaming", [False, True])
def test_a_hanging_server_falls_back_within_the_timeout(llm, server, streaming):
    """A server that never answers costs at most the time-out (plus a little)."""
    server.behaviour = "hang"
    started = time.monotonic()
    answer = list(llm.stream(QUESTION))[-1] if streaming else llm.ask(QUESTION)
    elapsed = time.monotonic() - started
    assert answer.mode == "offline" and answer.fallback_reason == f"geen antwoord binnen {TIMEOUT:g} s"
    assert elapsed < TIMEOUT + 2


def test_streaming_deltas_arrive_and_the_final_answer_is_checked(llm, server, coach):
    """With stream: true the server sends SSE chunks; sentences arrive one by one, then the answer."""
    server.chunk_delay = 0.01
    *deltas, answer = list(llm.stream(QUESTION))
    assert server.requests[-1]["body"]["stream"] is True
    assert len(deltas) >= 3 and "**Kort gezegd**\nPartners bouwen" in deltas[0]
    assert answer.mode == "llm" and "".join(deltas) == answer.markdown
    assert_grounded(answer, coach)


def test_after_a_fault_the_next_question_uses_the_server_again(llm, server):
    """A 500 for one question does not switch the model off for the next."""
    server.behaviour = "error"
    assert llm.ask(QUESTION).mode == "offline"
    server.behaviour = "answer"
    assert llm.ask(QUESTION).mode == "llm"


def test_an_unreachable_server_falls_back_quickly(coach, server):
    """Nothing listening on the port: offline answer with 'geen verbinding'."""
    settings = load_settings({"COACH_LLM": "openai", "COACH_LLM_BASE_URL": "http://127.0.0.1:9/v1",
                              "COACH_LLM_MODEL": "fake-model", "COACH_LLM_TIMEOUT": "2"})
    answer = LLMCoach.from_settings(coach, settings).ask(QUESTION)
    assert answer.mode == "offline" and answer.fallback_reason == "geen verbinding met de server"


def test_health_check_against_the_fake_server(server):
    """Reachable when it answers, not reachable on HTTP 500; one token is asked for."""
    settings = load_settings({"COACH_LLM": "openai", "COACH_LLM_BASE_URL": server.base_url,
                              "COACH_LLM_MODEL": "fake-model", "COACH_LLM_TIMEOUT": str(TIMEOUT)})
    model = make_chat_model(settings)
    ok, message = health_check(model, TIMEOUT)
    assert ok and message.startswith(f"LLM bereikbaar: fake-model op {server.base_url}")
    body = server.requests[-1]["body"]
    assert body.get("max_completion_tokens", body.get("max_tokens")) == 1  # langchain-openai renames it
    server.behaviour = "error"
    ok, message = health_check(model, TIMEOUT)
    assert not ok and message.startswith("LLM niet bereikbaar: de server gaf een fout (HTTP 500)")
