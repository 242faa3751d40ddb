"""The domain model of the magazine: its sections, the seven building blocks and the cases.

``load_knowledge`` reads the magazine once; everything else (chunking, the index, the coach,
the scan, the app) works from the ``Knowledge`` it returns. Nothing here knows about storage.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cases import Case, resolve_cases
from .chunking import DEFAULT_TARGET_WORDS, Chunk, chunk_magazine
from .corpus import Magazine, load_magazine
from .mozaiek import Bouwsteen, extract_blocks


@dataclass(frozen=True)
class Knowledge:
    """Everything extracted from the magazine: sections, blocks, cases."""

    magazine: Magazine
    blocks: tuple[Bouwsteen, ...]
    cases: tuple[Case, ...]

    def block(self, key: str) -> Bouwsteen:
        for b in self.blocks:
            if b.key == key:
                return b
        raise KeyError(key)

    def case(self, key: str) -> Case:
        for c in self.cases:
            if c.key == key:
                return c
        raise KeyError(key)

    def chunks(self, target_words: int = DEFAULT_TARGET_WORDS, context: bool = True) -> list[Chunk]:
        return chunk_magazine(self.magazine, self.blocks, self.cases, target_words, context)

    def to_dict(self) -> dict:
        return {"blocks": [b.to_dict() for b in self.blocks],
                "cases": [c.to_dict() for c in self.cases],
                "sections": [{"title": s.title, "kind": s.kind, "words": s.words,
                              "subtitle": s.subtitle} for s in self.magazine.sections]}


def load_knowledge(corpus_path: Path) -> Knowledge:
    """Read the magazine at ``corpus_path`` and extract its blocks and cases."""
    magazine = load_magazine(corpus_path)
    return Knowledge(magazine, extract_blocks(magazine), resolve_cases(magazine))
