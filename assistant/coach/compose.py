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
import json
import logging

import numpy as np

from .answer import ShownPassage
from ..search.retriever import Passage
from .scoring import overlap, query_tokens, zscore
from ..knowledge.stretches import Stretch, make_stretches
from ..util.language import content_tokens
from ..strings import render

FEATURES = ("dense", "dense_rel", "source_rank", "shared_words", "block_prob", "own_block_text", "words",
            "anchor_vote", "answer_block")
HAND_WEIGHTS = (0.0, 1.0, 1.5, 1.0, 1.0, 0.0, 0.0, 0.0, 0.5)  # before training, and without a situation layer
PICKER_VERSION = "6"
VISIBLE_BUDGET = 270
CASE_WORDS = 75  # the practice passage: the readable part of its stretch around the best sentence, at most this long  # words shown before "meer": past this, parts move behind it (stem, then a question, then the case)
CANDIDATE_PASSAGES = 6
log = logging.getLogger(__name__)


class StretchPicker:
    """The magazine's stretches with their vectors, and the choice of which one to show."""

    def __init__(self, chunks, cases: dict, sections: dict[str, str] | None = None):
        self.chunks = chunks
        self.stretches: list[Stretch] = make_stretches(chunks, cases, sections)
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
        self.coef: tuple[float, ...] | None = None  # learned weights of FEATURES (train_picker)
        self.anchor_vectors: np.ndarray | None = None  # the anchored questions (learn_anchors)
        self.anchor_targets = np.zeros(0, dtype=int)
        self.anchor_groups = np.zeros(0, dtype=int)
        self.anchor_group_of: dict = {}
        self.report: dict = {}

    def embed(self, retriever, cache=None) -> None:
        """Document vectors for the stretches (kept in the embedding cache when there is one)."""
        if not retriever.has_dense or not self.stretches:
            return
        texts = [f"{s.section}.\n{s.text}" for s in self.stretches]
        vecs = cache.encode(retriever.embedder, texts, query=False) if cache is not None \
            else retriever.embed_texts(texts)
        self.vectors = np.asarray(vecs, dtype=np.float32)

    def features(self, candidates: list[int], query: str, qvec, chunk_rank: dict[int, int],
                 block_probs: dict[str, float], skip_group: int | None = None, top: str | None = None) -> np.ndarray:
        """Per candidate stretch (rows): its closeness to the question (dense, raw and relative to the
        other candidates), the rank of its chunk among the answer's sources, shared words, the
        probability of its block, whether it is a block's own text, its length, the closest anchored
        question pointing at it, and whether it is the text of the block the answer is about (``top``)."""
        qtok = query_tokens(query)
        raw = np.zeros(len(candidates))
        if self.vectors is not None and qvec is not None:
            raw = self.vectors[candidates] @ np.asarray(qvec, dtype=np.float32)
        rel = zscore(raw) if len(candidates) > 1 else raw * 0
        vote = self.anchor_votes(qvec, skip_group)
        out = np.zeros((len(candidates), len(FEATURES)))
        for j, si in enumerate(candidates):
            s = self.stretches[si]
            ranks = [chunk_rank[p.chunk] for p in s.pieces if p.chunk in chunk_rank]
            shared = len(qtok & self.tokens[si]) / np.sqrt(len(self.tokens[si]) + 1)
            block = block_probs.get(s.blocks[0], 0.0) if s.blocks else 0.0
            out[j] = (raw[j], rel[j], 1.0 / (1 + min(ranks)) if ranks else 0.0, shared, block,
                      float(s.kind == "bouwsteen"), s.words / 100, vote.get(si, 0.0),
                      float(s.kind == "bouwsteen" and s.blocks[:1] == (top,)))
        return out

    def learn_anchors(self, sv) -> None:
        """The situation layer's anchored questions, each pointing at the stretch that holds its anchor:
        a question like one of them votes for that stretch (``anchor_votes``)."""
        rows, targets, groups, seen = [], [], [], {}
        for i, s in enumerate(sv.items):
            if s.kind == "passage" and s.anchor and i < len(sv.vectors):
                gold = self.containing(s.section, s.anchor)
                if gold is not None:
                    rows.append(i)
                    targets.append(gold)
                    groups.append(seen.setdefault((s.section, s.anchor), len(seen)))
        self.anchor_vectors = sv.vectors[rows] if rows else None
        self.anchor_targets = np.array(targets, dtype=int)
        self.anchor_groups = np.array(groups, dtype=int)
        self.anchor_group_of = seen

    def anchor_votes(self, qvec, skip_group: int | None = None) -> dict[int, float]:
        """Per stretch: the closest anchored question pointing at it (cosine), leaving out the
        questions of anchor ``skip_group`` (training: a question never finds its own anchor)."""
        if self.anchor_vectors is None or qvec is None:
            return {}
        sims = self.anchor_vectors @ np.asarray(qvec, dtype=np.float32)
        out: dict[int, float] = {}
        for k in np.argsort(-sims)[:20]:
            if skip_group is not None and self.anchor_groups[k] == skip_group:
                continue
            t = int(self.anchor_targets[k])
            out[t] = max(out.get(t, 0.0), float(sims[k]))
        return out

    def score(self, candidates: list[int], query: str, qvec, chunk_rank: dict[int, int],
              block_probs: dict[str, float], top: str | None = None) -> np.ndarray:
        """How well each candidate stretch answers: the learned weights (``train_picker``) when the
        coach has them, else the hand-set ones."""
        x = self.features(candidates, query, qvec, chunk_rank, block_probs, top=top)
        return x @ np.asarray(self.coef if self.coef is not None else HAND_WEIGHTS)

    def best(self, candidates: list[int], query, qvec, chunk_rank, block_probs, top: str | None = None) -> int | None:
        ranked = self.ranked(candidates, query, qvec, chunk_rank, block_probs, top)
        return ranked[0] if ranked else None

    def ranked(self, candidates: list[int], query, qvec, chunk_rank, block_probs, top: str | None = None) -> list[int]:
        """The candidates, best first."""
        if not candidates:
            return []
        scores = self.score(candidates, query, qvec, chunk_rank, block_probs, top)
        return [candidates[i] for i in np.argsort(-scores, kind="stable")]

    def containing(self, section: str, anchor: str) -> int | None:
        """The stretch of ``section`` that holds ``anchor`` (or most of its words), or None."""
        flat = " ".join(anchor.split())
        pool = [i for i, s in enumerate(self.stretches) if s.section == section]
        for i in pool:
            if flat in " ".join(self.stretches[i].text.split()):
                return i
        wanted = set(content_tokens(anchor))
        if not pool or not wanted:
            return None
        best = max(pool, key=lambda i: len(wanted & self.tokens[i]))
        return best if len(wanted & self.tokens[best]) >= 0.6 * len(wanted) else None


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


def recognition_line(question: str, lang: str, name: str, tagline: str, follow: str | None = None,
                     context=None, has_case: bool = False) -> str:
    """One line in the coach's own voice: which block this is, in the block's own words; for a
    follow-up (``followup.py``), what this answer does with the one before."""
    tag = tagline[:1].lower() + tagline[1:] if tagline else ""
    if follow in ("how", "example"):
        return render(f"rec_{follow}" if has_case else f"rec_{follow}_none", lang, name=name, tagline=tag)
    if follow == "say_to":
        return render("rec_say_to", lang, name=name, who=getattr(context, "who", "") or "")
    if follow in ("shorter", "other_block", "to_block", "back", "discuss"):
        return render("rec_other_block" if follow == "to_block" else f"rec_{follow}", lang, name=name, tagline=tag)
    variant = int(hashlib.sha1(question.encode()).hexdigest(), 16) % 3
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
                        bold, credited, stretch.speakers, tuple(s.text for s in stretch.sentences),
                        stretch.opens_inside, stretch.closes_inside)


def visible_words(answer) -> int:
    """Words the user sees before opening anything (see ``render.coach_markdown``)."""
    from ..present.markdown import visible_markdown
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


# --------------------------------------------------------------------------- learning what to show

def picker_examples(coach, sv) -> tuple[list[np.ndarray], list[int], list[int], int]:
    """Training data from the situation layer's anchored questions: for each question, the candidate
    stretches the coach would consider (the best sources' and the block's own, or the case's) as
    feature rows, and which of them holds the anchor. Rankings come from the retriever alone and
    block probabilities from the rules (the learned models have seen these questions).
    Returns (feature matrices, gold positions, anchor groups, questions whose anchor was no candidate)."""
    picker = coach.picker
    xs, golds, groups, missed = [], [], [], 0
    anchors: dict[tuple[str, str], int] = {}
    for i, s in enumerate(sv.items):
        if s.kind != "passage" or not s.anchor or sv.vectors.shape[0] <= i:
            continue
        gold = picker.containing(s.section, s.anchor)
        if gold is None:
            continue
        qvec = sv.vectors[i]
        passages = coach.retriever.fuse(coach.retriever.rank(s.text, qvec), k=coach.weights.final_k)
        rules = coach.rule_scores(s.text, passages, qvec)
        probs = dict(zip(coach.block_keys, rules))
        top = coach.block_keys[int(np.argmax(rules))]
        case = picker.stretches[gold].case
        cands = list(picker.of_case.get(case, [])) if case else \
            main_candidates(picker, passages, coach.index_of, top)
        if gold not in cands or len(cands) < 2:
            missed += 1
            continue
        rank = {coach.index_of[p.chunk.id]: r for r, p in enumerate(passages) if p.chunk.id in coach.index_of}
        group = anchors.setdefault((s.section, s.anchor), len(anchors))
        own = picker.anchor_group_of.get((s.section, s.anchor))
        xs.append(picker.features(cands, s.text, qvec, rank, probs, skip_group=own, top=top))
        golds.append(cands.index(gold))
        groups.append(group)
    return xs, golds, groups, missed


def train_picker(coach, sv, folds: int = 5) -> dict:
    """Learn the weights of ``FEATURES`` (a logistic regression: is this the stretch that holds the
    anchor?) and report, out of fold by anchor, how often the top-scored candidate is the right one,
    beside the hand-set weights on the same questions."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    xs, golds, groups, missed = picker_examples(coach, sv)
    if len(set(groups)) < folds:
        return {"questions": len(xs), "missed": missed}
    rows = np.vstack(xs)
    labels = np.concatenate([np.eye(len(x))[g] for x, g in zip(xs, golds)])
    owner = np.concatenate([[k] * len(x) for k, x in enumerate(xs)])
    grp = np.array(groups)
    hits, hand = [], []
    for train_q, test_q in GroupKFold(folds).split(np.zeros(len(xs)), groups=grp):
        mask = np.isin(owner, train_q)
        model = LogisticRegression(C=1.0, max_iter=2000).fit(rows[mask], labels[mask])
        for q in test_q:
            hits.append(int(np.argmax(model.decision_function(xs[q]))) == golds[q])
            hand.append(int(np.argmax(xs[q] @ np.asarray(HAND_WEIGHTS))) == golds[q])
    model = LogisticRegression(C=1.0, max_iter=2000).fit(rows, labels)
    return {"coef": [float(c) for c in model.coef_[0]], "questions": len(xs), "missed": missed,
            "cv_top1": float(np.mean(hits)), "hand_top1": float(np.mean(hand)),
            "mean_candidates": float(np.mean([len(x) for x in xs]))}


def picker_key(coach, sv) -> str:
    h = hashlib.sha256(PICKER_VERSION.encode())
    h.update("".join(c.id for c in coach.retriever.chunks).encode())
    h.update(coach.retriever.embedder.model_id.encode() if coach.retriever.embedder is not None else b"-")
    h.update(json.dumps([(s.text, s.anchor) for s in sv.items if s.kind == "passage"], ensure_ascii=False).encode())
    h.update(repr(coach.weights).encode())
    return h.hexdigest()[:20]


def load_or_train_picker(coach, sv, folder) -> None:
    """The learned picker weights for this index and situation layer: from ``folder`` when trained
    before, else trained now (and kept there, written atomically). Without enough anchored questions
    the hand-set weights stay."""
    from pathlib import Path

    from ..util.atomic import atomic_write_text
    coach.picker.learn_anchors(sv)
    path = Path(folder) / f"picker-{picker_key(coach, sv)}.json" if folder is not None else None
    report = None
    if path is not None and path.exists():
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            report = None
    if report is None:
        report = train_picker(coach, sv)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, json.dumps(report))
        if "cv_top1" in report:
            log.info("Passagekeuze geleerd op %d vragen: top-1 %.2f (handgewichten %.2f).",
                     report["questions"], report["cv_top1"], report["hand_top1"])
    coach.picker.report = report
    if report.get("coef") and len(report["coef"]) == len(FEATURES):
        coach.picker.coef = tuple(report["coef"])
