"""The coach: question (+ conversation, + chosen block) → a grounded ``Answer``, without any LLM.

Everything the answer says comes from the magazine: the core sentences are verbatim sentences of
retrieved chunks, each cited; the block, its deepening questions and "stem af met" links come
from the knowledge model; the practice case is quoted verbatim and cited. This module reads the
question and composes the answer; ``scoring.py`` makes the choices; ``render.py`` lays it out.
"""
from __future__ import annotations

import dataclasses
import re
import time

import numpy as np

from . import followup
from . import scoring
from .answer import Answer, BlockRef, CaseRef, CitationList, Claim, StemLink
from .conversation import as_conversation
from ..knowledge.model import Knowledge
from ..knowledge.mozaiek import BLOCK_KEYS, BLOCK_NAMES
from ..search.retriever import ELLIPSIS_PREFIXES, Passage, Retriever
from .scoring import DEFAULT_WEIGHTS, Weights
from ..util.language import content_tokens, fold, guess_lang, words
from ..strings import render

MAX_QUESTION_CHARS = 2000

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
# Markup in a message (HTML tags, Markdown images and link targets) is shown as text but is not
# what the question is about: it is left out when the coach reads the question.
MARKUP_RE = re.compile(r"<[^<>]{0,300}>|!\[[^\]]{0,200}\]\([^)]{0,300}\)|\]\((?:https?:|javascript:)[^)]{0,300}\)|```")
CLAUSE_SPLIT_RE = re.compile(r"(?<=[.?!])\s+|,\s*(?=(?:maar|but|en vertel|and tell|also)\b)|\s+(?=also\b)", re.I)


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


def is_vague(text: str, known) -> bool:
    """Nothing to go on: no content words, only greetings, or a single word the magazine does not know
    (``known``: token → bool). Two or more content words are a situation, however short or English
    ("Ruzie in de stuurgroep."): whether the magazine speaks to it is the scope model's call."""
    tokens = content_tokens(text)
    meaningful = [t for t in tokens if t not in GREETINGS]
    if not meaningful or (len(tokens) <= 2 and all(w in GREETINGS for w in words(text) if len(w) > 2)):
        return True
    if any(known(t) for t in meaningful):
        return False
    return len(set(meaningful)) < 2


def md_escape_title(chunk) -> str:
    """An own document's title, escaped for Markdown."""
    from ..util.markdown import md_escape
    return md_escape(getattr(chunk, "title", "") or chunk.section)


# --------------------------------------------------------------------------- the coach

class Coach:
    """Answers questions from one knowledge model and one retriever.

    ``weights`` (or single weights as keyword arguments, e.g. ``block_boost=0.6``) name every number
    the choices depend on; see ``scoring.Weights``.
    """

    def __init__(self, knowledge: Knowledge, retriever: Retriever, weights: Weights = DEFAULT_WEIGHTS,
                 **overrides):
        self.knowledge = knowledge
        self.retriever = retriever
        self.weights = dataclasses.replace(weights, **overrides) if overrides else weights
        self.blocks = {b.key: b for b in knowledge.blocks}
        self.cases = {c.key: c for c in knowledge.cases}
        self.networks = {c.key: c.network for c in knowledge.cases}
        self.block_keys = [b.key for b in knowledge.blocks]
        chunks = retriever.chunks
        self.index_of = {c.id: i for i, c in enumerate(chunks)}
        profiles = retriever.embed_texts([" ".join([b.name, b.tagline, b.summary, *b.key_questions,
                                                    *b.deepening_questions]) for b in knowledge.blocks])
        profile_sims = None
        if profiles is not None:
            profile_sims = np.stack([retriever.dense_similarities(v) for v in profiles], axis=1)
        self.affinity = scoring.chunk_affinity(chunks, self.block_keys, profile_sims, self.weights)
        self.own_chunks = {k: [i for i, c in enumerate(chunks) if c.kind == "bouwsteen" and c.blocks
                               and c.blocks[0] == k] for k in self.block_keys}
        case_chunks = {k: [i for i, c in enumerate(chunks) if c.case == k] for k in self.cases}
        self.case_chunks = {k: v for k, v in case_chunks.items() if v}
        self.case_blocks = {k: tuple(self.cases[k].blocks) for k in self.case_chunks}
        self.deep_chunks = {(c.blocks[0], c.text): i for i, c in enumerate(chunks) if c.part == "verdiepende_vraag"}
        self.situations = None  # learned.SituationVectors, with ``models`` (see ``learn``)
        self.models = None
        self.docs = None  # docs.DocLibrary: the own documents, searched beside the magazine
        from .compose import StretchPicker
        self.picker = StretchPicker(chunks, self.cases, {s.title: s.text for s in knowledge.magazine.sections})  # the stretches to show (vectors: ``build_coach``)

    def learn(self, situations, models) -> None:
        """Use the learned block and scope models (``learned.py``) with their training situations."""
        self.situations, self.models = situations, models

    # ------------------------------------------------------------------ parts other flows reuse
    def block_ref(self, key: str) -> BlockRef:
        b = self.blocks[key]
        return BlockRef(b.key, b.name, b.tagline)

    def rank_questions(self, block: str, questions: list[str], dense: np.ndarray | None,
                       query: str) -> list[tuple[str, float]]:
        """Questions of ``block`` ranked for the question (``dense``: similarities over all chunks)."""
        return scoring.rank_questions(questions, query, self._question_sims(block, questions, dense), self.weights)

    def rankings(self, query: str, qvec, exclude: str | None = None, dense=None):
        """The retriever's rankings, plus the nearest situations' passages when the coach has the
        situation layer (``exclude``: a training text that must not find itself; ``dense``: the
        dense ranking when already known)."""
        rankings = self.retriever.rank(query, qvec, dense=dense)
        if self.situations is not None and self.weights.situation_ranking and qvec is not None:
            from .learned import situation_ranking
            extra = situation_ranking(self.situations, qvec, self.weights.situation_k, exclude)
            rankings = dataclasses.replace(rankings, extra=[*rankings.extra, extra])
        return rankings

    def rule_scores(self, text: str, passages: list[Passage], qvec, prior: dict[str, float] | None = None,
                    dense: np.ndarray | None = None) -> np.ndarray:
        """The rule-based block scores (``scoring.rank_blocks``), in key order (``dense``: the
        question's similarities to all chunks, when already computed)."""
        if dense is None:
            dense = self.retriever.dense_similarities(qvec)
        ranked = dict(scoring.rank_blocks(text, self.block_keys, passages, self.affinity, self.index_of,
                                          self.own_chunks, dense, self.retriever.bm25_scores(text), prior,
                                          self.weights))
        return np.array([ranked[k] for k in self.block_keys])

    def rank_blocks(self, text: str, passages: list[Passage], qvec, prior: dict[str, float] | None = None,
                    dense: np.ndarray | None = None) -> list[tuple[str, float]]:
        """All blocks with a probability, best first: the learned model when the coach has one,
        else the rules."""
        scores = self.rule_scores(text, passages, qvec, prior, dense)
        if self.models is not None and self.weights.learned_blocks:
            from .learned import block_features
            head = self.models.block_head_log(qvec, self.block_keys)
            scores = self.models.block_probs(block_features(self.situations, scores, qvec, head=head))
        order = np.argsort(-scores, kind="stable")
        return [(self.block_keys[i], float(scores[i])) for i in order]

    def scope_probability(self, query: str, qvec, dense_ranking) -> float | None:
        """How likely the magazine speaks to the question (learned), or None without a model."""
        if self.models is None or not self.weights.learned_scope:
            return None
        from .learned import scope_features
        return self.models.scope_prob(scope_features(self.situations, self.retriever, query, qvec, dense_ranking,
                                                     head=self.models.scope_head_logit(qvec)))

    def pick_case(self, query: str, passages: list[Passage], ranked, top: str, dense) -> tuple[str, int] | None:
        """The case to tell and the chunk to quote: the learned case model when the coach has one,
        else the rules (``scoring.pick_case``)."""
        picked = self.pick_case_with_probability(query, passages, ranked, top, dense)
        return picked[:2] if picked else None

    def pick_case_with_probability(self, query: str, passages: list[Passage], ranked, top: str,
                                   dense, exclude: tuple[str, ...] = ()) -> tuple[str, int, float | None] | None:
        """``pick_case`` and how sure the case model is of it (softmax over the cases; None with the
        rules); ``exclude``: cases already shown (the best of the others)."""
        models = self.models
        if models is None or not models.case_coef or not self.weights.learned_case or len(self.case_chunks) < 2:
            case_chunks = {k: v for k, v in self.case_chunks.items() if k not in exclude}
            passages = [p for p in passages if p.chunk.case not in exclude]
            picked = scoring.pick_case(passages, self.index_of, case_chunks, self.case_blocks, top, dense,
                                       self.weights)
            return (*picked, None) if picked else None
        from .learned import case_features
        keys = list(self.case_chunks)
        qvec = self.retriever.query_vector(query)
        rules = dict(zip(self.block_keys, self.rule_scores(query, passages, qvec, dense=dense)))  # as in training
        scores = models.case_scores(case_features(self.situations, keys, self.case_chunks, self.case_blocks,
                                                  rules, passages, dense, qvec, head=models.case_head_log(qvec, keys)))
        probs = np.exp(scores - scores.max())
        prob_all = probs / probs.sum()
        allowed = [i for i, k in enumerate(keys) if k not in exclude]
        if not allowed:
            return None
        best = max(allowed, key=lambda i: scores[i])
        prob = float(prob_all[best])
        key = keys[best]
        retrieved = [self.index_of[p.chunk.id] for p in passages if p.chunk.case == key]
        if retrieved:
            return key, retrieved[0], prob
        idx = self.case_chunks[key]
        return key, (idx[int(np.argmax(dense[idx]))] if dense is not None else idx[0]), prob

    def _question_sims(self, block, questions, dense) -> list[float | None] | None:
        if dense is None:
            return None
        idx = [self.deep_chunks.get((block, q)) for q in questions]
        return [float(dense[i]) if i is not None else None for i in idx]

    def pick_deepening(self, block: str, dense: np.ndarray | None, query: str) -> list[str]:
        questions = list(self.blocks[block].deepening_questions)
        return scoring.pick_deepening(questions, query, self._question_sims(block, questions, dense), self.weights)

    # ------------------------------------------------------------------ main entry
    def ask(self, question: str, block: str | None = None, lang: str | None = None, history=(),
            docs: bool | None = None) -> Answer:
        """The answer to ``question``; ``block`` is a block the user chose, ``history`` a
        ``Conversation`` (or a sequence of ``Exchange``) of earlier exchanges; ``docs``: search the
        own documents too (None: as ``COACH_DOCS`` says). A reply to the last answer ("korter",
        "en hoe pak ik dat aan?", "nog een voorbeeld", …, see ``followup.py``) is answered from
        the conversation; anything else starts fresh."""
        question = question if isinstance(question, str) else str(question or "")
        if len(question) > MAX_QUESTION_CHARS:  # only what the coach reads is kept and echoed back
            question = question[:MAX_QUESTION_CHARS + 1]  # one more: the note says it was cut
        conversation = as_conversation(history)
        last = conversation.last
        reply = strip_injection(clean_question(question)[0])[0] if last is not None and last.block else ""
        if last is not None and last.kind == "clarify" and last.block:
            picked = followup.choice(reply, (last.block, last.runner_up))
            if picked is not None and picked.block in self.blocks:  # the answer to the coach's question back
                answer = self._ask(last.question, picked.block, lang or last.lang or None, (), docs)
                return dataclasses.replace(answer, question=question, about=last.question, follow_up="choice",
                                           chosen_block=picked.block)
        if last is not None and last.kind == "answer" and last.block:
            follow = followup.detect(reply)
            if follow is not None and (follow.intent != "to_block" or follow.block in self.blocks):
                return self._follow_up(question, follow, conversation, lang, docs)
        return self._ask(question, block, lang, conversation, docs)

    def _follow_up(self, question: str, follow, conversation, lang: str | None, docs) -> Answer:
        """A follow-up (``followup.FollowUp``) answered from the conversation: the situation it is
        about, in the block it is about, shaped as the intent asks."""
        started = time.perf_counter()
        last = conversation.last
        about, block = last.about or last.question, last.block
        if lang not in ("nl", "en"):  # a reply of a few words: the conversation's language, unless it is plain
            guess = guess_lang(question)
            lang = guess if len(question.split()) >= 3 and guess != last.lang else (last.lang or guess)
        notes = []
        extra = ""
        if follow.intent == "other_block":
            block = last.runner_up or next((b for b in last.blocks if b != last.block), block)
        elif follow.intent == "to_block":
            block = follow.block
        elif follow.intent == "back":
            prev = next((e for e in reversed(conversation.exchanges[:-1])
                         if e.kind == "answer" and e.block and ((e.about or e.question), e.block) != (about, block)),
                        None)
            if prev is None:
                notes.append(render("no_earlier", lang))
            else:
                about, block = prev.about or prev.question, prev.block
        elif follow.intent == "say_to":
            extra = follow.who
        elif follow.intent == "discuss":
            extra = follow.question
            block = next((b.key for b in self.knowledge.blocks if follow.question in b.deepening_questions), block)
        elif follow.intent == "how":
            rest, _ = clean_question(question)
            extra = rest if len(content_tokens(rest)) > 3 else ""
        exclude = ()
        if follow.intent in ("example", "how"):  # practice the user has not seen yet in this thread
            exclude = tuple(dict.fromkeys(e.case for e in conversation if e.case and (e.about or e.question) == about))
            if follow.intent == "how" and len(exclude) >= len(self.case_chunks):
                exclude = ()
        answer = self._ask(about, block, lang, (), docs, follow=follow, extra=extra, exclude_cases=exclude)
        total = round((time.perf_counter() - started) * 1000, 1)
        return dataclasses.replace(answer, question=question, about=about, follow_up=follow.intent,
                                   chosen_block=None, notes=(*notes, *answer.notes),
                                   timings_ms={**answer.timings_ms, "total": total})

    def _ask(self, question: str, block: str | None, lang: str | None, history, docs: bool | None,
             follow: followup.FollowUp | None = None, extra: str = "",
             exclude_cases: tuple[str, ...] = ()) -> Answer:
        started = time.perf_counter()
        w = self.weights
        text, truncated = clean_question(question)
        lang = lang if lang in ("nl", "en") else guess_lang(text)
        notes = [render("truncated", lang, limit=MAX_QUESTION_CHARS)] if truncated else []
        last = as_conversation(history).last

        core, injected = strip_injection(text)
        core = " ".join(MARKUP_RE.sub(" ", core).split())
        if injected:
            notes.append(render("injection_note", lang))
        library = self.docs
        search = library.search() if library is not None and (library.enabled if docs is None else docs) else None
        known = self.retriever.is_known_word if search is None else \
            (lambda t: self.retriever.is_known_word(t) or search.is_known_word(t))
        learned_scope = self.models is not None and w.learned_scope
        if injected and is_vague(core, known):
            return self._help(question, lang, "injection", notes, started)
        off_topic = not learned_scope and bool(OFF_TOPIC_RE.search(core))
        if off_topic and search is None:
            return self._help(question, lang, "out_of_scope", notes, started)
        if is_vague(core, known):
            return self._help(question, lang, "vague", notes, started)

        choice = block if block in BLOCK_KEYS else chosen_block(core)
        if choice not in self.blocks:
            choice = None  # a block this edition of the text does not have
        query = f"{core} {extra}".strip()
        prior: dict[str, float] = {}
        if last is not None and self._is_follow_up(core):
            query = f"{last.question} {core}"
            if last.blocks:
                prior[last.blocks[0]] = w.follow_up_prior
        t0 = time.perf_counter()
        qvec = self.retriever.query_vector(query)
        rankings = self.rankings(query, qvec)
        first = self.retriever.fuse(rankings, k=w.first_k)
        scope = self.scope_probability(query, qvec, rankings.dense) if learned_scope else None
        out_of_scope = off_topic or not first or (scope < w.scope_threshold if scope is not None
                                                  else self._looks_out_of_scope(query, rankings.dense))
        if out_of_scope and search is None:
            return self._help(question, lang, "out_of_scope", notes, started)
        dense = self.retriever.dense_similarities(qvec)
        ranked = self.rank_blocks(core, first, qvec, prior, dense)
        top = choice or ranked[0][0]
        # A block the user chose steers retrieval; a detected one only when block_boost > 0.
        boost = {top: w.chosen_boost if choice else w.block_boost}
        if choice or not self._reranks():
            passages = magazine = self.retriever.fuse(rankings, k=w.final_k, boost=boost)
        else:
            passages = magazine = self.rerank(query, qvec, rankings, dict(ranked), dense, boost)
        if search is not None:
            # Own documents join the sources where they fit; block, questions and case stay the magazine's.
            passages = search.merge(query, qvec, rankings, self.retriever, magazine, w.final_k)
            if out_of_scope and not any(p.chunk.origin == "document" for p in passages[:3]):
                return self._help(question, lang, "out_of_scope", notes, started)
        retrieve_ms = (time.perf_counter() - t0) * 1000
        if choice:
            ranked = scoring.with_choice(ranked, choice, w)
        return self._compose(question, query, lang, ranked, top, choice, passages, dense, notes,
                             started, retrieve_ms, magazine, follow=follow, exclude_cases=exclude_cases)

    def _reranks(self) -> bool:
        return self.models is not None and bool(self.models.rerank_coef) and self.weights.learned_rerank

    def rerank(self, query: str, qvec, rankings, block_probs: dict[str, float], dense, boost=None) -> list[Passage]:
        """The fused candidates re-ordered by the learned passage model (``learned.rerank_features``)."""
        from .learned import RERANK_K, rerank_features, situation_ranking
        w = self.weights
        candidates = self.retriever.fuse(rankings, k=max(RERANK_K, w.final_k), boost=boost)
        situation = dict(situation_ranking(self.situations, qvec, w.situation_k)) if qvec is not None else {}
        feats = rerank_features(self.retriever.chunks, candidates, dense, self.retriever.bm25_scores(query),
                                situation, block_probs, self.index_of)
        order = np.argsort(-self.models.rerank(feats), kind="stable")[:w.final_k]
        return [dataclasses.replace(candidates[i], rank=r) for r, i in enumerate(order)]

    def _is_follow_up(self, text: str) -> bool:
        low = fold(text)
        return low.startswith(ELLIPSIS_PREFIXES) or (len(content_tokens(text)) <= 3 and not chosen_block(text))

    def _looks_out_of_scope(self, query: str, dense: list[tuple[int, float]]) -> bool:
        coverage = self.retriever.vocabulary_coverage(query)
        top_dense = dense[0][1] if dense else None
        if top_dense is None:
            return coverage < self.weights.oos_coverage
        return coverage < self.weights.oos_coverage and top_dense < self.weights.oos_dense

    # ------------------------------------------------------------------ answers
    def _compose(self, question, query, lang, ranked, top, choice, passages, dense, notes, started,
                 retrieve_ms, magazine=None, follow: followup.FollowUp | None = None,
                 exclude_cases: tuple[str, ...] = ()) -> Answer:
        """The answer as a coach gives it (``compose.py``): a recognition line, the passage that answers
        whole, at most one practice passage, two deepening questions and one "stem af met" link.
        ``passages``: the sources (own documents' included); ``magazine``: the magazine's alone, from
        which the case is chosen (by default ``passages``)."""
        context, follow = follow, (follow.intent if follow is not None else None)  # the FollowUp, its intent
        from . import compose
        w = self.weights
        citations = CitationList(self.networks)
        block = self.blocks[top]
        second = None if choice else scoring.runner_up(ranked, w)
        sources = list(passages)
        qvec = self.retriever.query_vector(query)
        chunk_rank = {self.index_of[p.chunk.id]: r for r, p in enumerate(passages) if p.chunk.id in self.index_of}
        probs = dict(ranked)

        def cite(stretch) -> tuple[int, ...]:
            out = []
            for piece in stretch.pieces:
                chunk = self.retriever.chunks[piece.chunk]
                passage = next((p for p in sources if p.chunk.id == chunk.id), None)
                if passage is None:  # the stretch reaches into a chunk not retrieved: it joins the sources
                    passage = Passage(chunk, 0.0, len(sources))
                    sources.append(passage)
                out.append(citations.add(passage, chunk.text[piece.start:piece.end]))
            return tuple(dict.fromkeys(out))

        shown = []
        picker = self.picker
        exact = None
        if passages and passages[0].chunk.part == "verdiepende_vraag" and passages[0].chunk.blocks[:1] == (top,):
            exact = passages[0].chunk.text
        top_doc = next((p for p in passages[:1] if p.chunk.origin == "document"), None)
        if top_doc is not None:
            shown.append(self._document_passage(top_doc, query, lang, citations))
        order = picker.ranked(compose.main_candidates(picker, passages, self.index_of, top), query, qvec,
                              chunk_rank, probs, top)
        main = order[0] if order else None
        if main is not None and top_doc is None:
            st = picker.stretches[main]
            if follow == "shorter":  # the same passage's core: the sentence that fits best and one more
                from ..knowledge.stretches import compact
                st = compact(st, self.retriever.chunks, compose.best_sentence([x.text for x in st.sentences], query),
                             max_words=60, max_sentences=2)
            sents = [x.text for x in st.sentences]
            shown.append(compose.shown_passage("magazine", st, self.retriever.chunks, cite(st),
                                               compose.magazine_intro(st, lang),
                                               compose.best_sentence(sents, query), None))
        case_ref = None
        picked = self.pick_case_with_probability(query, passages if magazine is None else magazine, ranked, top, dense,
                                                 exclude=exclude_cases)
        case_prob = picked[2] if picked else None
        wants_case = follow in ("how", "example")  # asked for practice: the best other case, however sure
        if follow in ("shorter", "say_to", "discuss"):
            picked = None
        if picked and (case_prob is None or case_prob >= w.case_show_min or wants_case):
            key = picked[0]
            case = self.cases[key]
            best = picker.best(picker.of_case.get(key, []), query, qvec, chunk_rank, probs, top)
            if best is not None:
                from ..knowledge.stretches import compact
                st = picker.stretches[best]
                st = compact(st, self.retriever.chunks, compose.best_sentence([x.text for x in st.sentences], query),
                             compose.CASE_WORDS)
                intro, credited = compose.case_intro(st, case, lang)
                cites = cite(st)
                sents = [x.text for x in st.sentences]
                shown.append(compose.shown_passage("case", st, self.retriever.chunks, cites, intro,
                                                   compose.best_sentence(sents, query), credited))
                first = st.pieces[0]
                chunk = self.retriever.chunks[first.chunk]
                speakers = st.speakers or tuple(p.name for p in case.people[:1])
                case_ref = CaseRef(case.key, case.section, case.network, case.place, tuple(speakers),
                                   chunk.text[first.start:first.end], chunk.id, cites[0])
        if (follow == "say_to" or (follow in ("how", "example") and case_ref is not None)) \
                and shown and shown[0].role == "magazine":
            # practice and questions first; the magazine's text one click away
            shown = [*shown[1:], dataclasses.replace(shown[0], role="more")]
        elif follow != "shorter" and main is not None and len(order) > 1:  # the next best passage ("meer")
            first = {p.chunk for p in picker.stretches[main].pieces}
            also = next((si for si in order[1:] if not first & {p.chunk for p in picker.stretches[si].pieces}), None)
            if also is not None:
                st = picker.stretches[also]
                shown.append(compose.shown_passage("more", st, self.retriever.chunks, cite(st),
                                                   compose.magazine_intro(st, lang), "", None))
        ranked_q = [q for q, _ in self.rank_questions(top, list(block.deepening_questions), dense, query)]
        if follow == "discuss" and context.question in ranked_q:
            exact = context.question
        elif follow == "say_to":
            exact = None
        if exact in ranked_q:  # the magazine asks exactly this: that question first
            ranked_q = [exact] + [q for q in ranked_q if q != exact]
        n_deep = {"shorter": 1, "how": 3, "say_to": 3, "example": 1}.get(follow, 2)
        deep = ranked_q[:n_deep]
        more = ranked_q[n_deep:]
        stem = self._ranked_stem(top, dense, query)
        total = (time.perf_counter() - started) * 1000
        # ask first only when the magazine's blocks are the answer (an own document answers by itself)
        close = second is not None and top_doc is None and ranked[1][1] >= w.ask_first_ratio * ranked[0][1]
        kind = "clarify" if close and w.ask_first else "answer"
        if kind == "clarify":  # a question back: nothing is shown until the user has chosen
            shown, case_ref = [], None
        answer = Answer(question=question, lang=lang, in_scope=True, kind=kind, claims=(),
                        blocks=tuple(ranked), block=self.block_ref(top), chosen_block=choice,
                        runner_up=self.block_ref(second) if second else None, uncertain=second is not None,
                        deepening=tuple((top, q) for q in deep), stem=stem, case=case_ref,
                        citations=tuple(citations.items), sources=tuple(sources), notes=tuple(notes),
                        timings_ms={"retrieve": round(retrieve_ms, 1), "total": round(total, 1)},
                        recognition=compose.recognition_line(question, lang, block.name, block.tagline,
                                                             follow=follow, context=context,
                                                             has_case=case_ref is not None),
                        shown=tuple(shown), more_deepening=tuple((top, q) for q in more), exact_question=exact,
                        case_probability=case_prob)
        if follow == "shorter":  # everything but the core and its best question behind "meer"
            answer = dataclasses.replace(answer, collapsed=("stem",))
        return compose.fit_budget(answer)

    def _ranked_stem(self, top: str, dense, query: str) -> tuple[StemLink, ...]:
        """The block's "stem af met" links, the one that fits the question best first."""
        block = self.blocks[top]
        texts = [s.text for s in block.stem_af_met]
        order = [t for t, _ in scoring.rank_questions(texts, query, self._stem_sims(top, block, dense), self.weights)]
        by_text = {s.text: s for s in block.stem_af_met}
        return tuple(StemLink(top, by_text[t].to, BLOCK_NAMES.get(by_text[t].to, by_text[t].to), t) for t in order)

    def _stem_sims(self, top, block, dense):
        if dense is None:
            return None
        index = {(c.blocks[0], c.text): i for i, c in enumerate(self.retriever.chunks)
                 if c.part == "stem_af_met" and c.blocks}
        idx = [index.get((top, s.text)) for s in block.stem_af_met]
        return [float(dense[i]) if i is not None else None for i in idx]

    def _document_passage(self, passage: Passage, query: str, lang: str, citations: CitationList):
        """An own document's best passage, shown as its chunk (at most about 140 words around the
        sentence that fits best)."""
        from . import compose
        from .answer import ShownPassage
        from ..util.language import sentences
        chunk = passage.chunk
        sents = sentences(chunk.text)
        bold = compose.best_sentence(sents, query)
        if len(chunk.text.split()) > 140 and sents:
            i = sents.index(bold) if bold in sents else 0
            a, b = i, i + 1
            while b - a < len(sents):
                grown = False
                if b < len(sents) and len(" ".join(sents[a:b + 1]).split()) <= 140:
                    b, grown = b + 1, True
                if a > 0 and len(" ".join(sents[a - 1:b]).split()) <= 140:
                    a, grown = a - 1, True
                if not grown:
                    break
            sents = sents[a:b]
        pieces, cites = [], []
        for sent in sents:
            start = chunk.text.find(sent)
            pieces.append((chunk.id, start, start + len(sent)))
            cites.append(citations.add(passage, sent))
        page = render("doc_page", lang, page=chunk.page) if getattr(chunk, "page", None) else ""
        intro = render("intro_document", lang, title=md_escape_title(chunk), page=page)
        return ShownPassage("document", chunk.id, chunk.section, None, " ".join(sents), tuple(pieces),
                            tuple(dict.fromkeys(cites)), intro, bold, None, (), tuple(sents))

    def _help(self, question, lang, kind, notes, started) -> Answer:
        """Out of scope, vague, or nothing but instructions: no sources, the way in instead."""
        return Answer(question=question, lang=lang, in_scope=False, kind=kind, notes=tuple(notes),
                      help_blocks=tuple(self.block_ref(b.key) for b in self.knowledge.blocks),
                      timings_ms={"retrieve": 0.0, "total": round((time.perf_counter() - started) * 1000, 1)})
