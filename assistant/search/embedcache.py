"""Embeddings kept by content: model id + query/document side + text hash → vector, in SQLite in
the data folder. A rebuild embeds only texts it has not seen; the situation layer is embedded once.
Writes are transactions; a damaged cache file is set aside and started anew (it holds nothing the
user made: everything in it can be computed again).
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


class EmbeddingCache:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._init()
        except sqlite3.DatabaseError:
            log.warning("Embeddingcache %s is beschadigd; ik begin een nieuwe.", self.path)
            self.path.replace(self.path.with_suffix(".damaged"))
            self._init()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def _init(self) -> None:
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, data BLOB)")

    @staticmethod
    def key(model_id: str, text: str, query: bool) -> str:
        side = "q" if query else "d"
        return hashlib.sha256(f"{model_id}\x00{side}\x00{text}".encode()).hexdigest()

    def encode(self, embedder, texts: list[str], query: bool = False) -> np.ndarray:
        """``embedder.encode(texts, query)``, with every vector seen before taken from the cache."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        keys = [self.key(embedder.model_id, t, query) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock, self._connect() as db:
            for start in range(0, len(keys), 500):
                part = keys[start:start + 500]
                rows = db.execute(f"SELECT key, dim, data FROM vectors WHERE key IN ({','.join('?' * len(part))})",
                                  part).fetchall()
                found.update({k: np.frombuffer(data, dtype=np.float32, count=dim) for k, dim, data in rows})
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            text_of = dict(zip(keys, texts))
            vectors = np.asarray(embedder.encode([text_of[k] for k in missing], query=query), dtype=np.float32)
            with self._lock, self._connect() as db:
                db.executemany("INSERT OR REPLACE INTO vectors (key, dim, data) VALUES (?, ?, ?)",
                               [(k, int(v.shape[0]), v.tobytes()) for k, v in zip(missing, vectors)])
            found.update(zip(missing, vectors))
        return np.stack([found[k] for k in keys])
