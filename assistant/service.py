"""Wiring: settings → knowledge, index, embedder, retriever, coach. Used by the CLI, app and evals."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .coach import Coach
from .config import Settings
from .errors import IndexMissing
from .index import IndexStore, Knowledge, OpenIndex, load_knowledge
from .retrieval import Retriever

log = logging.getLogger(__name__)


@dataclass
class Service:
    settings: Settings
    knowledge: Knowledge
    index: OpenIndex
    coach: Coach


def open_index(settings: Settings, knowledge: Knowledge) -> OpenIndex:
    """The current index; a clear message when it is missing or stale."""
    store = IndexStore(settings)
    reasons = store.status(knowledge, settings.embed_model)
    if reasons:
        raise IndexMissing("De index is niet bruikbaar (" + "; ".join(reasons) + "). "
                           "Bouw hem met: python ingest.py")
    return store.open()


def build_coach(knowledge: Knowledge, index: OpenIndex, embed_spec: str, **coach_options) -> Coach:
    from .embeddings import make_embedder
    embedder = make_embedder(embed_spec)
    retriever = Retriever(index.chunks, index.collection, embedder)
    return Coach(knowledge, retriever, **coach_options)


def open_service(settings: Settings) -> Service:
    knowledge = load_knowledge(settings.corpus_path)
    index = open_index(settings, knowledge)
    return Service(settings, knowledge, index, build_coach(knowledge, index, settings.embed_model))


def open_coach(settings: Settings) -> Coach:
    return open_service(settings).coach
