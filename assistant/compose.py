"""Composing a coach's answer from whole passages, in a short fixed order.

1. a recognition line in the coach's own voice (templates and the block's "Zorg voor …" line; it
   claims nothing of its own),
2. the passage of the magazine that answers best, whole, introduced, its best sentence in bold,
3. at most one practice passage, introduced with place and person, words credited only to who says them,
4. the two deepening questions that fit best (the rest behind "meer vragen"),
5. the one "stem af met" link that fits best (the others behind "meer").

Which stretch to show is scored here (``StretchPicker``); ``coach.py`` decides block and case,
``render.coach_markdown`` lays the answer out.
"""
from __future__ import annotations

import hashlib

import numpy as np

from .answer import ShownPassage
from .retrieval import Passage
from .scoring import overlap, query_tokens, zscore
from .stretches import Stretch, make_stretches
from .text import content_tokens
from .texts import render

VISIBLE_BUDGET = 300  # words shown before "meer": past this, parts move behind it (stem, then a question, then the case)
CANDIDATE_PASSAGES = 6


class StretchPicker:
    """The magazine's stretches with their vectors, and the choice of which one to show."""

    def __init__(self, chunks, cases: dict):
        self.chunks = chunks
        self.stretches: list[Stretch] = make_stretches(chunks, cases)
        self.of_chunk: dict[int, list[int]] = {}
        for si, s in enumerate(self.stretches):
            for p in s.pieces:
                self.of_chunk.setdefault(p.chunk, []).append(si)
        self.of_block: dict[str, list[int]] = {}
        self.of_case: dict[str, list[int]] = {}
        for si, s in enumerate(self.stretches):
            if s.case:
                self.of_case.setdefault(s.case, []).append(si)
            elif s.kind == "bouwsteen" and s.blocks:
                self.of_block.setdefault(s.blocks[0], []).append(si)
        self.tokens = [set(content_tokens(s.text)) for s in self.stretches]
        self.vectors: np.ndarray | None = None

    def embed(self, retriever, cache=None) -> None:
        """Document vectors for the stretches (kept in the embedding cache when there is one)."""
        if not retriever.has_dense or not self.stretches:
            return
        texts = [f"{s.section}.\n{s.text}" for s in self.stretches]
        vecs = cache.encode(retriever.embedder, texts, query=False) if cache is not None \
            else retriever.embed_texts(texts)
        self.vectors = np.asarray(vecs, dtype=np.float32)

    def score(self, candidates: list[int], query: str, qvec, chunk_rank: dict[int, int],
              block_probs: dict[str, float]) -> np.ndarray:
        """How well each candidate stretch answers: its closeness to the question (dense, relative to the
        other candidates), shared words, the rank of its chunk in the answer's sources and the
        probability of its block."""
        qtok = query_tokens(query)
        dense = np.zeros(len(candidates))
        if self.vectors is not None and qvec is not None:
            dense = self.vectors[candidates] @ np.asarray(qvec, dtype=np.float32)
            dense = zscore(dense) if len(candidates) > 1 else dense * 0
        out = np.zeros(len(candidates))
        for j, si in enumerate(candidates):
            s = self.stretches[si]
            ranks = [chunk_rank[p.chunk] for p in s.pieces if p.chunk in chunk_rank]
            rank_part = 1.0 / (1 + min(ranks)) if ranks else 0.0
            shared = len(qtok & self.tokens[si]) / np.sqrt(len(self.tokens[si]) + 1)
            blocks = s.blocks or ()
            block = max((block_probs.get(b, 0.0) for b in blocks[:1]), default=0.0)
            out[j] = 1.0 * dense[j] + 1.5 * rank_part + 1.0 * shared + 1.0 * block
        return out

    def best(self, candidates: list[int], query, qvec, chunk_rank, block_probs) -> int | None:
        if not candidates:
            return None
        scores = self.score(candidates, query, qvec, chunk_rank, block_probs)
        return candidates[int(np.argmax(scores))]


def main_candidates(picker: StretchPicker, passages: list[Passage], index_of: dict[str, int], top: str) -> list[int]:
    """Stretches of the best sources that are not a practice case, and the chosen block's own."""
    out: list[int] = []
    for p in passages[:CANDIDATE_PASSAGES]:
        i = index_of.get(p.chunk.id)
        for si in picker.of_chunk.get(i, []) if i is not None else []:
            if picker.stretches[si].case is None and si not in out:
                out.append(si)
    for si in picker.of_block.get(top, []):
        if si not in out:
            out.append(si)
    return out


def best_sentence(stretch_sentences: list[str], query: str) -> str:
    """The sentence that shares most with the question (none when it shares nothing)."""
    qtok = query_tokens(query)
    scored = [(overlap(qtok, s), -i, s) for i, s in enumerate(stretch_sentences)
              if len(s.split()) >= 5 and not s.rstrip("”’\"' )").endswith("?")]
    if not scored:
        return ""
    best = max(scored)
    return best[2] if best[0] > 0 else ""


def recognition_line(question: str, lang: str, name: str, tagline: str) -> str:
    """One line in the coach's own voice: which block this is, in the block's own words."""
    variant = int(hashlib.sha1(question.encode()).hexdigest(), 16) % 3
    tag = tagline[:1].lower() + tagline[1:] if tagline else ""
    return render(f"rec_{variant}", lang, name=name, tagline=tag)


def magazine_intro(stretch: Stretch, lang: str) -> str:
    """"In *Bouwsteen Binding* staat:" / "Het magazine zegt hierover (in …):"."""
    if stretch.kind == "bouwsteen":
        return render("intro_block", lang, section=stretch.section)
    return render("intro_magazine", lang, section=stretch.section)


def case_intro(stretch: Stretch, case, lang: str) -> tuple[str, str | None]:
    """The practice passage's introduction (place and people at first mention) and the person it is
    credited to (only when that person says every sentence of it)."""
    roles = {p.name: p.role for p in case.people}
    where = case.place if case.place != "Nederland" else case.network
    credited = stretch.all_speech_of
    if credited:
        return render("intro_case_speaker", lang, where=where, network=case.network, name=credited,
                      role=roles.get(credited, "")), credited
    people = ", ".join(f"{p.name} ({p.role})" for p in case.people)
    return render("intro_case_article", lang, where=where, network=case.network, people=people,
                  section=case.section), None


def shown_passage(role: str, stretch: Stretch, chunks, cites: tuple[int, ...], intro: str, bold: str,
                  credited: str | None) -> ShownPassage:
    return ShownPassage(role, stretch.id, stretch.section, stretch.case, stretch.text,
                        tuple((chunks[p.chunk].id, p.start, p.end) for p in stretch.pieces), cites, intro,
                        bold, credited, stretch.speakers, tuple(s.text for s in stretch.sentences))


def visible_words(answer) -> int:
    """Words the user sees before opening anything (see ``render.coach_markdown``)."""
    from .render import visible_markdown
    return len(visible_markdown(answer).split())


def fit_budget(answer):
    """The answer within ``VISIBLE_BUDGET`` visible words: the other links, then the second question,
    then the practice passage move behind "meer" (in that order, only as far as needed)."""
    import dataclasses
    if answer.kind != "answer":
        return answer
    for part in ("stem", "deep2", "case"):
        if visible_words(answer) <= VISIBLE_BUDGET:
            break
        if part == "deep2" and len(answer.deepening) > 1:
            answer = dataclasses.replace(answer, deepening=answer.deepening[:1],
                                         more_deepening=answer.deepening[1:] + answer.more_deepening,
                                         collapsed=(*answer.collapsed, part))
        elif part != "deep2":
            answer = dataclasses.replace(answer, collapsed=(*answer.collapsed, part))
    return answer
