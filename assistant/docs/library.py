"""Own documents beside the magazine: where they are kept, and how the coach searches them.

* ``DocStore`` keeps the documents in ``COACH_DATA_DIR/docs/``: a copy of each file
  (``files/<id><ext>``) and a Chroma collection of their passages. Every add or remove builds a
  new collection (the passages that stay are copied with their vectors, new ones are embedded)
  and only then points ``docs/manifest.json`` at it (with a Chroma server or a given client: a
  small pointer collection), so a failure halfway leaves everything as it was. The previous
  collection is deleted right after the swap: a removed document's vectors are gone, not hidden.
  Document ids are content hashes: the same file twice adds nothing.
* ``DocSearch`` searches one build of the documents the way the magazine is searched (dense and
  BM25, fused by reciprocal rank) and merges the passages that fit into the magazine's list
  without reordering the magazine's own passages.
* ``DocLibrary`` is what the coach holds: the current ``DocSearch``, reopened when the manifest
  changes (an add or remove in the app or from the command line).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..util.atomic import atomic_write_bytes, atomic_write_text
from ..config import Settings
from .loaders import DocChunk, DocLimits, ReadDocument, embed_text, read_document
from ..errors import IndexError_, IndexLocked, InputError
from ..search.index import BuildClients
from ..search.retriever import BM25, Passage, Rankings, Retriever, chunk_tokens, expand_query
from ..util.language import content_tokens

log = logging.getLogger(__name__)
DOC_FORMAT_VERSION = "1"
POINTER = "mozaiekcoach-docs-current"
MANIFEST = "manifest.json"
LOCK_WAIT_S = 120.0  # a second upload waits for the first, then finds its file already there
Progress = Callable[[int, int], None]
_CLIENT_LOCKS: dict[int, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


# --------------------------------------------------------------------------- manifest

@dataclass(frozen=True)
class DocRecord:
    """One own document as listed: id (content hash), title, file name, size, pages, passages, date."""

    id: str
    title: str
    filename: str
    suffix: str
    size: int
    pages: int | None
    passages: int
    added_at: str
    sha256: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DocManifest:
    embedder: str
    build: str
    collection: str
    chunk_count: int
    updated_at: str
    documents: tuple[DocRecord, ...] = ()
    format_version: str = DOC_FORMAT_VERSION

    def to_dict(self) -> dict:
        return {**asdict(self), "documents": [d.to_dict() for d in self.documents]}

    @classmethod
    def from_dict(cls, data: dict) -> "DocManifest":
        fields = cls.__dataclass_fields__
        kw = {k: v for k, v in data.items() if k in fields}
        kw["documents"] = tuple(DocRecord(**d) for d in data.get("documents", ()))
        return cls(**kw)


@dataclass(frozen=True)
class AddReport:
    added: tuple[DocRecord, ...]
    already: tuple[DocRecord, ...]  # the same content was there already: nothing added
    seconds: float


@dataclass
class OpenDocs:
    manifest: DocManifest
    collection: object
    chunks: list[DocChunk] = field(default_factory=list)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- the store

class DocStore(BuildClients):
    """The own documents in ``COACH_DATA_DIR/docs`` (files, manifest) and their Chroma collection.

    ``client``: a Chroma client that keeps every build (an in-memory client in tests); without it
    a Chroma server (``COACH_CHROMA_HOST``) or an embedded store per build folder, as ``IndexStore``.
    """

    pointer = POINTER

    def __init__(self, settings: Settings, client=None):
        self.root = Path(settings.data_dir) / "docs"
        self.limits = DocLimits(getattr(settings, "docs_max_pages", DocLimits.pages),
                                getattr(settings, "docs_max_passages", DocLimits.passages))
        super().__init__(settings, client, self.root / "builds")

    def file_path(self, record: DocRecord) -> Path:
        return self.root / "files" / f"{record.id}{record.suffix}"

    # ------------------------------------------------------------ reading
    def read_manifest(self) -> DocManifest | None:
        if self.shared:
            raw = (self._pointer_metadata() or {}).get("manifest")
            return DocManifest.from_dict(json.loads(raw)) if raw else None
        return self._manifest_file(self.root / MANIFEST, DocManifest.from_dict,
                                   f"Verwijder de map {self.root} en voeg je documenten opnieuw toe.")

    def documents(self) -> list[DocRecord]:
        manifest = self.read_manifest()
        return list(manifest.documents) if manifest else []

    def open(self) -> OpenDocs | None:
        """The current build with its passages, or None when there are no documents."""
        manifest = self.read_manifest()
        if manifest is None or not manifest.documents:
            return None
        try:
            collection = self._client_for(manifest.build).get_collection(manifest.collection)
            got = collection.get(include=["documents", "metadatas"])
        except Exception as err:
            raise IndexError_(f"De eigen documenten kunnen niet worden gelezen ({type(err).__name__}). Voeg ze "
                              "opnieuw toe met: python -m assistant docs add …") from err
        chunks = [DocChunk.from_store(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        if len(chunks) != manifest.chunk_count:
            raise IndexError_(f"De eigen documenten zijn beschadigd: {len(chunks)} van de {manifest.chunk_count} "
                              "passages gevonden. Verwijder ze en voeg ze opnieuw toe.")
        order = {d.id: k for k, d in enumerate(manifest.documents)}
        chunks.sort(key=lambda c: (order.get(c.doc_id, 0), c.position))
        return OpenDocs(manifest, collection, chunks)

    # ------------------------------------------------------------ one change at a time
    @contextlib.contextmanager
    def lock(self, wait: float = LOCK_WAIT_S) -> Iterator[None]:
        """One add or remove at a time; a second one waits for the first (then gives up with a message)."""
        busy = IndexLocked("Er wordt al een document toegevoegd of verwijderd. Probeer het over een minuut opnieuw.")
        if self._injected:
            with _LOCKS_GUARD:
                lock = _CLIENT_LOCKS.setdefault(id(self._client), threading.Lock())
            if not lock.acquire(timeout=wait):
                raise busy
            try:
                yield
            finally:
                lock.release()
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = open(self.root / ".lock", "a+")
        except OSError as err:
            raise IndexError_(f"Kan niet schrijven in {self.root} ({err.strerror}). Kies een andere map met "
                              "COACH_DATA_DIR.") from err
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise busy from None
                    time.sleep(0.05)
            yield
        finally:
            fh.close()

    # ------------------------------------------------------------ add
    def add(self, files: Sequence[Path | str | tuple[Path | str, str]], embedder, title: str | None = None,
            progress: Progress | None = None) -> AddReport:
        """Check, read and add ``files`` (a path, or (path, name as the user knows it)) in one step.

        Every file is read and checked before anything is written: one bad file and nothing is
        added (``InputError`` saying which and why). A file whose content is already there is
        reported in ``already``.
        """
        started = time.perf_counter()
        if not files:
            raise InputError("Kies eerst een of meer bestanden om toe te voegen.")
        if title is not None and len(files) > 1:
            raise InputError("Een titel kan alleen bij één bestand; voeg de bestanden dan één voor één toe.")
        pairs = [(Path(f[0]), f[1]) if isinstance(f, tuple) else (Path(f), Path(f).name) for f in files]
        read = [read_document(path, name, title, self.limits) for path, name in pairs]
        with self.lock():
            manifest = self.read_manifest()
            known = {d.id: d for d in (manifest.documents if manifest else ())}
            new: list[ReadDocument] = []
            already: list[DocRecord] = []
            for doc in read:
                if doc.doc_id in known:
                    already.append(known[doc.doc_id])
                elif all(doc.doc_id != n.doc_id for n in new):
                    new.append(doc)
            if not new:
                return AddReport((), tuple(already), round(time.perf_counter() - started, 2))
            sources = {doc.doc_id: path for doc, (path, _) in zip(read, pairs)}
            records = [DocRecord(d.doc_id, d.title, d.name, d.suffix, d.size, d.pages, len(d.chunks), _now(),
                                 d.sha256) for d in new]
            copies = []
            try:
                (self.root / "files").mkdir(parents=True, exist_ok=True)
                for rec in records:
                    target = self.file_path(rec)
                    if not target.exists():
                        atomic_write_bytes(target, sources[rec.id].read_bytes())
                        copies.append(target)
                self._rebuild(manifest, list(known.values()), records, [c for d in new for c in d.chunks],
                              embedder, progress)
            except BaseException:
                for target in copies:
                    target.unlink(missing_ok=True)
                raise
            self._clean_files()
        return AddReport(tuple(records), tuple(already), round(time.perf_counter() - started, 2))

    # ------------------------------------------------------------ remove
    def remove(self, doc_id: str, embedder=None) -> DocRecord:
        """Remove one document for real: its passages and vectors, then the copy of its file."""
        with self.lock():
            manifest = self.read_manifest()
            docs = list(manifest.documents) if manifest else []
            match = [d for d in docs if d.id == doc_id.strip()]
            if not match:
                known = ", ".join(f"{d.id} ({d.title})" for d in docs) or "er zijn nog geen eigen documenten"
                raise InputError(f"Er is geen eigen document met id ‘{doc_id[:40]}’. Bekend: {known}. "
                                 "Zie: python -m assistant docs list")
            gone = match[0]
            self._rebuild(manifest, [d for d in docs if d.id != gone.id], [], [], embedder, None)
            self.file_path(gone).unlink(missing_ok=True)
            self._clean_files()
        return gone

    # ------------------------------------------------------------ one build
    def _rebuild(self, old: DocManifest | None, keep: list[DocRecord], added: list[DocRecord],
                 new_chunks: list[DocChunk], embedder, progress: Progress | None) -> DocManifest:
        """A new collection with the kept documents' passages and the new ones, then the swap."""
        started = time.perf_counter()
        model_id = embedder.model_id if embedder is not None else (old.embedder if old else "")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"docs-{stamp}"
        client = self._client_for(stamp)
        total = 0
        try:
            collection = client.create_collection(
                name, configuration={"hnsw": {"space": "cosine", "ef_search": 400}}, metadata={"embedder": model_id})
            if keep and old is not None:
                previous = self._client_for(old.build).get_collection(old.collection)
                got = previous.get(where={"doc_id": {"$in": [d.id for d in keep]}},
                                   include=["documents", "metadatas", "embeddings"])
                vectors = got["embeddings"]
                if old.embedder != model_id:  # another embedding model since: embed the kept passages anew
                    vectors = embedder.encode([embed_text(m["title"], m.get("heading") or "", d)
                                               for d, m in zip(got["documents"], got["metadatas"])], query=False)
                for start in range(0, len(got["ids"]), 256):
                    part = slice(start, start + 256)
                    collection.add(ids=got["ids"][part], documents=got["documents"][part],
                                   metadatas=got["metadatas"][part], embeddings=np.asarray(vectors[part]).tolist())
                total += len(got["ids"])
            for start in range(0, len(new_chunks), 32):
                part = new_chunks[start:start + 32]
                vectors = embedder.encode([c.embed_text for c in part], query=False)
                collection.add(ids=[c.id for c in part], documents=[c.text for c in part],
                               metadatas=[c.metadata() for c in part], embeddings=np.asarray(vectors).tolist())
                if progress:
                    progress(min(start + 32, len(new_chunks)), len(new_chunks))
            total += len(new_chunks)
            expected = sum(d.passages for d in (*keep, *added))
            if collection.count() != total or total != expected:
                raise IndexError_(f"De eigen documenten zijn onvolledig opgeslagen ({collection.count()} van "
                                  f"{expected} passages); er is niets veranderd.")
        except BaseException:
            self._discard(client, name, stamp)
            raise
        manifest = DocManifest(embedder=model_id, build=stamp, collection=name, chunk_count=total,
                               updated_at=_now(), documents=(*keep, *added))
        self._swap(client, manifest, old)
        log.info("Eigen documenten: %d document(en), %d passages (%.1f s)", len(manifest.documents), total,
                 time.perf_counter() - started)
        return manifest

    def _swap(self, client, manifest: DocManifest, previous: DocManifest | None) -> None:
        if self.shared:
            pointer = client.get_or_create_collection(self.pointer)
            pointer.modify(metadata={"manifest": json.dumps(manifest.to_dict())})
            if previous is not None:
                with contextlib.suppress(Exception):
                    client.delete_collection(previous.collection)
            return
        atomic_write_text(self.root / MANIFEST, json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False))
        for old in (self.root / "builds").iterdir():  # removal is real: no earlier build is kept
            if old.name != manifest.build:
                shutil.rmtree(old, ignore_errors=True)

    def _clean_files(self) -> None:
        """File copies no document in the manifest refers to (a crash between swap and delete)."""
        folder = self.root / "files"
        if not folder.is_dir():
            return
        keep = {self.file_path(d).name for d in self.documents()}
        for path in folder.iterdir():
            if path.name not in keep and not path.name.startswith("."):
                path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- search

MIN_SHARED = 2  # a passage must share this many of the question's words (fewer if the question has fewer)
MIN_COVER = 0.5  # ... and at least this share of them


class DocSearch:
    """One build of the own documents, searched like the magazine and merged into its results.

    BM25 is computed over the magazine and the documents together, so the two kinds of passage
    are scored on one scale; the dense similarities come from the same embedder.
    """

    def __init__(self, opened: OpenDocs, embedder, magazine_tokens: list[list[str]]):
        self.manifest = opened.manifest
        self.chunks = opened.chunks
        self.retriever = Retriever(self.chunks, opened.collection, embedder)
        self.n_magazine = len(magazine_tokens)
        self.union = BM25([*magazine_tokens, *(chunk_tokens(c) for c in self.chunks)])
        self.tokens = [set(content_tokens(c.embed_text)) for c in self.chunks]

    def is_known_word(self, token: str) -> bool:
        return self.retriever.is_known_word(token)

    def fits(self, qtok: set[str], j: int) -> bool:
        """Whether passage ``j`` shares enough of the question's words to be shown at all."""
        shared = len(qtok & self.tokens[j])
        return bool(qtok) and shared >= min(MIN_SHARED, len(qtok)) and shared >= MIN_COVER * len(qtok)

    def merge(self, query: str, qvec, rankings: Rankings, magazine: Retriever, passages: list[Passage],
              k: int) -> list[Passage]:
        """The magazine's ``passages`` (in their order) with the fitting document passages slotted in
        where their fused score puts them; at most ``k``."""
        depth = magazine.depth
        joint_dense = [(("m", i), s) for i, s in rankings.dense]
        if qvec is not None and self.retriever.has_dense:
            joint_dense += [(("d", j), s) for j, s in self.retriever.dense_ranking(np.asarray(qvec))]
        joint_dense.sort(key=lambda t: -t[1])
        scores = self.union.scores(content_tokens(expand_query(query)))
        order = np.argsort(-scores)[: depth * 2]
        joint_bm = [((("m", int(i)) if i < self.n_magazine else ("d", int(i) - self.n_magazine)), float(scores[i]))
                    for i in order if scores[i] > 0]
        fused: dict[tuple[str, int], float] = {}
        weighted = [(joint_dense[:depth], 1.0), (joint_bm, magazine.bm25_weight),
                    *(([(("m", i), s) for i, s in extra], 1.0) for extra in rankings.extra)]
        for ranking, weight in weighted:
            for r, (key, _) in enumerate(ranking):
                fused[key] = fused.get(key, 0.0) + weight / (magazine.rrf_k + r + 1)
        qtok = set(content_tokens(expand_query(query)))
        docs = sorted(((s, j) for (kind, j), s in fused.items() if kind == "d" and self.fits(qtok, j)),
                      key=lambda t: (-t[0], t[1]))
        if not docs:
            return list(passages)
        top = max(fused.values())
        out: list[Passage] = []
        floor, d = float("inf"), 0
        for p in passages:
            floor = min(floor, fused.get(("m", magazine.by_id[p.chunk.id]), 0.0))
            while d < len(docs) and docs[d][0] > floor:
                out.append(self._passage(docs[d], top))
                d += 1
            out.append(p)
        out += [self._passage(x, top) for x in docs[d:]]
        return [replace(p, rank=r) for r, p in enumerate(out[:k])]

    def _passage(self, item: tuple[float, int], top: float) -> Passage:
        score, j = item
        return Passage(self.chunks[j], round(score / top, 4), 0)


class DocLibrary:
    """The coach's view of the own documents: the current ``DocSearch``, reopened after a change.

    ``enabled``: ``COACH_DOCS`` (on: searched whenever there are documents; off: only when a
    question asks for them).
    """

    def __init__(self, store: DocStore, embedder, magazine: Retriever, enabled: bool = True):
        self.store = store
        self.embedder = embedder
        self.enabled = enabled
        self._magazine_tokens = magazine.tokens
        self._search: DocSearch | None = None
        self._lock = threading.Lock()
        self._warned = ""

    def search(self) -> DocSearch | None:
        """The documents as they are now (None: there are none, or they cannot be used)."""
        try:
            manifest = self.store.read_manifest()
        except IndexError_ as err:
            return self._warn(str(err))
        if manifest is None or not manifest.documents:
            return None
        model_id = getattr(self.embedder, "model_id", None)
        if model_id != manifest.embedder:
            return self._warn(f"De eigen documenten zijn ingesloten met {manifest.embedder}, de coach gebruikt "
                              f"{model_id}: voeg een document toe of opnieuw toe om ze opnieuw in te sluiten.")
        with self._lock:
            current = self._search
            if current is not None and current.manifest.build == manifest.build:
                return current
            try:
                opened = self.store.open()
            except IndexError_ as err:  # e.g. removed by another process right now: next question again
                return self._warn(str(err))
            if opened is None:
                return None
            self._search = DocSearch(opened, self.embedder, self._magazine_tokens)
            return self._search

    def _warn(self, message: str) -> None:
        if message != self._warned:
            log.warning("Eigen documenten niet gebruikt: %s", message)
            self._warned = message
        return None
