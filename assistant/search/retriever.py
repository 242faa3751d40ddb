"""Hybrid search: dense (Chroma) and lexical (BM25, Dutch stemming) fused by reciprocal rank.

``Retriever.rank`` ranks the chunks both ways (filters by block or case narrow both searches) and
``Retriever.fuse`` turns the rankings into ranked ``Passage`` objects with scores and chunk
metadata. The fusion is a few lines written here: clearer than a generic ensemble and easy to
measure variant by variant (``mode``).

The coach uses the retriever only through its public methods and ``chunks``: ``embed_query``,
``query_vector``, ``embed_texts``, ``rank``, ``fuse``, ``dense_similarities``, ``similarities``,
``bm25_scores``, ``vocabulary``/``is_known_word``, ``vocabulary_coverage`` and ``has_dense``.
"""
from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

import numpy as np

from ..knowledge.chunking import Chunk
from ..util.language import content_tokens, fold, words

MODES = ("hybrid", "dense", "bm25")

# Words about the user's own activity ("voor de leerkring", "wat zegt het model"): not content.
META_WORDS = frozenset("""leerkring leergroep oefening oefenen magazine model zegt zeggen vertel uitleg
uitleggen voorbeeld voorbeelden bespreken groep deelnemers say says does magazine""".split())

ELLIPSIS_PREFIXES = ("en ", "maar ", "and ", "what about", "en als", "en bij", "en wat", "en hoe", "ook ")


@dataclass(frozen=True)
class Rankings:
    dense: list[tuple[int, float]]
    bm25: list[tuple[int, float]]
    extra: list[list[tuple[int, float]]]


@dataclass(frozen=True)
class Passage:
    chunk: Chunk
    score: float
    rank: int
    dense: float | None = None
    bm25: float | None = None


def chunk_tokens(chunk: Chunk) -> list[str]:
    """What BM25 indexes of a chunk: its embedded text (with context), section and text."""
    return content_tokens((chunk.embed_text or "") + " " + chunk.section + " " + chunk.text)


class BM25:
    """Okapi BM25 over pre-tokenised documents."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = np.array([len(d) for d in docs], dtype=np.float32)
        self.avg = float(self.len.mean()) if len(docs) else 1.0
        df = Counter(t for d in docs for t in set(d))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.vocab = set(df)

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(len(self.tf), dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self.len / self.avg)
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            tf = np.array([d.get(term, 0) for d in self.tf], dtype=np.float32)
            out += idf * tf * (self.k1 + 1) / (tf + norm)
        return out


def expand_query(query: str) -> str:
    """The query's words without words about the user's own activity (``META_WORDS``).

    (A glossary that mapped everyday and English words onto the magazine's was retired: it had
    been fitted to the dev questions and did not pay on the test split; see evals/report.md.)
    """
    return " ".join(w for w in words(query) if w not in META_WORDS)


class Retriever:
    """Ranked passages for a question, from one index (its chunks, vectors and collection)."""

    def __init__(self, chunks: list[Chunk], collection, embedder, vectors: np.ndarray | None = None,
                 mode: str = "hybrid", rrf_k: int = 5, expand: bool = True, depth: int = 40,
                 extra: list["Retriever"] | None = None, bm25_weight: float = 1.5):
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}")
        self.chunks = chunks
        self.by_id = {c.id: i for i, c in enumerate(chunks)}
        self.collection = collection
        self.embedder = embedder
        self.mode, self.rrf_k, self.expand, self.depth = mode, rrf_k, expand, depth
        # Other dense indexes over the same chunks (another embedder), fused as further rankings.
        self.extra = extra or []
        self.bm25_weight = bm25_weight
        self.tokens = [chunk_tokens(c) for c in chunks]  # also the magazine's part of the own documents' BM25
        self.bm25 = BM25(self.tokens)
        if vectors is None and collection is not None:
            got = collection.get(ids=[c.id for c in chunks], include=["embeddings"])
            order = {i: k for k, i in enumerate(got["ids"])}
            vectors = np.asarray([got["embeddings"][order[c.id]] for c in chunks], dtype=np.float32)
        self.vectors = vectors
        # Sentence vectors point to their chunk through metadata ("parent"); without them an id is
        # a chunk id and the query need not fetch metadata (a fifth of the time per question).
        self.children = collection is not None and collection.count() > len(chunks)
        self._vocabulary = frozenset(self.bm25.vocab)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bm25_cache: OrderedDict[tuple[str, bool], np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    # ------------------------------------------------------------------ pieces
    def embed_query(self, text: str) -> np.ndarray:
        """The question's vector (cached per folded text)."""
        key = fold(text).strip()
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        vec = self.embedder.encode([text], query=True)[0]
        with self._cache_lock:
            self._cache[key] = vec
            if len(self._cache) > 512:
                self._cache.popitem(last=False)
        return vec

    def clear_cache(self) -> None:
        """Forget the cached question vectors and BM25 scores (the evals time two runs over the same
        questions)."""
        with self._cache_lock:
            self._cache.clear()
            self._bm25_cache.clear()

    # ------------------------------------------------------------------ the coach's interface
    @property
    def has_dense(self) -> bool:
        """Whether this retriever embeds questions (not in the BM25-only mode)."""
        return self.mode != "bm25" and self.embedder is not None and self.vectors is not None

    def query_vector(self, text: str) -> np.ndarray | None:
        """The question's vector, or None in the BM25-only mode."""
        return self.embed_query(text) if self.has_dense else None

    def embed_texts(self, texts: list[str]) -> np.ndarray | None:
        """Document-side vectors for ``texts`` (e.g. a block's own text), or None without dense search."""
        return self.embedder.encode(texts, query=False) if self.has_dense else None

    def dense_similarities(self, qvec: np.ndarray | None) -> np.ndarray | None:
        """Cosine similarity of ``qvec`` to every chunk, in chunk order (None without vectors).

        ``qvec`` may also be a matrix with one vector per row: the result then has a column each.
        """
        if qvec is None or self.vectors is None:
            return None
        return self.vectors @ np.asarray(qvec, dtype=np.float32).T

    def bm25_scores(self, query: str, expand: bool = True) -> np.ndarray:
        """BM25 score of every chunk for ``query``, in chunk order (``expand``: with the magazine's
        words added, see ``expand_query``). Read-only: one answer asks for the same question's
        scores several times (ranking, block and scope features, passage model), so the last
        few are kept."""
        key = (query, expand)
        with self._cache_lock:
            if key in self._bm25_cache:
                return self._bm25_cache[key]
        scores = self.bm25.scores(content_tokens(expand_query(query) if expand else query))
        scores.setflags(write=False)
        with self._cache_lock:
            self._bm25_cache[key] = scores
            if len(self._bm25_cache) > 64:
                self._bm25_cache.popitem(last=False)
        return scores

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every content token (stemmed) that occurs anywhere in the indexed text."""
        return self._vocabulary

    def is_known_word(self, token: str) -> bool:
        """Whether a content token occurs anywhere in the indexed text."""
        return token in self._vocabulary

    def similarities(self, qvec: np.ndarray, chunk_ids: list[str]) -> np.ndarray:
        """Cosine similarity of the question to the given chunks (vectors are normalised)."""
        idx = [self.by_id[c] for c in chunk_ids]
        return self.vectors[idx] @ qvec if self.vectors is not None else np.zeros(len(idx))

    def _allowed(self, blocks: tuple[str, ...] | None, case: str | None) -> np.ndarray:
        mask = np.ones(len(self.chunks), dtype=bool)
        if blocks:
            mask &= np.array([bool(set(blocks) & set(c.blocks)) for c in self.chunks])
        if case:
            mask &= np.array([c.case == case for c in self.chunks])
        return mask

    def _where(self, blocks, case):
        clauses = []
        if blocks:
            ors = [{f"b_{b}": True} for b in blocks]
            clauses.append(ors[0] if len(ors) == 1 else {"$or": ors})
        if case:
            clauses.append({"case": case})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def dense_ranking(self, qvec: np.ndarray, blocks=None, case=None) -> list[tuple[int, float]]:
        """Chunks by their best vector: the chunk's own or one of its sentences'."""
        return self.dense_rankings(np.asarray(qvec)[None, :], blocks, case)[0]

    def dense_rankings(self, qvecs: np.ndarray, blocks=None, case=None, batch: int = 32) -> list[list[tuple[int, float]]]:
        """``dense_ranking`` for many questions at once (one Chroma query per ``batch``; training)."""
        n = min(self.depth * 4, 400)
        include = ["distances", "metadatas"] if self.children else ["distances"]
        out = []
        for start in range(0, len(qvecs), batch):
            res = self.collection.query(query_embeddings=np.asarray(qvecs[start:start + batch]).tolist(),
                                        n_results=n, where=self._where(blocks, case), include=include)
            for q, (ids, dists) in enumerate(zip(res["ids"], res["distances"])):
                metas = res["metadatas"][q] if self.children else [None] * len(ids)
                best: dict[int, float] = {}
                for i, d, meta in zip(ids, dists, metas):
                    idx = self.by_id.get((meta or {}).get("parent") or i)
                    if idx is not None and (idx not in best or 1.0 - d > best[idx]):
                        best[idx] = 1.0 - d
                out.append(sorted(best.items(), key=lambda t: -t[1])[: self.depth])
        return out

    def bm25_ranking(self, query: str, blocks=None, case=None) -> list[tuple[int, float]]:
        scores = np.where(self._allowed(blocks, case), self.bm25_scores(query, self.expand), -1.0)
        order = np.argsort(-scores)[: self.depth]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    # ------------------------------------------------------------------ search
    def rank(self, query: str, qvec: np.ndarray | None = None, blocks: tuple[str, ...] | None = None,
             case: str | None = None, dense: list[tuple[int, float]] | None = None) -> "Rankings":
        """The dense ranking(s) and the lexical ranking (chunk index, score), as the mode allows
        (``dense``: the dense ranking when already known, see ``dense_rankings``)."""
        bm, extra = [], []
        if self.mode in ("hybrid", "dense"):
            qvec = self.embed_query(query) if qvec is None else qvec
            dense = self.dense_ranking(qvec, blocks, case) if dense is None else dense
            for other in self.extra:
                ranking = other.dense_ranking(other.embed_query(query), blocks, case)
                extra.append([(self.by_id[other.chunks[i].id], sc) for i, sc in ranking
                              if other.chunks[i].id in self.by_id])
        if self.mode in ("hybrid", "bm25"):
            bm = self.bm25_ranking(query, blocks, case)
        return Rankings(dense or [], bm, extra)

    def fuse(self, rankings: "Rankings", k: int = 10, boost: dict[str, float] | None = None) -> list[Passage]:
        """Reciprocal rank fusion; ``boost`` (block → weight) lifts chunks of those blocks."""
        fused: dict[int, float] = {}
        weighted = [(rankings.dense, 1.0), (rankings.bm25, self.bm25_weight),
                    *((e, 1.0) for e in rankings.extra)]
        for ranking, weight in weighted:
            for r, (i, _) in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + weight / (self.rrf_k + r + 1)
        if boost:
            for i in fused:
                bonus = max((boost.get(b, 0.0) for b in self.chunks[i].blocks), default=0.0)
                fused[i] *= 1.0 + bonus
        dense_of, bm_of = dict(rankings.dense), dict(rankings.bm25)
        order = sorted(fused, key=lambda i: (-fused[i], self.chunks[i].position))[:k]
        top = fused[order[0]] if order else 1.0
        return [Passage(self.chunks[i], round(fused[i] / top, 4), r, dense_of.get(i), bm_of.get(i))
                for r, i in enumerate(order)]

    def vocabulary_coverage(self, query: str) -> float:
        """Share of the question's content words that occur anywhere in the magazine."""
        tokens = content_tokens(expand_query(query))
        if not tokens:
            return 0.0
        return sum(t in self._vocabulary for t in tokens) / len(tokens)
