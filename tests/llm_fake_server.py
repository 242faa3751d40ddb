"""FAKES for the language-model tests. No real LLM exists on this machine.

``FakeOpenAIServer`` is a small local HTTP server (127.0.0.1, a free port, a thread) that speaks
the OpenAI chat-completions protocol well enough for the real ``ChatOpenAI`` client: POST
/v1/chat/completions, answered as JSON or, with ``"stream": true``, as server-sent events
(``data: {...}`` lines, then ``data: [DONE]``). Each test sets ``behaviour``:

- ``"answer"``: reply with ``reply`` (by default a good answer citing [1] and [2])
- ``"error"``: HTTP 500 with an OpenAI-style error body
- ``"hang"``: say nothing for ``hang_seconds`` (released at once when the server stops)
- ``"garbage"``: HTTP 200 with a body that is not JSON

``build_mini_coach`` builds a real offline ``Coach`` over the fixture magazine with the fake
embedder, for both LLM test modules.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from assistant.coach.coach import Coach
from assistant.config import load_settings
from assistant.search.index import IndexStore
from assistant.knowledge.model import load_knowledge
from assistant.service import build_coach

from .conftest import MINI_CORPUS, FakeEmbedder

GOOD_REPLY = ("Partners bouwen aan vertrouwen door regelmatig bij elkaar te checken of iedereen er nog goed "
              "in zit [1]. Een goed gevuld vertrouwensreservoir helpt bij lastige keuzes en dilemma's in het "
              "netwerk [1][2].")
INVALID_REPLY = "Partners moeten vooral veel vergaderen [9]. Dat staat op bladzijde 40 [12]."


def build_mini_coach(data_dir: Path) -> Coach:
    """A real offline coach over the fixture magazine (fake embedder, index in ``data_dir``)."""
    settings = load_settings({"COACH_DATA_DIR": str(data_dir), "COACH_CORPUS": str(MINI_CORPUS)})
    knowledge = load_knowledge(MINI_CORPUS)
    embedder = FakeEmbedder()
    store = IndexStore(settings)
    with store.lock():
        store.build(knowledge, embedder)
    return build_coach(knowledge, store.open(), embedder)


def _completion(text: str, model: str) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}


def _chunk(delta: dict, model: str, finish: str | None = None) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        fake: FakeOpenAIServer = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            request = {}
        fake.requests.append({"path": self.path, "body": request})
        try:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, b'{"error": {"message": "not found", "type": "invalid_request_error"}}')
            elif fake.behaviour == "error":
                self._send(500, b'{"error": {"message": "the fake server fails on purpose", "type": "server_error"}}')
            elif fake.behaviour == "hang":
                fake.released.wait(fake.hang_seconds)
            elif fake.behaviour == "garbage":
                self._send(200, b"<html>this is not json</html>")
            elif request.get("stream"):
                self._stream(fake, request.get("model", "fake"))
            else:
                self._send(200, json.dumps(_completion(fake.reply, request.get("model", "fake"))).encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (time-out); nothing to tell it

    def _stream(self, fake: "FakeOpenAIServer", model: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        events = [_chunk({"role": "assistant", "content": ""}, model)]
        words = fake.reply.split(" ")
        events += [_chunk({"content": w if i == 0 else " " + w}, model) for i, w in enumerate(words)]
        events.append(_chunk({}, model, finish="stop"))
        for event in events:
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()
            if fake.chunk_delay:
                time.sleep(fake.chunk_delay)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: "FakeOpenAIServer"


class FakeOpenAIServer:
    """FAKE OpenAI-compatible chat server on 127.0.0.1 (see the module docstring)."""

    def __init__(self) -> None:
        self.behaviour = "answer"
        self.reply = GOOD_REPLY
        self.hang_seconds = 10.0
        self.chunk_delay = 0.0
        self.requests: list[dict] = []
        self.released = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def reset(self) -> None:
        self.behaviour, self.reply, self.chunk_delay = "answer", GOOD_REPLY, 0.0
        self.requests.clear()

    def start(self) -> "FakeOpenAIServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeOpenAIServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
