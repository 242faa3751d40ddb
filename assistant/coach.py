"""The coach: question (+ history, + chosen block) → a grounded ``Answer``, without any LLM.

Everything the answer says comes from the magazine: the core sentences are verbatim sentences of
retrieved chunks, each cited; the block, its deepening questions and "stem af met" links come
from the knowledge model; the practice case is quoted verbatim and cited.
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

import numpy as np

from .cases import Case
from .index import Knowledge
from .mozaiek import BLOCK_KEYS, BLOCK_NAMES
from .retrieval import ELLIPSIS_PREFIXES, Passage, Retriever, expand_query
from .texts import EXAMPLES, render
from .text import content_tokens, fold, guess_lang, sentences, words

MAX_QUESTION_CHARS = 2000
MAX_HISTORY = 20

# Instructions hidden in a message: these clauses are dropped, the rest is answered.
INJECTION_RE = re.compile(
    r"(negeer|vergeet|ignore|disregard|forget)\b.{0,40}\b(instructie|instructies|regels|instructions|rules|prompt|bent|are)"
    r"|\bje bent (nu|vanaf nu)\b|\byou are now\b|systeemmelding|system ?prompt|hidden instructions"
    r"|nieuwe instructie|new instruction|\bprint (all|everything|the) (text|above)|geen regels meer"
    r"|\bjailbreak\b|(?-i:\bDAN\b)|verzin zelf|antwoord voortaan|answer only in|alleen nog als",
    re.I)
# Topics the magazine does not cover, whatever words a question shares with it.
OFF_TOPIC_RE = re.compile(
    r"\b(weer|weerbericht|weather|regen|recept|recepten|recipe|koken|cooking|soep|lasagne|taart"
    r"|salaris|salary|cao|loon|verdien\w*|hoeveel kost|wat kost|how much (money|does|do|is)|prijs van"
    r"|hoofdstad|capital of|telefoonnummer|phone number|e-?mailadres|postcode"
    r"|omgevingsvergunning|dakkapel|bouwvergunning|sollicitatiebrief|cover letter|gedicht|poem"
    r"|wachtwoord|password|kraken|hack\w*"
    # exact figures and current office-holders: facts the magazine does not give
    r"|hoeveel\b[^?]{0,60}\bprecies|precies hoeveel|exact(e)? aantal|how many\b[^?]{0,60}\bexactly"
    r"|wie is (nu |op dit moment )?de (burgemeester|wethouder|minister|directeur|voorzitter) van"
    r"|who is the (mayor|alderman|minister|director|chair) of)\b", re.I)
CHOICE_RE = re.compile(
    r"\b(worstel\w*|moeite|vastlopen|vast op|focus\w*|werken aan|struggl\w*|bouwsteen|building block)\b"
    r"[^.?!]{0,25}?\b(?P<name>opgave|waarde|samen[- ]doen|verankering|deelname|binding|organisatie)\b", re.I)
GREETINGS = {"hallo", "hoi", "hi", "hey", "hello", "help", "dag", "goedemorgen", "goedemiddag",
             "snap", "begrijp", "weet", "vraag", "iets", "test"}
CLAUSE_SPLIT_RE = re.compile(r"(?<=[.?!])\s+|,\s*(?=(?:maar|but|en vertel|and tell|also)\b)|\s+(?=also\b)", re.I)


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_id: str
    section: str
    case: str | None
    speaker: str | None
    quote: str

    def to_dict(self) -> dict:
        return {"n": self.n, "chunk_id": self.chunk_id, "section": self.section, "case": self.case,
                "speaker": self.speaker, "quote": self.quote}


@dataclass
class Answer:
    question: str
    lang: str
    in_scope: bool
    kind: str  # answer | out_of_scope | vague | injection
    markdown: str
    blocks: list[tuple[str, float]] = field(default_factory=list)
    chosen_block: str | None = None
    deepening: list[tuple[str, str]] = field(default_factory=list)
    stem: list[tuple[str, str, str]] = field(default_factory=list)
    case: dict | None = None
    citations: list[Citation] = field(default_factory=list)
    sources: list[Passage] = field(default_factory=list)
    timings_ms: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    mode: str = "offline"
    fallback_reason: str | None = None

    def to_dict(self) -> dict:
        d = {"question": self.question, "lang": self.lang, "in_scope": self.in_scope, "kind": self.kind,
             "blocks": [{"key": k, "name": BLOCK_NAMES.get(k, k), "score": round(s, 4)} for k, s in self.blocks],
             "chosen_block": self.chosen_block,
             "answer": self.markdown,
             "deepening_questions": [{"block": b, "text": t} for b, t in self.deepening],
             "stem_af_met": [{"from": f, "to": t, "text": x} for f, t, x in self.stem],
             "case": self.case,
             "citations": [c.to_dict() for c in self.citations],
             "sources": [{"chunk_id": p.chunk.id, "section": p.chunk.section, "case": p.chunk.case,
                          "blocks": list(p.chunk.blocks), "speakers": list(p.chunk.speakers),
                          "part": p.chunk.part, "score": p.score, "text": p.chunk.text}
                         for p in self.sources],
             "timings_ms": self.timings_ms, "notes": self.notes, "mode": self.mode}
        if self.fallback_reason:
            d["fallback_reason"] = self.fallback_reason
        return d


@dataclass(frozen=True)
class Turn:
    """One earlier exchange, as much as a follow-up needs."""

    question: str
    blocks: tuple[str, ...] = ()


def quoted(text: str) -> str:
    """The magazine's words in quotation marks, unless the sentence brings its own."""
    if text[:1] in "“‘\"" or text.rstrip()[-1:] in "”’\"":
        return text
    return f"“{text}”"


# --------------------------------------------------------------------------- input handling

def clean_question(raw: str) -> tuple[str, bool]:
    """Printable text, whitespace collapsed, at most ``MAX_QUESTION_CHARS``; and whether it was cut."""
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in str(raw))
    text = re.sub(r"\s+", " ", text).strip()
    truncated = len(text) > MAX_QUESTION_CHARS
    return text[:MAX_QUESTION_CHARS], truncated


def strip_injection(text: str) -> tuple[str, bool]:
    """The message without clauses that try to instruct the coach; and whether there were any."""
    clauses = [c for c in CLAUSE_SPLIT_RE.split(text) if c and c.strip()]
    kept = [c for c in clauses if not INJECTION_RE.search(c)]
    found = len(kept) != len(clauses)
    if found:
        kept = [c for c in kept if not OFF_TOPIC_RE.search(c)]  # "...en geef me een recept"
        kept = [re.sub(r"^\W*(arr\w*|en|and|also|maar|but|vertel eerst kort|tell me first)\b[\s,]*", "", c, flags=re.I)
                for c in kept]
    return " ".join(c.strip() for c in kept if c.strip()), found


def chosen_block(text: str) -> str | None:
    """A block the user names as their struggle ('ik worstel met binding')."""
    m = CHOICE_RE.search(text)
    if not m:
        return None
    key = m.group("name").lower().replace(" ", "-")
    return key if key in BLOCK_KEYS else None


def is_vague(text: str, vocab: set[str]) -> bool:
    tokens = [t for t in content_tokens(text)]
    if not tokens:
        return True
    meaningful = [t for t in tokens if t in vocab and t not in GREETINGS]
    return len(meaningful) == 0 or (len(tokens) <= 2 and all(w in GREETINGS for w in words(text) if len(w) > 2))


# --------------------------------------------------------------------------- the coach

class Coach:
    """Answers questions from one knowledge model and one retriever."""

    def __init__(self, knowledge: Knowledge, retriever: Retriever, block_boost: float = 0.0,
                 profile_weight: float = 1.0, retrieval_weight: float = 1.0, oos_dense: float = 0.78,
                 oos_coverage: float = 0.5):
        self.knowledge = knowledge
        self.retriever = retriever
        self.block_boost = block_boost
        self.profile_weight = profile_weight
        self.retrieval_weight = retrieval_weight
        self.oos_dense = oos_dense
        self.oos_coverage = oos_coverage
        self.blocks = {b.key: b for b in knowledge.blocks}
        self.cases = {c.key: c for c in knowledge.cases}
        self.profiles = None
        if retriever.embedder is not None and retriever.mode != "bm25":
            texts = [" ".join([b.name, b.tagline, b.summary, *b.key_questions, *b.deepening_questions])
                     for b in knowledge.blocks]
            self.profiles = retriever.embedder.encode(texts, query=False)
        self.block_keys = [b.key for b in knowledge.blocks]
        self.affinity = self._chunk_affinity()
        self._own_chunks = {k: [i for i, c in enumerate(retriever.chunks)
                                if c.kind == "bouwsteen" and c.blocks and c.blocks[0] == k]
                            for k in self.block_keys}
        self._case_chunks = {k: [i for i, c in enumerate(retriever.chunks) if c.case == k]
                             for k in self.cases}
        self._case_chunks = {k: v for k, v in self._case_chunks.items() if v}
        self._deep_chunks = {}
        for c in retriever.chunks:
            if c.part == "verdiepende_vraag":
                self._deep_chunks[(c.blocks[0], c.text)] = c.id

    def _chunk_affinity(self) -> dict[str, np.ndarray]:
        """How much each chunk is about each block (rows sum to 1).

        A block's own text belongs to that block; a "stem af met" item also to its target. Other
        chunks mix their case's blocks with their similarity to each block's own words.
        """
        keys = self.block_keys
        out: dict[str, np.ndarray] = {}
        sims = None
        if self.profiles is not None and self.retriever.vectors is not None:
            sims = self.retriever.vectors @ self.profiles.T
        for i, c in enumerate(self.retriever.chunks):
            a = np.zeros(len(keys))
            if c.kind == "bouwsteen" and c.blocks and c.blocks[0] in keys:
                a[keys.index(c.blocks[0])] = 1.0
                if c.part == "stem_af_met" and len(c.blocks) > 1 and c.blocks[1] in keys:
                    a = 0.6 * a
                    a[keys.index(c.blocks[1])] += 0.4
                out[c.id] = a
                continue
            for j, b in enumerate(c.blocks):
                if b in keys:
                    a[keys.index(b)] += 1.0 if j == 0 else 0.5
            a = a / a.sum() if a.sum() else a
            if sims is not None:
                z = (sims[i] - sims[i].mean()) / (sims[i].std() + 1e-6)
                p = np.exp(2.0 * z)
                p /= p.sum()
                a = 0.5 * a + 0.5 * p if a.sum() else p
            out[c.id] = a
        return out

    # ------------------------------------------------------------------ blocks
    def rank_blocks(self, question: str, passages: list[Passage], qvec: np.ndarray | None,
                    prior: dict[str, float] | None = None) -> list[tuple[str, float]]:
        """All seven blocks with a score in [0, 1] (softmax), best first.

        Evidence, weighted as tuned on the dev split (evals/report.md): what the retrieved passages
        are about, the block named in the question, and how close the question comes to the
        block's own text (best dense match and best BM25 match among the block's chunks).
        """
        keys = self.block_keys
        ret = np.zeros(len(keys))
        for p in passages[:8]:
            ret += self.affinity.get(p.chunk.id, np.zeros(len(keys))) / (p.rank + 1)
        logits = self.retrieval_weight * 4.0 * ret / (ret.sum() or 1.0)
        folded = fold(question)
        for j, k in enumerate(keys):
            if re.search(rf"\b{fold(BLOCK_NAMES[k])}", folded):
                logits[j] += 1.0
            if prior and k in prior:
                logits[j] += prior[k]
        own = self._own_chunks
        if qvec is not None and self.retriever.vectors is not None:
            sims = self.retriever.vectors @ qvec
            best = np.array([sims[own[k]].max() if own[k] else 0.0 for k in keys])
            logits += self.profile_weight * 0.5 * (best - best.mean()) / (best.std() + 1e-6)
        bm = self.retriever.bm25.scores(content_tokens(expand_query(question)))
        best_bm = np.array([bm[own[k]].max() if own[k] else 0.0 for k in keys])
        logits += best_bm / (best_bm.max() or 1.0)
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        order = np.argsort(-probs)
        return [(keys[i], float(probs[i])) for i in order]

    def rank_questions(self, block: str, questions: list[str], qvec: np.ndarray | None,
                       query: str) -> list[tuple[str, float]]:
        """Questions of ``block`` ranked by how well they fit the question (word overlap and,
        for deepening questions, dense similarity of their own chunk)."""
        scores = np.zeros(len(questions))
        qtok = set(content_tokens(expand_query(query)))
        for i, q in enumerate(questions):
            toks = set(content_tokens(q))
            scores[i] += len(qtok & toks) / math.sqrt(len(toks) + 1)
        ids = [self._deep_chunks.get((block, q)) for q in questions]
        if qvec is not None and self.retriever.vectors is not None and any(ids):
            known = [i for i, cid in enumerate(ids) if cid]
            sims = self.retriever.similarities(qvec, [ids[i] for i in known])
            for i, sim in zip(known, sims - sims.mean()):
                scores[i] += 4.0 * sim
        order = np.argsort(-scores, kind="stable")
        return [(questions[i], float(scores[i])) for i in order]

    def pick_deepening(self, block: str, qvec: np.ndarray | None, query: str, n: int = 3) -> list[str]:
        """The block's deepening questions that fit the question best (2–3, ranked)."""
        questions = list(self.blocks[block].deepening_questions)
        if len(questions) <= 2:
            return questions
        ranked = self.rank_questions(block, questions, qvec, query)
        keep = 3 if ranked[2][1] >= ranked[0][1] - 1.0 else 2
        return [q for q, _ in ranked[:min(n, keep)]]

    # ------------------------------------------------------------------ composition helpers
    def _kern_sentences(self, query: str, passages: list[Passage], n: int = 4) -> list[tuple[Passage, str]]:
        qtok = set(content_tokens(expand_query(query)))
        scored = []
        for p in passages[:6]:
            if p.chunk.part in ("verdiepende_vraag", "kernvragen"):
                continue  # questions are shown as questions, not as the answer
            for s_idx, s in enumerate(sentences(p.chunk.text)):
                toks = content_tokens(s)
                if len(toks) < 4 or len(s.split()) > 70 or s[-1:] not in ".?!”’:":
                    continue
                overlap = len(qtok & set(toks)) / math.sqrt(len(set(toks)) + 1)
                score = 1.5 / (p.rank + 1) + overlap + (0.1 if s_idx == 0 else 0.0)
                scored.append((score, p.rank, s_idx, p, s))
        scored.sort(key=lambda t: -t[0])
        out, per_chunk = [], {}
        for _, _, _, p, s in scored:
            if per_chunk.get(p.chunk.id, 0) >= 2:
                continue
            per_chunk[p.chunk.id] = per_chunk.get(p.chunk.id, 0) + 1
            out.append((p, s))
            if len(out) == n:
                break
        # Keep the magazine's order within a chunk so two sentences read naturally.
        return out

    def _pick_case(self, query: str, passages: list[Passage], top_block: str,
                   qvec: np.ndarray | None) -> tuple[Case, Passage] | None:
        """The practice case that fits best: retrieved passages, the case's closest chunk, and
        whether the case illustrates the block (weights tuned on the dev split)."""
        keys = list(self._case_chunks)
        if not keys:
            return None
        score = np.zeros(len(keys))
        first: dict[str, Passage] = {}
        for p in passages:
            if p.chunk.case in self._case_chunks:
                score[keys.index(p.chunk.case)] += 2.0 / (p.rank + 1)
                first.setdefault(p.chunk.case, p)
        sims = None
        if qvec is not None and self.retriever.vectors is not None:
            sims = self.retriever.vectors @ qvec
            best = np.array([sims[self._case_chunks[k]].max() for k in keys])
            score += 0.25 * (best - best.mean()) / (best.std() + 1e-6)
        for j, k in enumerate(keys):
            blocks = self.cases[k].blocks
            score[j] += (0.5 if top_block in blocks else 0.0) + (0.25 if blocks[0] == top_block else 0.0)
        key = keys[int(np.argmax(score))]
        if key in first:
            return self.cases[key], first[key]
        idx = self._case_chunks[key]
        i = idx[int(np.argmax(sims[idx]))] if sims is not None else idx[0]
        return self.cases[key], Passage(self.retriever.chunks[i], 0.0, len(passages))

    def _quote(self, query: str, passage: Passage, max_words: int = 45) -> str:
        qtok = set(content_tokens(expand_query(query)))
        best, best_score = None, -1.0
        for i, s in enumerate(sentences(passage.chunk.text)):
            n = len(s.split())
            if n < 6 or n > max_words:
                continue
            toks = set(content_tokens(s))
            score = len(qtok & toks) / math.sqrt(len(toks) + 1) + (0.3 if "“" in s or "‘" in s else 0) - 0.02 * i
            if score > best_score:
                best, best_score = s, score
        if best is None:
            best = min(sentences(passage.chunk.text), key=lambda s: abs(len(s.split()) - 25))
        return best

    # ------------------------------------------------------------------ main entry
    def ask(self, question: str, block: str | None = None, lang: str | None = None,
            history: tuple[Turn, ...] | list[Turn] = ()) -> Answer:
        started = time.perf_counter()
        text, truncated = clean_question(question)
        lang = lang if lang in ("nl", "en") else guess_lang(text)
        notes = [render("truncated", lang, limit=MAX_QUESTION_CHARS)] if truncated else []
        history = list(history)[-MAX_HISTORY:]

        core, injected = strip_injection(text)
        if injected:
            notes.append(render("injection_note", lang))
        vocab = self.retriever.bm25.vocab
        if injected and is_vague(core, vocab):
            return self._help(question, lang, "injection", notes, started)
        if OFF_TOPIC_RE.search(core):
            return self._out_of_scope(question, lang, notes, started)
        if is_vague(core, vocab):
            return self._help(question, lang, "vague", notes, started)

        choice = block if block in BLOCK_KEYS else chosen_block(core)
        if choice not in self.blocks:
            choice = None  # a block this edition of the text does not have
        query = core
        prior: dict[str, float] = {}
        if history and self._is_follow_up(core):
            query = f"{history[-1].question} {core}"
            if history[-1].blocks:
                prior[history[-1].blocks[0]] = 2.0
        t0 = time.perf_counter()
        qvec = self.retriever.embed_query(query) if self.retriever.mode != "bm25" else None
        rankings = self.retriever.rank(query, qvec)
        first = self.retriever.fuse(rankings, k=12)
        if not first or self._looks_out_of_scope(query, rankings.dense):
            return self._out_of_scope(question, lang, notes, started)
        ranked = self.rank_blocks(core, first, qvec, prior)
        top = choice or ranked[0][0]
        # A block the user chose steers retrieval; a detected one only when block_boost > 0 (the
        # eval table shows re-ranking on a detected block costs more hits than it brings).
        boost = {top: 1.0 if choice else self.block_boost}
        passages = self.retriever.fuse(rankings, k=10, boost=boost)
        retrieve_ms = (time.perf_counter() - t0) * 1000
        if choice:
            # The user's choice leads; the other blocks share the rest, still summing to 1.
            mine = max(dict(ranked).get(choice, 0.0), 0.5)
            rest = [(k, s) for k, s in ranked if k != choice]
            total = sum(s for _, s in rest) or 1.0
            ranked = [(choice, mine)] + [(k, s * (1.0 - mine) / total) for k, s in rest]
        return self._compose(question, query, lang, ranked, top, choice, passages, qvec, notes,
                             started, retrieve_ms)

    def _is_follow_up(self, text: str) -> bool:
        low = fold(text)
        return low.startswith(ELLIPSIS_PREFIXES) or (len(content_tokens(text)) <= 3 and not chosen_block(text))

    def _looks_out_of_scope(self, query: str, dense: list[tuple[int, float]]) -> bool:
        coverage = self.retriever.vocabulary_coverage(query)
        top_dense = dense[0][1] if dense else None
        if top_dense is None:
            return coverage < self.oos_coverage
        return coverage < self.oos_coverage and top_dense < self.oos_dense

    # ------------------------------------------------------------------ answers
    def _compose(self, question, query, lang, ranked, top, choice, passages, qvec, notes, started,
                 retrieve_ms) -> Answer:
        citations: list[Citation] = []

        def cite(p: Passage, quote: str) -> int:
            for c in citations:
                if c.chunk_id == p.chunk.id and c.quote == quote:
                    return c.n
            speaker = p.chunk.speakers[0] if p.chunk.speakers else None
            citations.append(Citation(len(citations) + 1, p.chunk.id, p.chunk.section, p.chunk.case,
                                      speaker, quote))
            return len(citations)

        lines: list[str] = list(notes)
        kern = self._kern_sentences(query, passages)
        lines.append(render("kern", lang))
        if kern:
            lines.append(" ".join(f"{s} [{cite(p, s)}]" for p, s in kern))
        else:
            lines.append(render("no_passages", lang))

        block = self.blocks[top]
        lines.append("")
        lines.append(render("bouwsteen", lang, name=block.name, tagline=block.tagline))
        if choice:
            lines.append(render("chosen_block", lang))
        elif len(ranked) > 1 and ranked[1][1] >= 0.6 * ranked[0][1]:
            runner = self.blocks[ranked[1][0]]
            lines.append(render("runner_up", lang, name=runner.name, tagline=runner.tagline))

        deep = self.pick_deepening(top, qvec, query)
        lines.append("")
        lines.append(render("verdiepende_vragen", lang))
        lines.extend(f"{i}. {q}" for i, q in enumerate(deep, 1))

        lines.append("")
        lines.append(render("stem_af_met", lang))
        stem = [(top, s.to, s.text) for s in block.stem_af_met]
        lines.extend(f"- **{BLOCK_NAMES.get(to, to)}** — {text}" for _, to, text in stem)

        case_info = None
        picked = self._pick_case(query, passages, top, qvec)
        if picked:
            case, passage = picked
            quote = self._quote(query, passage)
            n = cite(passage, quote)
            speakers = passage.chunk.speakers or tuple(p.name for p in case.people[:1])
            who = ", ".join(speakers) if speakers else case.network
            where = f"{case.network}, {case.place}" if case.place != "Nederland" else case.network
            lines.append("")
            lines.append(render("praktijk", lang, who=who, where=where) + f" {quoted(quote)} [{n}]")
            case_info = {"key": case.key, "section": case.section, "people": list(speakers),
                         "quote": quote, "chunk_id": passage.chunk.id, "n": n}

        lines.append("")
        lines.append(render("bronnen", lang))
        for c in citations:
            extra = ""
            if c.case and c.case in self.cases:
                extra = f" · {self.cases[c.case].network}"
            if c.speaker:
                extra += f" · {c.speaker}"
            lines.append(render("source_line", lang, n=c.n, section=c.section, extra=extra, quote=quoted(c.quote)))

        total = (time.perf_counter() - started) * 1000
        return Answer(question=question, lang=lang, in_scope=True, kind="answer",
                      markdown="\n".join(lines).strip(), blocks=ranked, chosen_block=choice,
                      deepening=[(top, q) for q in deep], stem=stem, case=case_info,
                      citations=citations, sources=passages,
                      timings_ms={"retrieve": round(retrieve_ms, 1), "total": round(total, 1)},
                      notes=notes)

    def _help_lines(self, lang: str) -> list[str]:
        lines = ["", render("examples_title", lang)]
        lines.extend(f"- {e}" for e in EXAMPLES.get(lang, EXAMPLES["nl"]))
        lines.append("")
        lines.append(render("blocks_title", lang))
        lines.extend(f"- **{b.name}** — {b.tagline}" for b in self.knowledge.blocks)
        return lines

    def _help(self, question, lang, kind, notes, started) -> Answer:
        lines = list(notes) + [render("injection" if kind == "injection" else "vague", lang)]
        lines += self._help_lines(lang)
        return Answer(question=question, lang=lang, in_scope=False, kind=kind, markdown="\n".join(lines).strip(),
                      timings_ms={"retrieve": 0.0, "total": round((time.perf_counter() - started) * 1000, 1)},
                      notes=notes)

    def _out_of_scope(self, question, lang, notes, started) -> Answer:
        lines = list(notes) + [render("out_of_scope", lang)] + self._help_lines(lang)
        return Answer(question=question, lang=lang, in_scope=False, kind="out_of_scope",
                      markdown="\n".join(lines).strip(),
                      timings_ms={"retrieve": 0.0, "total": round((time.perf_counter() - started) * 1000, 1)},
                      notes=notes)
