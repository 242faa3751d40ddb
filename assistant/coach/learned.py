"""Learned block and scope models, trained on the situation layer and the scope training set
(never on eval questions), instead of word lists and hand weights.

- Block: a conditional logit over the seven blocks (one logistic regression on (question, block)
  pairs, a softmax over the blocks at answer time). Features per block: the rule-based score of
  ``scoring.rank_blocks`` (log), how close the question comes to the situations labelled with
  that block (best match, z-scored over blocks) and a similarity-weighted vote of the nearest
  situations.
- Case: a conditional logit over the cases: retrieved passages of the case, its closest chunk,
  the nearest case situations, and how well the case's blocks fit the block probabilities.
- Scope: one logistic regression, "does the magazine speak to this?". Features: the best dense
  match in the magazine and the mean of the best three, the share of known words and the best
  BM25 score (Dutch questions only), whether the question is English, and how close the question
  comes to in-scope and to out-of-scope training questions.

Each of the three also gets a *head*: a logistic regression on the question's own vector
(standardised), trained on the same items; its log probability is one more feature. In training
the head's probabilities are out-of-fold, so an item never scores itself.

All are trained per index build (the features depend on the embedder's score scale) and kept in
the data folder; cross-validated figures are stored with them.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from ..knowledge.situations import Situation, framework_situations, load_situations, resolve
from ..util.language import guess_lang

log = logging.getLogger(__name__)

FEATURES_VERSION = "7b"  # 2: scope word overlap for Dutch only, plus "English"; 5: no glossary; 6: heads; 7: passage model
KNN_K = 10
KNN_TEMPERATURE = 10.0
HEAD_C = 0.1  # regularisation of the heads (standardised vectors); chosen by cross-validation on the training items
HEAD_FLOOR = 1e-4


@dataclass(frozen=True)
class Head:
    """A logistic regression on the (standardised) question vector: a probability per class."""

    classes: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]  # one row per class (one row: binary, for the second class)
    intercept: tuple[float, ...]

    def proba(self, vector: np.ndarray) -> np.ndarray:
        x = (np.asarray(vector, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        z = np.asarray(self.coef) @ x + np.asarray(self.intercept)
        if len(self.coef) == 1:  # binary
            p = 1.0 / (1.0 + np.exp(-z[0]))
            return np.array([1.0 - p, p])
        e = np.exp(z - z.max())
        return e / e.sum()

    def log_proba(self, vector: np.ndarray, order: list[str]) -> np.ndarray:
        """Log probabilities in ``order`` (a class the head never saw gets the floor)."""
        return head_log(self.proba(vector), self.classes, order)

    @classmethod
    def from_json(cls, d: dict | None) -> "Head | None":
        if not d:
            return None
        return cls(tuple(d["classes"]), tuple(d["mean"]), tuple(d["scale"]),
                   tuple(tuple(r) for r in d["coef"]), tuple(d["intercept"]))


def fit_head(x: np.ndarray, labels: list[str], folds: int = 5) -> tuple[Head, np.ndarray]:
    """The head fitted on all items, and out-of-fold probabilities per item (columns: ``classes``)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    classes = sorted(set(labels))
    y = np.array([classes.index(label) for label in labels])
    mean, scale = x.mean(0), x.std(0) + 1e-6
    xs = (x - mean) / scale
    make = lambda: LogisticRegression(C=HEAD_C, max_iter=3000)  # noqa: E731
    oof = np.full((len(x), len(classes)), 1.0 / len(classes))
    n_folds = min(folds, int(np.bincount(y).min()))
    if n_folds >= 2:
        for tr, te in StratifiedKFold(n_folds, shuffle=True, random_state=0).split(xs, y):
            if len(set(y[tr])) == len(classes):
                oof[te] = make().fit(xs[tr], y[tr]).predict_proba(xs[te])
    model = make().fit(xs, y)
    head = Head(tuple(classes), tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                tuple(tuple(float(c) for c in row) for row in model.coef_),
                tuple(float(v) for v in model.intercept_))
    return head, oof


def head_log(probs: np.ndarray, classes: tuple[str, ...] | list[str], order: list[str]) -> np.ndarray:
    """Probabilities (in ``classes`` order) as log probabilities in ``order``."""
    p = dict(zip(classes, probs))
    return np.log(np.array([p.get(k, 0.0) for k in order]) + HEAD_FLOOR)


@dataclass(frozen=True)
class SituationVectors:
    """The training situations with their (question-side) vectors and block labels."""

    items: tuple[Situation, ...]
    vectors: np.ndarray  # n × dim, normalised
    labels: np.ndarray  # n × blocks: 1 for the first block, 0.5 for a second; zero rows out of scope
    in_scope: np.ndarray  # n, bool
    passages: np.ndarray  # n: the chunk (row) each in-scope situation points to, -1 for none

    @cached_property
    def cases(self) -> np.ndarray:
        """Each item's case key ("" for none)."""
        return np.array([s.case or "" for s in self.items])

    @property
    def first(self) -> np.ndarray:
        """Index of each item's first block (-1 when it has none)."""
        return np.where(self.labels.sum(1) > 0, self.labels.argmax(1), -1)


def situation_vectors(retriever, keys: list[str], items: list[Situation] | None = None,
                      cache=None, knowledge=None) -> SituationVectors:
    """The situation layer resolved against the retriever's chunks and embedded as questions
    (with ``knowledge``: also the questions naming the framework's parts, ``framework_situations``)."""
    items = list(items if items is not None else load_situations())
    if knowledge is not None:
        items += framework_situations(knowledge)
    items = resolve(items, retriever.chunks)
    items = [s for s in items if not s.in_scope or (s.blocks and s.blocks[0] in keys)]
    texts = [s.text for s in items]
    embedder = retriever.embedder
    vectors = (cache.encode(embedder, texts, query=True) if cache is not None
               else embedder.encode(texts, query=True)) if items else np.zeros((0, 1), dtype=np.float32)
    vectors = np.asarray(vectors, dtype=np.float32)
    labels = np.zeros((len(items), len(keys)))
    for i, s in enumerate(items):
        for j, b in enumerate(s.blocks[:2]):
            if b in keys:
                labels[i, keys.index(b)] += 1.0 if j == 0 else 0.5
    return SituationVectors(tuple(items), vectors, labels, np.array([s.in_scope for s in items], dtype=bool),
                            situation_passages(retriever, items, vectors))


def situation_passages(retriever, items: list[Situation], vectors: np.ndarray) -> np.ndarray:
    """The chunk each situation points to: a passage question its anchored chunk; a block situation
    the closest of the block's own chunks; a case situation the closest chunk of the case."""
    chunks = retriever.chunks
    row = {c.id: i for i, c in enumerate(chunks)}
    own = {}
    for i, c in enumerate(chunks):
        if c.kind == "bouwsteen" and c.blocks:
            own.setdefault(("block", c.blocks[0]), []).append(i)
        if c.case:
            own.setdefault(("case", c.case), []).append(i)
    out = np.full(len(items), -1)
    for i, s in enumerate(items):
        if not s.in_scope:
            continue
        if s.chunk_id in row:
            out[i] = row[s.chunk_id]
            continue
        pool = own.get(("case", s.case)) if s.kind == "case" else own.get(("block", s.blocks[0] if s.blocks else ""))
        if pool:
            sims = retriever.dense_similarities(vectors[i])
            out[i] = pool[int(np.argmax(sims[pool]))] if sims is not None else pool[0]
    return out


def situation_ranking(sv: SituationVectors, qvec: np.ndarray | None, k: int,
                      exclude: str | None = None) -> list[tuple[int, float]]:
    """Chunks ranked by the nearest situations pointing to them (best similarity per chunk)."""
    if qvec is None or not len(sv.items):
        return []
    sims = _sims(sv, qvec, exclude)
    best: dict[int, float] = {}
    for i in np.argsort(-sims)[:k]:
        chunk = int(sv.passages[i])
        if chunk >= 0 and sv.in_scope[i] and sims[i] > best.get(chunk, -2.0):
            best[chunk] = float(sims[i])
    return sorted(best.items(), key=lambda t: -t[1])


def _sims(sv: SituationVectors, qvec: np.ndarray, exclude: str | None) -> np.ndarray:
    sims = sv.vectors @ qvec
    if exclude is not None:  # training: an item never finds itself
        sims = sims.copy()
        sims[[i for i, s in enumerate(sv.items) if s.text == exclude]] = -1.0
    return sims


def block_features(sv: SituationVectors, rules: np.ndarray, qvec: np.ndarray | None,
                   exclude: str | None = None, head: np.ndarray | None = None) -> np.ndarray:
    """Per block (rows, in key order): log rule score, best situation match (z), nearest-situation
    vote, and the head's log probability (``head``, in key order; uniform without one)."""
    n_blocks = len(rules)
    log_rules = np.log(np.asarray(rules) + 1e-6)
    head = np.full(n_blocks, np.log(1.0 / n_blocks)) if head is None else np.asarray(head)
    if qvec is None or not len(sv.items):
        return np.stack([log_rules, np.zeros(n_blocks), np.full(n_blocks, 1.0 / n_blocks), head], 1)
    sims = _sims(sv, qvec, exclude)
    first = sv.first
    best = np.array([sims[first == b].max() if np.any(first == b) else -1.0 for b in range(n_blocks)])
    scoped = np.where(sv.in_scope)[0]
    top = scoped[np.argsort(-sims[scoped])[:KNN_K]]
    vote = (np.exp(KNN_TEMPERATURE * sims[top])[:, None] * sv.labels[top]).sum(0)
    vote = vote / (vote.sum() or 1.0)
    return np.stack([log_rules, (best - best.mean()) / (best.std() + 1e-6), vote, head], 1)


def scope_features(sv: SituationVectors, retriever, text: str, qvec: np.ndarray | None, dense_ranking,
                   exclude: str | None = None, head: float = 0.0) -> np.ndarray:
    """What tells whether the magazine speaks to a question (see the module text)."""
    top_dense = dense_ranking[0][1] if dense_ranking else 0.0
    top3 = float(np.mean([s for _, s in dense_ranking[:3]])) if dense_ranking else 0.0
    # Word overlap with the (Dutch) magazine says little about an English question: the model
    # sees it only for Dutch questions, and whether the question is English.
    english = 1.0 if guess_lang(text) == "en" else 0.0
    coverage = retriever.vocabulary_coverage(text) * (1.0 - english)
    bm = float(np.log1p(retriever.bm25_scores(text).max(initial=0.0))) * (1.0 - english)
    if qvec is None or not len(sv.items):
        knn = [0.0] * 5
    else:
        sims = _sims(sv, qvec, exclude)
        pos, neg = sims[sv.in_scope], sims[~sv.in_scope]
        p5 = float(np.sort(pos)[-5:].mean()) if len(pos) else 0.0
        n5 = float(np.sort(neg)[-5:].mean()) if len(neg) else 0.0
        knn = [float(pos.max(initial=0.0)), float(neg.max(initial=0.0)), p5, n5, p5 - n5]
    return np.array([top_dense, top3, coverage, bm, english, *knn, head])


def case_features(sv: SituationVectors, case_keys: list[str], case_chunks: dict[str, list[int]],
                  case_blocks: dict[str, tuple[str, ...]], block_probs: dict[str, float], passages,
                  dense: np.ndarray | None, qvec: np.ndarray | None, exclude: str | None = None,
                  head: np.ndarray | None = None) -> np.ndarray:
    """Per case (rows, in ``case_keys`` order): how the retrieved passages favour it, its closest
    chunk (z), the nearest case situations (best match z, vote), how well its blocks fit the
    question's block probabilities, and the head's log probability (uniform without one)."""
    n = len(case_keys)
    ret = np.zeros(n)
    for p in passages:
        if p.chunk.case in case_keys:
            ret[case_keys.index(p.chunk.case)] += 1.0 / (p.rank + 1)
    ret = ret / (ret.sum() or 1.0)
    if dense is not None:
        best = np.array([dense[case_chunks[k]].max() for k in case_keys])
        best = (best - best.mean()) / (best.std() + 1e-6)
    else:
        best = np.zeros(n)
    knn_best, vote = np.zeros(n), np.zeros(n)
    if qvec is not None and len(sv.items):
        sims = _sims(sv, qvec, exclude)
        cases = sv.cases
        top = np.array([sims[cases == k].max() if np.any(cases == k) else -1.0 for k in case_keys])
        knn_best = (top - top.mean()) / (top.std() + 1e-6)
        labelled = np.where(np.isin(cases, case_keys))[0]
        for i in labelled[np.argsort(-sims[labelled], kind="stable")[:KNN_K]]:
            vote[case_keys.index(cases[i])] += np.exp(KNN_TEMPERATURE * sims[i])
        vote = vote / (vote.sum() or 1.0)
    fit = np.array([sum(block_probs.get(b, 0.0) for b in case_blocks[k])
                    + (block_probs.get(case_blocks[k][0], 0.0) if case_blocks[k] else 0.0) for k in case_keys])
    head = np.full(n, np.log(1.0 / n)) if head is None else np.asarray(head)
    return np.stack([ret, best, knn_best, vote, fit, head], 1)


RERANK_K = 20  # candidates the passage model re-orders (the fused ranking's best)
KINDS = (("bouwsteen", ("toelichting", "kernvragen")), ("bouwsteen", ("verdiepende_vraag", "stem_af_met")),
         ("interview", ()), ("essay", ()))


def rerank_features(chunks, candidates, dense: np.ndarray | None, bm: np.ndarray, situation: dict[int, float],
                    block_probs: dict[str, float], index_of: dict[str, int]) -> np.ndarray:
    """Per candidate passage (rows, in fused order): its fused rank and score, its dense, BM25 and
    nearest-situation similarity (each against the best candidate's), how probable its block is for
    the question (log; whether it has one), and what kind of text it is."""
    rows = [index_of[p.chunk.id] for p in candidates]
    d = np.array([dense[i] if dense is not None else 0.0 for i in rows])
    b = np.log1p(np.array([bm[i] for i in rows]))
    sit = np.array([situation.get(i, 0.0) for i in rows])
    out = []
    for r, (p, i) in enumerate(zip(candidates, rows)):
        c = chunks[i]
        probs = [block_probs[k] for k in c.blocks if k in block_probs]
        kinds = [float(c.kind == kind and (not parts or c.part in parts)) for kind, parts in KINDS]
        out.append([1.0 / (r + 1), p.score, d[r] - d.max(), b[r] - b.max(), sit[r] - sit.max(),
                    float(np.log(max(probs) + 1e-4)) if probs else 0.0, float(not probs), *kinds])
    return np.array(out)


def gold_section(coach, s: Situation) -> str | None:
    """The section a training item should find: its passage's, its case's, or its block's own page
    (not for the filled-in framework questions: hundreds of them, all about a block's page, would
    teach the passage model that a block's page is always the answer)."""
    if s.kind == "passage":
        return s.section
    if s.kind == "case" and s.case in coach.cases:
        return coach.cases[s.case].section
    if s.kind == "block" and s.blocks and coach.own_chunks.get(s.blocks[0]):
        return coach.retriever.chunks[coach.own_chunks[s.blocks[0]][0]].section
    return None


@dataclass(frozen=True)
class LearnedModels:
    block_coef: tuple[float, ...]
    block_intercept: float
    scope_coef: tuple[float, ...]
    scope_intercept: float
    report: dict = field(default_factory=dict)  # cross-validated figures, counts, seconds
    case_coef: tuple[float, ...] = ()  # empty: too few cases to learn from (the rules choose)
    case_intercept: float = 0.0
    block_head: Head | None = None
    scope_head: Head | None = None
    case_head: Head | None = None
    rerank_coef: tuple[float, ...] = ()  # empty: the fused order stands

    def rerank(self, features: np.ndarray) -> np.ndarray:
        return features @ np.asarray(self.rerank_coef)

    def block_head_log(self, qvec, keys: list[str]) -> np.ndarray | None:
        return None if self.block_head is None or qvec is None else self.block_head.log_proba(qvec, keys)

    def scope_head_logit(self, qvec) -> float:
        if self.scope_head is None or qvec is None:
            return 0.0
        out, inside = self.scope_head.log_proba(qvec, ["out", "in"])
        return float(inside - out)

    def case_head_log(self, qvec, case_keys: list[str]) -> np.ndarray | None:
        return None if self.case_head is None or qvec is None else self.case_head.log_proba(qvec, case_keys)

    def case_scores(self, features: np.ndarray) -> np.ndarray:
        return features @ np.asarray(self.case_coef) + self.case_intercept

    def block_probs(self, features: np.ndarray) -> np.ndarray:
        """A probability per block (softmax of the pairwise scores)."""
        z = features @ np.asarray(self.block_coef) + self.block_intercept
        p = np.exp(z - z.max())
        return p / p.sum()

    def scope_prob(self, features: np.ndarray) -> float:
        """The probability that the magazine speaks to the question."""
        z = float(features @ np.asarray(self.scope_coef) + self.scope_intercept)
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "LearnedModels":
        d = json.loads(text)
        return cls(tuple(d["block_coef"]), d["block_intercept"], tuple(d["scope_coef"]), d["scope_intercept"],
                   d.get("report", {}), tuple(d.get("case_coef", ())), d.get("case_intercept", 0.0),
                   Head.from_json(d.get("block_head")), Head.from_json(d.get("scope_head")),
                   Head.from_json(d.get("case_head")), tuple(d.get("rerank_coef", ())))


@dataclass(frozen=True)
class Heads:
    """The three heads and their out-of-fold log probabilities per training item."""

    block: Head | None
    scope: Head | None
    case: Head | None
    block_oof: dict  # item index -> log probabilities in block key order
    scope_oof: dict  # item index -> logit of "in scope"
    case_oof: dict  # item index -> log probabilities in case key order


NO_HEADS = Heads(None, None, None, {}, {}, {})


def fit_heads(sv: SituationVectors, keys: list[str], case_keys: list[str]) -> Heads:
    """The heads on the training items' vectors (block: in-scope items by first block; scope: all
    items; case: the items labelled with a case)."""
    first = sv.first
    block = scope = case = None
    block_oof, scope_oof, case_oof = {}, {}, {}
    rows = np.where((first >= 0) & sv.in_scope)[0]
    if len(rows) and len(set(first[rows])) > 1:
        block, oof = fit_head(sv.vectors[rows], [keys[b] for b in first[rows]])
        block_oof = {int(i): head_log(oof[j], block.classes, keys) for j, i in enumerate(rows)}
    if sv.in_scope.any() and (~sv.in_scope).any():
        scope, oof = fit_head(sv.vectors, ["in" if x else "out" for x in sv.in_scope])
        at = {c: k for k, c in enumerate(scope.classes)}
        scope_oof = {i: float(np.log(oof[i, at["in"]] + HEAD_FLOOR) - np.log(oof[i, at["out"]] + HEAD_FLOOR))
                     for i in range(len(sv.items))}
    crow = [i for i, s in enumerate(sv.items) if s.in_scope and s.case in case_keys]
    if len(set(sv.items[i].case for i in crow)) > 1:
        case, oof = fit_head(sv.vectors[crow], [sv.items[i].case for i in crow])
        case_oof = {i: head_log(oof[j], case.classes, case_keys) for j, i in enumerate(crow)}
    return Heads(block, scope, case, block_oof, scope_oof, case_oof)


def training_features(coach, sv: SituationVectors, heads: Heads | None = None):
    """Features of every training situation, each without itself among the neighbours (and with
    its heads' out-of-fold probabilities)."""
    keys = coach.block_keys
    case_keys = list(coach.case_chunks)
    r = coach.retriever
    heads = heads or NO_HEADS
    xb, yb, group, xs, ys = [], [], [], [], []
    xc, yc, cgroup = [], [], []
    rerank = []  # (item, candidates, dense, bm25, situation similarities, gold section)
    dense_rankings = r.dense_rankings(sv.vectors) if r.has_dense and r.mode != "bm25" and len(sv.items) else None
    for i, s in enumerate(sv.items):
        qvec = sv.vectors[i] if r.has_dense else None
        # The retriever's rankings without the situation layer's vote: the other questions on an
        # item's own passage would vote for it. (Training runs before the coach has the layer, so
        # this is what it always did; saying it here keeps a retrain on a finished coach the same.)
        rankings = r.rank(s.text, qvec, dense=dense_rankings[i] if dense_rankings is not None else None)
        xs.append(scope_features(sv, r, s.text, qvec, rankings.dense, exclude=s.text,
                                 head=heads.scope_oof.get(i, 0.0)))
        ys.append(int(s.in_scope))
        if not s.in_scope:
            continue
        first = r.fuse(rankings, k=coach.weights.first_k)
        rules = coach.rule_scores(s.text, first, qvec)
        feats = block_features(sv, rules, qvec, exclude=s.text, head=heads.block_oof.get(i))
        gold = keys.index(s.blocks[0])
        for b in range(len(keys)):
            xb.append(feats[b])
            yb.append(int(b == gold))
            group.append(i)
        section = gold_section(coach, s)
        if section is not None:
            candidates = r.fuse(rankings, k=RERANK_K)
            if any(p.chunk.section == section for p in candidates):
                situation = dict(situation_ranking(sv, qvec, coach.weights.situation_k, exclude=s.text))
                rerank.append((i, candidates, r.dense_similarities(qvec), r.bm25_scores(s.text), situation, section))
        if s.case in case_keys and len(case_keys) > 1:
            probs = dict(zip(keys, rules))  # the rule scores: the block model is still being fitted
            cf = case_features(sv, case_keys, coach.case_chunks, coach.case_blocks, probs, first,
                               r.dense_similarities(qvec), qvec, exclude=s.text, head=heads.case_oof.get(i))
            for c in range(len(case_keys)):
                xc.append(cf[c])
                yc.append(int(case_keys[c] == s.case))
                cgroup.append(i)
    return (np.array(xb), np.array(yb), np.array(group), np.array(xs), np.array(ys),
            np.array(xc), np.array(yc), np.array(cgroup), rerank)


def _head_accuracy(oof: dict, sv: SituationVectors, order: list[str], gold) -> float | None:
    hits = [order[int(np.argmax(v))] == gold(sv.items[i]) for i, v in oof.items()]
    return round(float(np.mean(hits)), 3) if hits else None


def train(coach, sv: SituationVectors) -> LearnedModels:
    """Fit the heads and the three models on the training situations; cross-validate (5 folds)
    for the report."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict
    started = time.perf_counter()
    n_blocks = len(coach.block_keys)
    case_keys = list(coach.case_chunks)
    heads = fit_heads(sv, coach.block_keys, case_keys) if coach.retriever.has_dense and coach.weights.learned_heads \
        else NO_HEADS
    xb, yb, group, xs, ys, xc, yc, cgroup, rerank = training_features(coach, sv, heads)
    block = LogisticRegression(C=1.0, max_iter=2000).fit(xb, yb)
    hits, oof_blocks = [], {}
    for tr, te in GroupKFold(5).split(xb, yb, group):
        fold = LogisticRegression(C=1.0, max_iter=2000).fit(xb[tr], yb[tr])
        scores = fold.decision_function(xb[te]).reshape(-1, n_blocks)
        gold = yb[te].reshape(-1, n_blocks).argmax(1)
        hits += list(scores.argmax(1) == gold)
        for item, z in zip(group[te].reshape(-1, n_blocks)[:, 0], scores):
            e = np.exp(z - z.max())
            oof_blocks[int(item)] = dict(zip(coach.block_keys, e / e.sum()))
    rerank_coef, rerank_cv = train_rerank(coach, rerank, oof_blocks)
    scope = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    cv = cross_val_predict(scope, xs, ys, cv=StratifiedKFold(5, shuffle=True, random_state=0),
                           method="predict_proba")[:, 1]
    scope.fit(xs, ys)
    case_coef, case_intercept, case_hits = (), 0.0, []
    n_cases = len(case_keys)
    if len(set(cgroup)) >= 20 and n_cases > 1:
        case = LogisticRegression(C=1.0, max_iter=2000).fit(xc, yc)
        case_coef, case_intercept = tuple(float(c) for c in case.coef_[0]), float(case.intercept_[0])
        for tr, te in GroupKFold(5).split(xc, yc, cgroup):
            fold = LogisticRegression(C=1.0, max_iter=2000).fit(xc[tr], yc[tr])
            scores = fold.decision_function(xc[te]).reshape(-1, n_cases)
            case_hits += list(scores.argmax(1) == yc[te].reshape(-1, n_cases).argmax(1))
    report = {"features_version": FEATURES_VERSION, "block_examples": int(len(set(group))),
              "case_examples": int(len(set(cgroup))),
              "cv_case": round(float(np.mean(case_hits)), 3) if case_hits else None,
              "scope_examples": int(len(ys)), "scope_negatives": int((ys == 0).sum()),
              "cv_block_at_1": round(float(np.mean(hits)), 3), "cv_rerank": rerank_cv,
              "cv_heads": {"block_at_1": _head_accuracy(heads.block_oof, sv, coach.block_keys,
                                                        lambda s: s.blocks[0]),
                           "case": _head_accuracy(heads.case_oof, sv, case_keys, lambda s: s.case)},
              "cv_scope": {f"{th:.2f}": {"oos_recall": round(float(np.mean(cv[ys == 0] < th)), 3),
                                         "false_refusals": round(float(np.mean(cv[ys == 1] < th)), 3)}
                           for th in (0.2, 0.3, 0.4, 0.5)},
              "seconds": round(time.perf_counter() - started, 1)}
    return LearnedModels(tuple(float(c) for c in block.coef_[0]), float(block.intercept_[0]),
                         tuple(float(c) for c in scope.coef_[0]), float(scope.intercept_[0]), report,
                         case_coef, case_intercept, heads.block, heads.scope, heads.case, rerank_coef)


def train_rerank(coach, rerank: list, block_probs: dict[int, dict]) -> tuple[tuple[float, ...], dict]:
    """The passage model: a logistic regression over candidates ("is this passage from the section
    the item should find?"), with the block model's out-of-fold probabilities; cross-validated hit@3
    and MRR against the fused order."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    r = coach.retriever
    x, y, group = [], [], []
    for item, candidates, dense, bm, situation, section in rerank:
        feats = rerank_features(r.chunks, candidates, dense, bm, situation, block_probs.get(item, {}),
                                coach.index_of)
        for p, f in zip(candidates, feats):
            x.append(f)
            y.append(int(p.chunk.section == section))
            group.append(item)
    if len(set(group)) < 20:
        return (), {}
    x, y, group = np.array(x), np.array(y), np.array(group)

    def first_right(scores: np.ndarray, rows: np.ndarray) -> list[int]:
        """Per item among ``rows``: the rank of its first right passage when ordered by ``scores``."""
        out = []
        for item in np.unique(group[rows]):
            mine = np.where(group[rows] == item)[0]
            order = mine[np.argsort(-scores[mine], kind="stable")]
            out.append(int(np.argmax(y[rows][order])))
        return out
    learned_ranks, fused_ranks = [], []
    for tr, te in GroupKFold(5).split(x, y, group):
        model = LogisticRegression(C=1.0, max_iter=3000).fit(x[tr], y[tr])
        learned_ranks += first_right(model.decision_function(x[te]), te)
        fused_ranks += first_right(x[te, 0], te)  # 1 / (fused rank + 1): the fused order
    cv = {name: {"hit@3": round(float(np.mean(np.array(rk) < 3)), 3),
                 "MRR": round(float(np.mean(1.0 / (np.array(rk) + 1))), 3)}
          for name, rk in (("learned", learned_ranks), ("fused", fused_ranks))}
    model = LogisticRegression(C=1.0, max_iter=3000).fit(x, y)
    return tuple(float(c) for c in model.coef_[0]), cv


def model_key(coach, sv: SituationVectors) -> str:
    """What the trained models depend on: the index's chunks and vectors, the training texts, the
    features and the rule weights."""
    h = hashlib.sha256()
    h.update(FEATURES_VERSION.encode())
    h.update(coach.retriever.embedder.model_id.encode() if coach.retriever.embedder is not None else b"-")
    h.update("".join(c.id for c in coach.retriever.chunks).encode())
    h.update(json.dumps([(s.text, s.blocks, s.in_scope) for s in sv.items], ensure_ascii=False).encode())
    h.update(repr(coach.weights).encode())
    return h.hexdigest()[:20]


def load_or_train(coach, sv: SituationVectors, folder: Path | None) -> LearnedModels:
    """The models for this index and training set: from ``folder`` when trained before, else trained
    now (and kept there, written atomically)."""
    from ..util.atomic import atomic_write_text
    path = Path(folder) / f"learned-{model_key(coach, sv)}.json" if folder is not None else None
    if path is not None and path.exists():
        try:
            return LearnedModels.from_json(path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError):
            log.warning("Getraind model %s is onleesbaar; ik train opnieuw.", path.name)
    models = train(coach, sv)
    log.info("Blok- en scopemodel getraind in %.1f s (cv block@1 %.2f).", models.report["seconds"],
             models.report["cv_block_at_1"])
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, models.to_json())
    return models
