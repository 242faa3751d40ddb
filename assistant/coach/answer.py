"""The coach's answer as data: what it claims (each claim cited), which blocks, which questions,
which links, which case, which sources. No text layout here: ``render.py`` turns an ``Answer``
into Markdown or HTML, the same way for the offline coach and for the optional language model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..search.retriever import Passage

KINDS = ("answer", "clarify", "out_of_scope", "vague", "injection")


@dataclass(frozen=True)
class Citation:
    """Source ``[n]``: a verbatim ``quote`` from chunk ``chunk_id`` (always one of the answer's sources)."""

    n: int
    chunk_id: str
    section: str
    case: str | None
    speaker: str | None
    quote: str
    network: str | None = None  # the case's network, for the sources list
    origin: str = "magazine"  # "document": an own document (``section`` is its title)
    page: int | None = None  # the own document's page, when it has pages

    def to_dict(self) -> dict:
        d = {"n": self.n, "chunk_id": self.chunk_id, "section": self.section, "case": self.case,
             "speaker": self.speaker, "quote": self.quote, "origin": self.origin}
        if self.origin == "document":
            d.update(title=self.section, page=self.page)
        return d


class CitationList:
    """Citations numbered from 1 in order of first use; the same chunk and quote keep one number.
    The one numbering of an answer, for the offline coach and the language model alike."""

    def __init__(self, networks: dict[str, str] | None = None) -> None:
        self.items: list[Citation] = []
        self.networks = networks or {}

    def add(self, passage: Passage, quote: str) -> int:
        chunk = passage.chunk
        for c in self.items:
            if c.chunk_id == chunk.id and c.quote == quote:
                return c.n
        speaker = chunk.speakers[0] if chunk.speakers else None
        self.items.append(Citation(len(self.items) + 1, chunk.id, chunk.section, chunk.case, speaker, quote,
                                   self.networks.get(chunk.case) if chunk.case else None, chunk.origin,
                                   getattr(chunk, "page", None)))
        return len(self.items)


@dataclass(frozen=True)
class Claim:
    """One sentence of the core answer and the sources it rests on. Offline, ``text`` is a verbatim
    sentence of the magazine; with a language model it is the model's sentence, checked."""

    text: str
    cites: tuple[int, ...]
    origin: str = "magazine"  # "document": a sentence of an own document (rendered escaped)


@dataclass(frozen=True)
class BlockRef:
    key: str
    name: str
    tagline: str


@dataclass(frozen=True)
class StemLink:
    """A "stem af met" line of block ``frm``: align with block ``to`` on ``text``."""

    frm: str
    to: str
    to_name: str
    text: str


@dataclass(frozen=True)
class CaseRef:
    """The practice case shown, with its quote (verbatim, cited as ``[n]``)."""

    key: str
    section: str
    network: str
    place: str
    people: tuple[str, ...]
    quote: str
    chunk_id: str
    n: int

    @property
    def where(self) -> str:
        return f"{self.network}, {self.place}" if self.place != "Nederland" else self.network

    def to_dict(self) -> dict:
        return {"key": self.key, "section": self.section, "people": list(self.people), "quote": self.quote,
                "chunk_id": self.chunk_id, "n": self.n}


@dataclass(frozen=True)
class ShownPassage:
    """A whole stretch of the magazine (or of an own document) shown in the answer.

    ``role``: "magazine" (the passage that answers), "case" (the practice passage) or "document";
    ``pieces``: (chunk id, start, end) in the chunk's text, each verbatim and cited as ``cites``;
    ``bold``: the sentence that fits best (shown in bold), or ""; ``intro``: the line that
    introduces it; ``credited``: the person the words are credited to (only when that person says
    every sentence), else None (narration is credited to the article); ``speakers``: who says
    the quoted words in it."""

    role: str
    stretch_id: str
    section: str
    case: str | None
    text: str
    pieces: tuple[tuple[str, int, int], ...]
    cites: tuple[int, ...]
    intro: str
    bold: str = ""
    credited: str | None = None
    speakers: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()
    opens_inside: bool = False  # a long quotation was cut: the passage starts inside it (shown “… )
    closes_inside: bool = False  # … or ends inside it (shown …”)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict:
        return {"role": self.role, "stretch_id": self.stretch_id, "section": self.section, "case": self.case,
                "intro": self.intro, "text": self.text, "bold": self.bold, "credited": self.credited,
                "speakers": list(self.speakers), "cites": list(self.cites),
                "opens_inside": self.opens_inside, "closes_inside": self.closes_inside,
                "pieces": [{"chunk_id": c, "start": a, "end": b} for c, a, b in self.pieces]}


@dataclass(frozen=True)
class Answer:
    question: str
    lang: str
    in_scope: bool
    kind: str  # one of KINDS
    claims: tuple[Claim, ...] = ()
    blocks: tuple[tuple[str, float], ...] = ()  # all blocks ranked, best first, scores sum to 1
    block: BlockRef | None = None  # the block the answer is about (chosen or detected)
    chosen_block: str | None = None  # set when the user chose it
    runner_up: BlockRef | None = None  # a second block too close to the first to choose between them
    uncertain: bool = False  # the two best blocks are too close to choose: both are offered
    deepening: tuple[tuple[str, str], ...] = ()  # (block key, question)
    stem: tuple[StemLink, ...] = ()
    case: CaseRef | None = None
    citations: tuple[Citation, ...] = ()
    sources: tuple[Passage, ...] = ()
    notes: tuple[str, ...] = ()  # short notes to the user, shown above the answer
    help_blocks: tuple[BlockRef, ...] = ()  # for out-of-scope/vague answers: the blocks to choose from
    timings_ms: dict = field(default_factory=dict)
    mode: str = "offline"  # offline | llm
    fallback_reason: str | None = None
    # the coach's answer as a coach gives it (see render.coach_markdown)
    recognition: str = ""  # one line in the coach's own voice; makes no claim of its own
    shown: tuple[ShownPassage, ...] = ()  # whole passages: the one that answers, then the practice one
    more_deepening: tuple[tuple[str, str], ...] = ()  # the block's other deepening questions ("meer vragen")
    exact_question: str | None = None  # the magazine asks precisely this question
    collapsed: tuple[str, ...] = ()  # parts moved behind "meer" to keep the answer short ("stem", "case", "deep2")
    case_probability: float | None = None  # how sure the case model was of its best case (shown or not)
    follow_up: str | None = None  # a reply to the last answer (followup.INTENTS), answered from the conversation
    about: str = ""  # the situation a follow-up answers ("": ``question`` itself)

    @property
    def kern_text(self) -> str:
        """What the answer says, as plain text (for a follow-up and a language model)."""
        if self.claims:
            return " ".join(c.text for c in self.claims)
        return " ".join(p.text for p in self.shown)

    @property
    def markdown(self) -> str:
        from ..present.markdown import answer_markdown
        return answer_markdown(self)

    def to_dict(self) -> dict:
        d = {"question": self.question, "lang": self.lang, "in_scope": self.in_scope, "kind": self.kind,
             "blocks": [{"key": k, "name": _block_name(k), "score": round(s, 4)} for k, s in self.blocks],
             "chosen_block": self.chosen_block, "uncertain": self.uncertain,
             "answer": self.markdown,
             "deepening_questions": [{"block": b, "text": t} for b, t in self.deepening],
             "stem_af_met": [{"from": s.frm, "to": s.to, "text": s.text} for s in self.stem],
             "case": self.case.to_dict() if self.case else None,
             "citations": [c.to_dict() for c in self.citations],
             "sources": [_source(p) for p in self.sources],
             "timings_ms": self.timings_ms, "notes": list(self.notes), "mode": self.mode,
             "recognition": self.recognition, "shown": [p.to_dict() for p in self.shown],
             "more_deepening_questions": [{"block": b, "text": t} for b, t in self.more_deepening],
             "exact_question": self.exact_question, "case_probability": self.case_probability,
             "follow_up": self.follow_up, "about": self.about or self.question}
        if self.fallback_reason:
            d["fallback_reason"] = self.fallback_reason
        return d


def _source(p: Passage) -> dict:
    """One retrieved passage for ``to_dict``; an own document's also says which and where."""
    c = p.chunk
    d = {"chunk_id": c.id, "section": c.section, "case": c.case, "blocks": list(c.blocks),
         "speakers": list(c.speakers), "part": c.part, "score": p.score, "text": c.text, "origin": c.origin}
    if c.origin == "document":
        d.update(doc_id=c.doc_id, title=c.title, page=c.page, heading=c.heading or None)
    return d


def _block_name(key: str) -> str:
    from ..knowledge.mozaiek import BLOCK_NAMES
    return BLOCK_NAMES.get(key, key)
