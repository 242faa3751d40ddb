"""Shared fixtures. Unit tests use a tiny fixture magazine, a deterministic fake embedder and an
in-memory Chroma client (no index on disk); tests marked ``slow`` use the real magazine and the
real embedding models.

The fixture magazine (``tests/fixtures/mini-magazine.txt``, own text in the magazine's layout)
has three building blocks (``opgave``, ``waarde``, ``binding``) and two cases
(``drechtsteden`` in "Partners moeten met elkaar verbonden zijn", ``heerlen`` in "Bouwen aan
een gebiedsnetwerk")."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings, load_settings
from assistant.search.embeddings import CoachEmbeddings

ROOT = Path(__file__).resolve().parent.parent
REAL_CORPUS = ROOT / "corpus" / "meer-bereiken-met-organisatienetwerken.txt"
MINI_CORPUS = ROOT / "tests" / "fixtures" / "mini-magazine.txt"


class FakeEmbedder(CoachEmbeddings):
    """FAKE, for unit tests only: hashed bag of words, deterministic, no model."""

    dim = 64
    model_id = "fake/hash-bow-64"

    def __init__(self, fail_after: int | None = None):
        self.calls = 0
        self.fail_after = fail_after

    def _encode(self, texts, query):
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise RuntimeError("simulated crash while embedding")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1
        return out + 1e-3


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture(autouse=True)
def _no_real_model_in_fast_tests(request, monkeypatch):
    """Fast tests load no real embedding model: building one fails the test (``slow`` tests may).

    Catches in-process loads; commands run as subprocesses use the fake model through
    ``tests/fixtures/ingest_fake_model.py`` or are marked slow.
    """
    if request.node.get_closest_marker("slow"):
        return
    import assistant.search.embeddings as embeddings

    def refuse(*args, **kwargs):
        raise AssertionError("a fast test loaded a real embedding model: use FakeEmbedder or mark the test slow")
    for name in ("E5Small", "UseM3", "SentenceTransformer"):
        monkeypatch.setattr(embeddings, name, refuse)


@pytest.fixture
def mini_settings(tmp_path) -> Settings:
    return load_settings({"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS": str(MINI_CORPUS)})


@pytest.fixture
def memory_client():
    """An in-memory Chroma client of its own: an index built into it never touches the disk."""
    from assistant.search.index import memory_client as make
    return make()


def run_cli(args: list[str], env_extra: dict | None = None, stdin: bytes | None = None,
            timeout: int = 300) -> subprocess.CompletedProcess:
    """Run an entry point as a user would (a subprocess in the project folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"})
    env.update(env_extra or {})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, timeout=timeout)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory) -> Settings:
    """Settings with a real e5-small index over the real magazine (built once per test run)."""
    from assistant.search.embeddings import make_embedder
    from assistant.search.index import IndexStore
    from assistant.knowledge.model import load_knowledge
    data = tmp_path_factory.mktemp("real-index")
    settings = load_settings({"COACH_DATA_DIR": str(data), "COACH_EMBED_MODEL": "e5-small"})
    store = IndexStore(settings)
    with store.lock():
        store.build(load_knowledge(settings.corpus_path), make_embedder("e5-small"))
    # Train the learned models once, as `python ingest.py` does: every app a test starts on this
    # index then loads them instead of training (50–100 s on a busy 2-core machine).
    from assistant.service import open_coach
    open_coach(settings)
    return settings


@pytest.fixture(scope="session")
def real_coach(real_settings):
    from assistant.service import open_coach
    return open_coach(real_settings)


def mini_coach(settings: Settings | None = None, embedder=None, client=None, **options):
    """A coach over the fixture magazine with the fake embedder (unit tests).

    The index is built into ``client``, by default a fresh in-memory Chroma client, so nothing is
    written to disk; ``options`` go to ``build_coach`` (retrieval mode, coach weights, ``learned=True``
    for the block and scope models trained on the situation layer).
    """
    from assistant.search.index import IndexStore, memory_client
    from assistant.knowledge.model import load_knowledge
    from assistant.service import build_coach
    settings = settings or load_settings({"COACH_CORPUS": str(MINI_CORPUS)})
    embedder = embedder or FakeEmbedder()
    knowledge = load_knowledge(MINI_CORPUS)
    store = IndexStore(settings, client if client is not None else memory_client())
    with store.lock():
        store.build(knowledge, embedder)
    options.setdefault("learned", False)  # the rules; tests of the learned models ask for them
    return build_coach(knowledge, store.open(), embedder, **options)


def assert_citations_valid(answer, chunks):
    """Every quote is verbatim in its chunk and every [n] in the text is a real citation."""
    by_id = {c.id: c for c in chunks}
    numbers = {c.n for c in answer.citations}
    for c in answer.citations:
        assert c.quote in by_id[c.chunk_id].text, c
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.markdown)}
    assert used <= numbers, (used, numbers)
