"""Wiring: settings → knowledge, index, embedder, retriever, coach. Used by the CLI, app and evals.

``build_coach`` is the one place a coach is put together from its parts; ``open_service`` the one
place that does it from settings.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .coach.coach import Coach
from .config import Settings
from .errors import IndexMissing
from .search.index import IndexStore, OpenIndex
from .knowledge.model import Knowledge, load_knowledge
from .search.retriever import Retriever

log = logging.getLogger(__name__)


@dataclass
class Service:
    settings: Settings
    knowledge: Knowledge
    index: OpenIndex
    coach: Coach
    llm: object = None  # LLMCoach: the coach with the kern from COACH_LLM; passes through for none


def open_index(settings: Settings, knowledge: Knowledge, client=None, embedder=None) -> OpenIndex:
    """The current index; a clear message when it is missing or stale (for ``embedder``, by
    default the model ``COACH_EMBED_MODEL`` names)."""
    store = IndexStore(settings, client)
    reasons = store.status(knowledge, embedder or settings.embed_model)
    if reasons:
        raise IndexMissing("De index is niet bruikbaar (" + "; ".join(reasons) + "). "
                           "Bouw hem met: python ingest.py")
    return store.open()


def build_coach(knowledge: Knowledge, index: OpenIndex, embedder, *, mode: str = "hybrid",
                expand: bool = True, extra: Sequence[Retriever] = (), learned: bool = True,
                data_dir: Path | None = None, **weights) -> Coach:
    """The offline coach over ``index``.

    ``embedder``: the embedder the index was built with (``None`` for lexical search only);
    ``mode``/``expand``/``extra``: retrieval variant (see ``Retriever``); ``weights``: passed to
    ``Coach`` (e.g. ``block_boost``). ``learned``: attach the block and scope models trained on the
    situation layer (``learned.py``; needs dense search), kept with the embedding cache in
    ``data_dir`` when given.
    """
    retriever = Retriever(index.chunks, index.collection, None if mode == "bm25" else embedder,
                          mode=mode, expand=expand, extra=list(extra))
    coach = Coach(knowledge, retriever, **weights)
    from .search.embedcache import EmbeddingCache
    cache = EmbeddingCache(Path(data_dir) / "cache" / "embeddings.sqlite") if data_dir is not None else None
    coach.picker.embed(retriever, cache)  # the stretches to show, embedded once (kept in the cache)
    if learned and retriever.has_dense:
        from .coach.learned import load_or_train, situation_vectors
        situations = situation_vectors(retriever, coach.block_keys, cache=cache,
                                       knowledge=knowledge if coach.weights.framework_questions else None)
        models_dir = Path(data_dir) / "models" if data_dir is not None else None
        coach.learn(situations, load_or_train(coach, situations, models_dir))
        from .coach.compose import load_or_train_picker
        load_or_train_picker(coach, situations, models_dir)
    return coach


def _service(settings: Settings, knowledge: Knowledge, index: OpenIndex, embedder=None, client=None) -> Service:
    from .search.embeddings import make_embedder
    from .llm.answerer import LLMCoach
    # The embedding cache and trained models live in the data folder; an injected (in-memory)
    # store writes nothing to disk.
    coach = build_coach(knowledge, index, embedder or make_embedder(settings.embed_model),
                        data_dir=settings.data_dir if client is None else None)
    attach_documents(coach, settings, client)
    return Service(settings, knowledge, index, coach, LLMCoach.from_settings(coach, settings))


def attach_documents(coach: Coach, settings: Settings, client=None) -> None:
    """Let the coach search the own documents in the data folder (or ``client``) beside the magazine."""
    from .docs.library import DocLibrary, DocStore
    if coach.retriever.embedder is not None:
        coach.docs = DocLibrary(DocStore(settings, client), coach.retriever.embedder, coach.retriever,
                                enabled=settings.docs)


def open_service(settings: Settings, client=None, embedder=None) -> Service:
    """Knowledge, index, coach and answerer as ``settings`` describe them.

    ``client``: the Chroma client holding the index (see ``IndexStore``); by default the store
    the settings name (the data folder or the Chroma server). ``embedder``: a loaded embedder
    instead of the one ``COACH_EMBED_MODEL`` names (tests).
    """
    knowledge = load_knowledge(settings.corpus_path)
    return _service(settings, knowledge, open_index(settings, knowledge, client, embedder), embedder, client)


def open_coach(settings: Settings, client=None, embedder=None) -> Coach:
    """The offline coach (no LLM), e.g. for evals and tests."""
    return open_service(settings, client, embedder).coach


def open_answerer(settings: Settings, client=None, embedder=None):
    """The coach as the user configured it: with the LLM backend of COACH_LLM, or offline."""
    return open_service(settings, client, embedder).llm


class CoachHolder:
    """The coach for the app, ready at once or after a background (re)build of the index.

    ``status()`` tells the UI what is going on (building with progress, ready, or an error), so
    the app can start and say so instead of failing.
    """

    def __init__(self, settings: Settings, client=None, embedder=None):
        import threading
        self.settings = settings
        self.client = client  # the Chroma client to use; None: the store the settings name
        self.embedder = embedder  # a loaded embedder; None: the one COACH_EMBED_MODEL names
        self.knowledge = load_knowledge(settings.corpus_path)
        self._lock = threading.Lock()
        self._service: Service | None = None
        self._progress = (0, 0)
        self._error: str | None = None
        self._building = False
        self._thread = None
        self._force = False
        self._checked = 0.0
        self._training = False

    def start(self, log=print) -> None:
        """Open the index, or build it in the background when it is missing, stale or damaged."""
        import threading
        from .errors import IndexError_
        store = IndexStore(self.settings, self.client)
        reasons = store.status(self.knowledge, self.embedder or self.settings.embed_model)
        if not reasons:
            try:
                self._open()
                return
            except IndexError_ as err:
                reasons = [f"de index is beschadigd ({err})"]
                self._force = True
        log("Index bouwen (" + "; ".join(reasons) + ") — de app start al, de coach is zo klaar.")
        self._building = True
        self._thread = threading.Thread(target=self._build, args=(log,), daemon=True, name="index-build")
        self._thread.start()

    def _build(self, log) -> None:
        from .errors import CoachError
        from .cli.ingest import build_index
        try:
            def progress(done, total):
                self._progress = (done, total)
                if done == total or done % 256 == 0:
                    log(f"  index: {done}/{total}")
            build_index(self.settings, self.knowledge, progress, force=self._force, client=self.client,
                        embedder=self.embedder)
            self._training = True  # the index is there; the learned models are trained (or loaded) now
            self._open()
            log("Index klaar.")
        except CoachError as err:
            self._error = str(err)
            log(f"Fout: {err}")
        finally:
            self._building = False

    def _open(self) -> None:
        index = open_index(self.settings, self.knowledge, self.client, self.embedder)
        _ = index.chunks  # reads and checks every chunk: a damaged index fails here, not mid-answer
        service = _service(self.settings, self.knowledge, index, self.embedder, self.client)
        with self._lock:
            self._service = service

    def refresh(self) -> None:
        """Switch to a newer index when ``ingest.py`` swapped one in while the app runs.

        The previous build stays on disk one round, so answers in flight finish on it.
        """
        import time
        current = self._service
        if current is None or self._building or time.monotonic() - self._checked < 2.0:
            return  # looked less than two seconds ago: no manifest read on every question
        self._checked = time.monotonic()
        try:
            manifest = IndexStore(self.settings, self.client).read_manifest()
        except Exception:  # a manifest being replaced right now: try again next question
            return
        if manifest is None or manifest.build == current.index.manifest.build:
            return
        with self._lock:
            if self._service is not current:
                return
            try:
                index = IndexStore(self.settings, self.client).open()
                _ = index.chunks
                self._service = _service(self.settings, self.knowledge, index, self.embedder, self.client)
                log.info("Nieuwe index in gebruik: %s", manifest.build)
            except Exception as err:  # keep answering from the index we have
                log.warning("Nieuwe index nog niet te openen (%s); de vorige blijft in gebruik", err)

    def report_llm(self, log=print) -> None:
        """Say once at start which mode is active and whether the backend answers."""
        if self.settings.llm != "none" and self._service is not None:
            log(self.llm_status())

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return self._service is not None

    def status(self) -> tuple[str, str]:
        """(state, Dutch message): state is ready, building or error."""
        if self._service is not None:
            return "ready", ""
        if self._error:
            return "error", f"De index kon niet worden gebouwd: {self._error}"
        done, total = self._progress
        pct = f" ({100 * done // total}%)" if total else ""
        return "building", f"De zoekindex wordt gebouwd{pct}; de coach is zo klaar. Probeer het over een halve minuut opnieuw."

    def phase(self) -> tuple[str, int, int]:
        """(phase, done, total): "ready", "error", "training" (the index is built, the models are
        being trained) or "indexing" (``done`` of ``total`` passages embedded)."""
        if self._service is not None:
            return "ready", 0, 0
        if self._error:
            return "error", 0, 0
        if self._training:
            return "training", 0, 0
        done, total = self._progress
        return "indexing", done, total

    @property
    def coach(self) -> Coach | None:
        """The offline coach (knowledge, retrieval, structured parts)."""
        self.refresh()
        return self._service.coach if self._service else None

    @property
    def answerer(self):
        """The coach as configured (LLM or offline): ``ask`` and ``stream``."""
        self.refresh()
        return self._service.llm if self._service else None

    def documents(self):
        """The own documents' store and the embedder to add them with (None while the coach is not ready)."""
        service = self._service
        if service is None or service.coach.docs is None:
            return None
        return service.coach.docs.store, service.coach.docs.embedder

    def llm_status(self) -> str:
        """Which mode is active and whether the backend answers (a cheap check)."""
        if self.settings.llm == "none":
            return "Modus: zonder taalmodel (offline)."
        if self._service is None:
            return f"Modus: {self.settings.llm} (nog niet gecontroleerd)."
        ok, message = self._service.llm.health()
        return f"Modus: {self.settings.llm} — {message}"
