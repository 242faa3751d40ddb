"""FAKES for the app's handler tests: a ready ``CoachHolder`` stand-in around the fixture coach.

The coach itself is real (fixture magazine, fake embedder, in-memory index); only the holder is a
stand-in, and ``RecordingAnswerer`` is a labelled fake that records what the app passes on.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

from .conftest import MINI_CORPUS, mini_coach


class RecordingAnswerer:
    """FAKE answerer: passes every question to the real answerer and records the ``history`` it got."""

    def __init__(self, inner):
        self.inner = inner
        self.histories: list = []
        self.docs: list = []  # the per-question "own documents" choice the app passed on

    def stream(self, question, block=None, lang=None, history=(), docs=None):
        self.histories.append(history)
        self.docs.append(docs)
        yield from self.inner.stream(question, block=block, lang=lang, history=history, docs=docs)

    def ask(self, question, block=None, lang=None, history=(), docs=None):
        self.histories.append(history)
        self.docs.append(docs)
        return self.inner.ask(question, block=block, lang=lang, history=history, docs=docs)

    def health(self):
        return True, "LLM bereikbaar: nep-model (FAKE)"


class FakeHolder:
    """FAKE ``CoachHolder``: the fixture coach, ready at once (or ``state`` building/error)."""

    def __init__(self, state: str = "ready", llm: str = "none", log_dir=None, message: str = ""):
        from assistant.knowledge.model import load_knowledge
        from assistant.llm.answerer import LLMCoach
        self.knowledge = load_knowledge(MINI_CORPUS)
        from assistant.config import Settings
        # a real Settings with its own data folder (the learning-circle database goes there)
        self.settings = Settings(llm=llm, log_dir=log_dir, data_dir=Path(tempfile.mkdtemp(prefix="mzk-fake-")))
        self.state, self.message = state, message
        self._coach = mini_coach() if state == "ready" else None
        self.answerer = RecordingAnswerer(LLMCoach(self._coach, None)) if self._coach else None

    @property
    def coach(self):
        return self._coach

    def status(self):
        return self.state, self.message
