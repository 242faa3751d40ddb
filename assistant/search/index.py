"""The Chroma index of the magazine's chunks: build, swap, check, open.

Where the index lives depends on the Chroma client:

* embedded (the default): every build is its own folder under ``COACH_DATA_DIR/builds/`` with
  its own ``PersistentClient``; ``manifest.json`` points at the current one and is replaced
  atomically once a build is complete, so a reader never sees a half-built index and a crash
  mid-build loses nothing;
* one shared client, either a Chroma server (``COACH_CHROMA_HOST``) or a client handed to
  ``IndexStore`` (an in-memory client in unit tests): each build is a new collection and a small
  pointer collection carries the manifest.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from ..util.atomic import atomic_write_text
from ..knowledge.chunking import CHUNKER_VERSION, DEFAULT_TARGET_WORDS, Chunk, sentence_entries
from ..config import Settings
from . import embeddings
from ..errors import IndexError_, IndexLocked, IndexMissing
from ..knowledge.model import Knowledge

log = logging.getLogger(__name__)
POINTER = "mozaiekcoach-current"
MANIFEST = "manifest.json"
# How chunks and vectors are laid out in Chroma, apart from how the text is cut (CHUNKER_VERSION):
# 1: cosine space, ef_search 400; chunk vectors plus sentence vectors (part "zin", "parent" id);
#    flat metadata with a b_<block> flag per block.
# 2: chunk vectors only; sentence vectors only when asked for (the eval table: they do not pay,
#    and they tripled ingest time).
INDEX_FORMAT_VERSION = "2"
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- manifest

@dataclass(frozen=True)
class Manifest:
    corpus_sha256: str
    chunker_version: str
    embedder: str
    chunk_count: int
    built_at: str
    seconds: float
    collection: str
    build: str
    sections: int = 0
    blocks: int = 0
    cases: int = 0
    vector_count: int = 0
    # Manifests written before the field existed describe format 1 (the layout did not change).
    format_version: str = "1"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Manifest":
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in fields})


def stale_reasons(manifest: Manifest | None, corpus_sha256: str, embedder: str) -> list[str]:
    """Why the index does not match the corpus, chunker, index format and embedder (empty: up to date)."""
    if manifest is None:
        return ["er is nog geen index"]
    reasons = []
    if manifest.corpus_sha256 != corpus_sha256:
        reasons.append("de tijdschrifttekst is veranderd")
    if manifest.chunker_version != CHUNKER_VERSION:
        reasons.append(f"de indeling in stukken is veranderd (versie {manifest.chunker_version} → {CHUNKER_VERSION})")
    if manifest.format_version != INDEX_FORMAT_VERSION:
        reasons.append(f"de opslag van de index is veranderd (formaat {manifest.format_version} → "
                       f"{INDEX_FORMAT_VERSION})")
    if manifest.embedder != embedder:
        reasons.append(f"een ander embeddingmodel ({manifest.embedder} → {embedder})")
    return reasons


# --------------------------------------------------------------------------- clients

def chroma_settings():
    """Chroma client settings: telemetry off, no reset."""
    from chromadb.config import Settings as ChromaSettings
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def folder_client(path: Path):
    """An embedded Chroma client storing one build in ``path``."""
    import chromadb
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings())


def server_client(host: str, port: int):
    """A client of the Chroma server at ``host:port``; a clear message when it does not answer."""
    import chromadb
    try:
        return chromadb.HttpClient(host=host, port=port, settings=chroma_settings())
    except Exception as err:
        raise IndexError_(f"De Chroma-server op {host}:{port} antwoordt niet ({type(err).__name__}). "
                          "Start hem of haal COACH_CHROMA_HOST weg voor de ingebouwde opslag.") from err


def memory_client():
    """An in-memory Chroma client with a database of its own (nothing is written to disk).

    Chroma shares one in-memory system per process, so each client gets a fresh database:
    two memory clients never see each other's collections.
    """
    import chromadb
    settings = chroma_settings()
    settings.is_persistent = False
    database = f"mem-{uuid.uuid4().hex}"
    chromadb.AdminClient(settings).create_database(database)
    return chromadb.EphemeralClient(settings, database=database)


# --------------------------------------------------------------------------- store

@dataclass
class OpenIndex:
    """A readable index: its manifest, its Chroma collection and its chunks."""

    manifest: Manifest
    collection: object
    client: object

    @cached_property
    def chunks(self) -> list[Chunk]:
        try:
            got = self.collection.get(where={"part": {"$ne": "zin"}}, include=["documents", "metadatas"])
        except Exception as err:  # chromadb's own errors on damaged files
            raise IndexError_(f"De index kan niet worden gelezen ({type(err).__name__}). "
                              "Bouw hem opnieuw: python ingest.py --rebuild") from err
        chunks = [Chunk.from_store(i, d, m) for i, d, m in
                  zip(got["ids"], got["documents"], got["metadatas"])]
        chunks.sort(key=lambda c: c.position)
        if len(chunks) != self.manifest.chunk_count:
            raise IndexError_(f"De index is beschadigd: {len(chunks)} van de {self.manifest.chunk_count} "
                              "stukken gevonden. Bouw hem opnieuw: python ingest.py --rebuild")
        return chunks


_CLIENT_LOCKS: dict[int, threading.Lock] = {}


class BuildClients:
    """The Chroma clients builds live in: one shared client (a server, or a given client) that keeps
    every build as a collection, or an embedded client per build folder under ``builds_dir``.
    Shared by the magazine's index and the own documents (``docs.DocStore``)."""

    pointer = POINTER  # the shared client's collection that says which build is current

    def __init__(self, settings: Settings, client, builds_dir: Path):
        self.settings = settings
        self.builds_dir = builds_dir
        self._client = client
        self._injected = client is not None

    @property
    def shared(self) -> bool:
        """One client holds all builds plus the pointer collection (server or given client)."""
        return self._injected or bool(self.settings.chroma_host)

    def _shared_client(self):
        if self._client is None:
            self._client = server_client(self.settings.chroma_host, self.settings.chroma_port)
        return self._client

    def _client_for(self, build: str):
        """The client that holds ``build``."""
        if self.shared:
            return self._shared_client()
        return folder_client(self.builds_dir / build)

    def _pointer_metadata(self) -> dict | None:
        """The shared pointer collection's metadata (which build is current), None without one."""
        try:
            pointer = self._shared_client().get_collection(self.pointer)
        except Exception:
            return None
        return dict(pointer.metadata or {})

    @staticmethod
    def _manifest_file(path: Path, parse, fix: str):
        """The manifest kept in ``path`` (embedded builds), None without one; a damaged file is an
        ``IndexError_`` that says how to ``fix`` it."""
        if not path.exists():
            return None
        try:
            return parse(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as err:
            raise IndexError_(f"{path} is beschadigd ({err}). {fix}") from err

    def _discard(self, client, name: str, stamp: str) -> None:
        """A build that failed halfway: its collection (and folder) go."""
        with contextlib.suppress(Exception):
            client.delete_collection(name)
        if not self.shared:
            shutil.rmtree(self.builds_dir / stamp, ignore_errors=True)


class IndexStore(BuildClients):
    """Where the index lives: a folder with builds (embedded), a Chroma server, or a given client.

    ``client``: a Chroma client to keep every build in (e.g. ``memory_client()`` in tests). Without
    it the store makes its own: an ``HttpClient`` when ``COACH_CHROMA_HOST`` is set, otherwise a
    ``PersistentClient`` per build folder.
    """

    def __init__(self, settings: Settings, client=None):
        super().__init__(settings, client, Path(settings.data_dir) / "builds")
        self.data_dir = Path(settings.data_dir)

    # ------------------------------------------------------------ manifest
    def read_manifest(self) -> Manifest | None:
        if self.shared:
            data = self._pointer_metadata()
            return Manifest.from_dict(data) if data and data.get("collection") else None
        return self._manifest_file(self.data_dir / MANIFEST, Manifest.from_dict,
                                   "Bouw de index opnieuw: python ingest.py --rebuild")

    def status(self, knowledge: Knowledge, embedder) -> list[str]:
        """Reasons the index needs (re)building; empty when it is usable.

        ``embedder``: the model the index must be built with, as named in ``COACH_EMBED_MODEL``
        (no model is loaded) or as a loaded embedder (its ``model_id``).
        """
        manifest = self.read_manifest()
        wanted = embeddings.embedder_id(embedder) if isinstance(embedder, str) else embedder.model_id
        reasons = stale_reasons(manifest, knowledge.magazine.sha256, wanted)
        return reasons + (self.file_problems(manifest) if manifest else [])

    def file_problems(self, manifest: Manifest | None = None) -> list[str]:
        """Missing or emptied index files (embedded mode); a deeper check happens at open."""
        manifest = manifest or self.read_manifest()
        if manifest is None or self.shared:
            return []
        build = self.data_dir / "builds" / manifest.build
        sqlite = build / "chroma.sqlite3"
        if not build.is_dir():
            return ["de indexbestanden ontbreken"]
        if not sqlite.is_file() or sqlite.stat().st_size == 0:
            return ["de indexbestanden zijn beschadigd"]
        return []

    def open(self) -> OpenIndex:
        manifest = self.read_manifest()
        if manifest is None:
            raise IndexMissing("Er is nog geen index. Bouw hem met: python ingest.py")
        try:
            client = self._client_for(manifest.build)
            collection = client.get_collection(manifest.collection)
            count = collection.count()
        except IndexError_:
            raise
        except Exception as err:
            raise IndexError_(f"De index kan niet worden geopend ({type(err).__name__}: {err}). "
                              "Bouw hem opnieuw: python ingest.py --rebuild") from err
        expected = manifest.vector_count or manifest.chunk_count
        if count != expected:
            raise IndexError_(f"De index is beschadigd: {count} van de {expected} vectoren gevonden. "
                              "Bouw hem opnieuw: python ingest.py --rebuild")
        return OpenIndex(manifest, collection, client)

    # ------------------------------------------------------------ build
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One ingest at a time; a second one is told so at once.

        A lock file in the data folder; with a given client (nothing on disk) a lock per client.
        """
        if self._injected:
            lock = _CLIENT_LOCKS.setdefault(id(self._client), threading.Lock())
            if not lock.acquire(blocking=False):
                raise IndexLocked("Er wordt al een index gebouwd (een andere ingest loopt nog). "
                                  "Wacht tot die klaar is en probeer het dan opnieuw.")
            try:
                yield
            finally:
                lock.release()
            return
        self._check_writable()
        path = self.data_dir / ".ingest.lock"
        fh = open(path, "a+")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IndexLocked("Er wordt al een index gebouwd (een andere ingest loopt nog). "
                                  "Wacht tot die klaar is en probeer het dan opnieuw.") from None
            yield
        finally:
            fh.close()

    def _check_writable(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self.data_dir, prefix=".probe", delete=True)
            probe.close()
        except OSError as err:
            raise IndexError_(f"Kan niet schrijven in de datamap {self.data_dir} ({err.strerror}). "
                              "Kies een andere map met COACH_DATA_DIR.") from err

    def embedding_cache(self, embedder):
        """The embedding cache in the data folder (texts embedded before are not embedded again);
        None for an in-memory store (tests) or a fake embedder."""
        if self._injected or not getattr(embedder, "model_id", ""):
            return None
        import sqlite3

        from .embedcache import EmbeddingCache
        try:
            return EmbeddingCache(self.data_dir / "cache" / "embeddings.sqlite")
        except (OSError, sqlite3.Error):
            return None  # an unwritable data folder is reported by the build itself

    def build(self, knowledge: Knowledge, embedder, progress: Progress | None = None,
              target_words: int = DEFAULT_TARGET_WORDS, batch: int = 32, context: bool = True,
              sentence_vectors: bool = False) -> Manifest:
        """Embed all chunks (and their sentences) into a new collection, then swap it in.

        The caller holds ``lock()``.
        """
        started = time.perf_counter()
        chunks = knowledge.chunks(target_words, context)
        entries = [(c.id, c.text, c.embed_text or c.text, c.metadata()) for c in chunks]
        if sentence_vectors:
            for c in chunks:
                for sid, sent, embed in sentence_entries(c):
                    entries.append((sid, sent, embed, {**c.metadata(), "part": "zin", "parent": c.id}))
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"mozaiek-{stamp}"
        previous = self.read_manifest()
        client = self._client_for(stamp)
        try:
            # ef_search 400: the search finds all of the ~160 nearest vectors the retriever asks for,
            # so answers do not vary from one build to the next.
            collection = client.create_collection(name, configuration={"hnsw": {"space": "cosine", "ef_search": 400}},
                                                  metadata={"embedder": embedder.model_id})
            total = len(entries)
            cache = self.embedding_cache(embedder)
            for start in range(0, total, batch):
                part = entries[start:start + batch]
                texts = [e[2] for e in part]
                vectors = cache.encode(embedder, texts, query=False) if cache else embedder.encode(texts, query=False)
                collection.add(ids=[e[0] for e in part], documents=[e[1] for e in part],
                               metadatas=[e[3] for e in part], embeddings=vectors.tolist())
                if progress:
                    progress(min(start + batch, total), total)
            if collection.count() != total:
                raise IndexError_(f"Index onvolledig opgebouwd ({collection.count()} van {total}).")
        except BaseException:
            self._discard(client, name, stamp)
            raise
        manifest = Manifest(corpus_sha256=knowledge.magazine.sha256, chunker_version=CHUNKER_VERSION,
                            format_version=INDEX_FORMAT_VERSION, embedder=embedder.model_id, chunk_count=len(chunks), vector_count=total,
                            built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            seconds=round(time.perf_counter() - started, 2), collection=name,
                            build=stamp, sections=len(knowledge.magazine.sections),
                            blocks=len(knowledge.blocks), cases=len(knowledge.cases))
        self._swap(client, manifest, previous)
        return manifest

    def _swap(self, client, manifest: Manifest, previous: Manifest | None) -> None:
        if self.shared:
            pointer = client.get_or_create_collection(self.pointer)
            pointer.modify(metadata=manifest.to_dict())
            if previous and previous.collection != manifest.collection:
                with contextlib.suppress(Exception):
                    client.delete_collection(previous.collection)
            return
        atomic_write_text(self.data_dir / MANIFEST, json.dumps(manifest.to_dict(), indent=2))
        # Keep the previous build one round (a running app may still read it); drop older ones.
        keep = {manifest.build} | ({previous.build} if previous else set())
        for old in (self.data_dir / "builds").iterdir():
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
