"""Sentence-transformers models get their own query/document prompts (issue: any embedder at its best).
The model here is a FAKE stand-in for a loaded SentenceTransformer (no model is loaded in fast tests);
it records what the wrapper asks of it."""
from __future__ import annotations

import threading

import numpy as np

from assistant.search.embeddings import SentenceTransformer


class RecordingModel:
    """FAKE SentenceTransformer: remembers the keyword arguments of each encode call."""

    def __init__(self, prompts):
        self.prompts = prompts
        self.calls = []

    def encode(self, texts, **kwargs):
        self.calls.append(kwargs)
        return np.ones((len(texts), 4), dtype=np.float32) / 2


def wrapper(prompts) -> SentenceTransformer:
    emb = SentenceTransformer.__new__(SentenceTransformer)
    emb._model, emb._lock, emb.dim, emb.model_id = RecordingModel(prompts), threading.Lock(), 4, "fake"
    return emb


def test_a_model_with_prompts_gets_the_query_and_document_prompt():
    emb = wrapper({"query": "task: search result | query: ", "document": "title: none | text: "})
    emb.encode(["vraag"], query=True)
    emb.encode(["passage"], query=False)
    assert [c.get("prompt_name") for c in emb._model.calls] == ["query", "document"]


def test_a_model_without_prompts_is_encoded_as_it_is():
    emb = wrapper({})
    emb.encode(["vraag"], query=True)
    assert "prompt_name" not in emb._model.calls[0]
