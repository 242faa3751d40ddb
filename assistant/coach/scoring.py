"""Scoring, apart from composing: which blocks a question is about, which deepening questions fit,
which case (which passages to show: ``compose.py``). Small pure functions over arrays and
chunks; every weight lives in one frozen ``Weights`` object (tuned on the dev split, see
evals/report.md), not in the code that uses it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..knowledge.chunking import Chunk
from ..knowledge.mozaiek import BLOCK_NAMES
from ..search.retriever import Passage, expand_query
from ..util.language import content_tokens, fold


@dataclass(frozen=True)
class Weights:
    """Every number the coach's choices depend on, by name."""

    # block ranking
    block_passages: int = 8  # retrieved passages whose block affinity counts
    retrieval_weight: float = 1.0  # × 4.0: what the retrieved passages are about
    named_block: float = 1.0  # the block's name appears in the question
    profile_weight: float = 1.0  # × 0.5: closest dense match among the block's own chunks
    bm25_own: float = 1.0  # best BM25 match among the block's own chunks (relative to the best block)
    follow_up_prior: float = 2.0  # a follow-up keeps the previous answer's block
    runner_up_ratio: float = 0.6  # too close to choose: the second block's score is ≥ this share of the first
    ask_first: bool = True  # too close to choose: ask which one before answering (kind "clarify") …
    ask_first_ratio: float = 0.8  # … when the second block's score is ≥ this share of the first (chosen on dev)
    chosen_min: float = 0.5  # a block the user chose gets at least this score
    # chunk affinity to blocks
    stem_own_share: float = 0.6  # a "stem af met" item belongs this much to its own block, the rest to its target
    secondary_block: float = 0.5  # a chunk's second listed block, relative to its first
    affinity_mix: float = 0.5  # labels vs. dense similarity to the block profiles
    affinity_temperature: float = 2.0
    # retrieval
    block_boost: float = 0.0  # re-rank on a detected block (0: the eval table shows it costs hits)
    chosen_boost: float = 1.0  # re-rank on a block the user chose
    first_k: int = 12
    final_k: int = 10
    # out of scope (rules, used when there is no learned scope model)
    oos_dense: float = 0.78  # best dense similarity below this …
    oos_coverage: float = 0.5  # … and fewer known words than this → out of scope
    # learned models (learned.py), used when the coach has them
    learned_blocks: bool = True
    learned_scope: bool = True
    scope_threshold: float = 0.3  # below this probability the magazine does not speak to it (chosen on dev)
    learned_case: bool = True
    case_show_min: float = 0.6  # below this probability of the case model no practice passage is shown: on dev it
    # hid 22 of 45 wrong or unwanted cases and 2 of 43 right ones (no case is better than an irrelevant one)
    learned_rerank: bool = True  # the passage model re-orders the fused candidates (not when a block is chosen)
    learned_heads: bool = True  # the models see a logistic regression on the question's own vector
    framework_questions: bool = True  # train on the filled-in questions naming the framework's parts too
    situation_ranking: bool = True  # the nearest situations' passages as one more ranking in the fusion
    situation_k: int = 20  # nearest situations that vote for their passage
    # deepening questions
    deep_dense: float = 4.0
    deep_keep_third: float = 1.0  # a third question is kept when it scores within this of the first
    deep_max: int = 3
    # case choice
    case_passage: float = 2.0
    case_dense: float = 0.25
    case_has_block: float = 0.5
    case_main_block: float = 0.25


DEFAULT_WEIGHTS = Weights()


def overlap(query_tokens: set[str], text: str) -> float:
    """Shared content words, normalised by the text's length."""
    toks = set(content_tokens(text))
    return len(query_tokens & toks) / math.sqrt(len(toks) + 1)


def query_tokens(query: str) -> set[str]:
    return set(content_tokens(expand_query(query)))


def zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() + 1e-6)


# --------------------------------------------------------------------------- blocks

def chunk_affinity(chunks: list[Chunk], keys: list[str], profile_sims: np.ndarray | None,
                   w: Weights = DEFAULT_WEIGHTS) -> np.ndarray:
    """How much each chunk is about each block (rows sum to 1), shape (chunks, blocks).

    A block's own text belongs to that block; a "stem af met" item also to its target. Other
    chunks mix their case's blocks with their similarity to each block's own words
    (``profile_sims``: chunks × blocks cosine similarities, or None).
    """
    out = np.zeros((len(chunks), len(keys)))
    for i, c in enumerate(chunks):
        a = np.zeros(len(keys))
        if c.kind == "bouwsteen" and c.blocks and c.blocks[0] in keys:
            a[keys.index(c.blocks[0])] = 1.0
            if c.part == "stem_af_met" and len(c.blocks) > 1 and c.blocks[1] in keys:
                a = w.stem_own_share * a
                a[keys.index(c.blocks[1])] += 1.0 - w.stem_own_share
            out[i] = a
            continue
        for j, b in enumerate(c.blocks):
            if b in keys:
                a[keys.index(b)] += 1.0 if j == 0 else w.secondary_block
        a = a / a.sum() if a.sum() else a
        if profile_sims is not None:
            p = np.exp(w.affinity_temperature * zscore(profile_sims[i]))
            p /= p.sum()
            a = (1 - w.affinity_mix) * a + w.affinity_mix * p if a.sum() else p
        out[i] = a
    return out


def rank_blocks(question: str, keys: list[str], passages: list[Passage], affinity: np.ndarray,
                index_of: dict[str, int], own: dict[str, list[int]], dense: np.ndarray | None, bm25: np.ndarray,
                prior: dict[str, float] | None = None, w: Weights = DEFAULT_WEIGHTS) -> list[tuple[str, float]]:
    """All blocks with a score in [0, 1] (softmax), best first.

    Evidence: what the retrieved passages are about (``affinity`` rows, by rank), the block named
    in the question, a prior (a follow-up keeps its block), and how close the question comes to
    the block's own chunks (``own``: block → chunk indices) in ``dense`` and ``bm25`` scores over
    all chunks (``index_of``: chunk id → row).
    """
    ret = np.zeros(len(keys))
    for p in passages[:w.block_passages]:
        ret += affinity[index_of[p.chunk.id]] / (p.rank + 1)
    logits = w.retrieval_weight * 4.0 * ret / (ret.sum() or 1.0)
    folded = fold(question)
    for j, k in enumerate(keys):
        if re.search(rf"\b{fold(BLOCK_NAMES.get(k, k))}", folded):
            logits[j] += w.named_block
        if prior and k in prior:
            logits[j] += prior[k]
    if dense is not None:
        best = np.array([dense[own[k]].max() if own[k] else 0.0 for k in keys])
        logits += w.profile_weight * 0.5 * zscore(best)
    best_bm = np.array([bm25[own[k]].max() if own[k] else 0.0 for k in keys])
    logits += w.bm25_own * best_bm / (best_bm.max() or 1.0)
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    order = np.argsort(-probs)
    return [(keys[i], float(probs[i])) for i in order]


def with_choice(ranked: list[tuple[str, float]], choice: str, w: Weights = DEFAULT_WEIGHTS) -> list[tuple[str, float]]:
    """The user's choice leads; the other blocks share the rest, still summing to 1."""
    mine = max(dict(ranked).get(choice, 0.0), w.chosen_min)
    rest = [(k, s) for k, s in ranked if k != choice]
    total = sum(s for _, s in rest) or 1.0
    return [(choice, mine)] + [(k, s * (1.0 - mine) / total) for k, s in rest]


def runner_up(ranked: list[tuple[str, float]], w: Weights = DEFAULT_WEIGHTS) -> str | None:
    """The second block, when it is close enough to the first to mention."""
    if len(ranked) > 1 and ranked[1][1] >= w.runner_up_ratio * ranked[0][1]:
        return ranked[1][0]
    return None


# --------------------------------------------------------------------------- deepening questions

def rank_questions(questions: list[str], query: str, dense: list[float | None] | None = None,
                   w: Weights = DEFAULT_WEIGHTS) -> list[tuple[str, float]]:
    """Questions ranked by how well they fit the question: word overlap and, where a question has
    its own chunk, its dense similarity (``dense``, one entry per question, None when unknown)."""
    qtok = query_tokens(query)
    scores = np.array([overlap(qtok, q) for q in questions], dtype=float)
    known = [i for i, s in enumerate(dense or []) if s is not None]
    if known:
        sims = np.array([dense[i] for i in known])
        for i, sim in zip(known, sims - sims.mean()):
            scores[i] += w.deep_dense * sim
    order = np.argsort(-scores, kind="stable")
    return [(questions[i], float(scores[i])) for i in order]


def pick_deepening(questions: list[str], query: str, dense: list[float | None] | None = None,
                   w: Weights = DEFAULT_WEIGHTS) -> list[str]:
    """The block's deepening questions that fit best (2–3, ranked)."""
    if len(questions) <= 2:
        return list(questions)
    ranked = rank_questions(questions, query, dense, w)
    keep = 3 if ranked[2][1] >= ranked[0][1] - w.deep_keep_third else 2
    return [q for q, _ in ranked[:min(w.deep_max, keep)]]


# --------------------------------------------------------------------------- the case

def pick_case(passages: list[Passage], index_of: dict[str, int], case_chunks: dict[str, list[int]], case_blocks: dict[str, tuple[str, ...]],
              top_block: str, dense: np.ndarray | None, w: Weights = DEFAULT_WEIGHTS) -> tuple[str, int] | None:
    """The case that fits best and the chunk to quote (its index): retrieved passages of the case,
    the case's closest chunk, and whether the case illustrates the block."""
    keys = list(case_chunks)
    if not keys:
        return None
    score = np.zeros(len(keys))
    first: dict[str, int] = {}
    for p in passages:
        if p.chunk.case in case_chunks:
            score[keys.index(p.chunk.case)] += w.case_passage / (p.rank + 1)
            first.setdefault(p.chunk.case, index_of[p.chunk.id])
    if dense is not None:
        best = np.array([dense[case_chunks[k]].max() for k in keys])
        score += w.case_dense * zscore(best)
    for j, k in enumerate(keys):
        blocks = case_blocks[k]
        score[j] += (w.case_has_block if top_block in blocks else 0.0) + \
            (w.case_main_block if blocks and blocks[0] == top_block else 0.0)
    key = keys[int(np.argmax(score))]
    if key in first:
        return key, first[key]
    idx = case_chunks[key]
    return key, (idx[int(np.argmax(dense[idx]))] if dense is not None else idx[0])
