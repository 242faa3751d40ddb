"""Sections → chunks with metadata and stable ids.

Chunks never cross a section and follow its paragraphs. A building block's parts (key
questions, each deepening question, each "stem af met" item) are also chunks of their own, so
the coach can cite exactly the question it suggests. ``embed_text`` adds the section, block and
case as context for the embedder; ``text`` stays verbatim, for quotes.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .cases import Case, case_paragraphs
from .corpus import Magazine, Section
from .mozaiek import BLOCK_NAMES, Bouwsteen
from ..util.language import cut_points

CHUNKER_VERSION = "6"  # 5: index built with ef_search 400; 6: sentence vectors keep their closing quote
DEFAULT_TARGET_WORDS = 110


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    section: str
    kind: str  # the section's kind
    part: str  # text | toelichting | kernvragen | verdiepende_vraag | stem_af_met
    blocks: tuple[str, ...]
    case: str | None
    speakers: tuple[str, ...]
    position: int
    embed_text: str = field(default="", compare=False)
    origin = "magazine"  # a class attribute, not a field: own documents' passages say "document"

    def metadata(self) -> dict:
        """Flat metadata for the vector store (no lists, no None)."""
        meta = {"section": self.section, "kind": self.kind, "part": self.part,
                "blocks": ",".join(self.blocks), "case": self.case or "",
                "speakers": ",".join(self.speakers), "position": self.position}
        for key in BLOCK_NAMES:
            meta[f"b_{key}"] = key in self.blocks
        return meta

    @classmethod
    def from_store(cls, chunk_id: str, text: str, meta: dict) -> "Chunk":
        split = lambda v: tuple(x for x in (v or "").split(",") if x)  # noqa: E731
        return cls(id=chunk_id, text=text, section=meta["section"], kind=meta["kind"],
                   part=meta["part"], blocks=split(meta.get("blocks")),
                   case=meta.get("case") or None, speakers=split(meta.get("speakers")),
                   position=int(meta.get("position", 0)))


SENTENCE_PARTS = ("text", "toelichting")


def sentence_entries(chunk: Chunk, min_words: int = 6) -> list[tuple[str, str, str]]:
    """(id, sentence, text to embed) for each sentence of a prose chunk.

    Sentences get their own vectors, pointing back at their chunk: a situation described in
    other words often matches one sentence far better than a whole chunk.
    """
    from ..util.language import sentences
    if chunk.part not in SENTENCE_PARTS:
        return []
    context = chunk.embed_text[: len(chunk.embed_text) - len(chunk.text)] if chunk.embed_text else ""
    out = []
    for i, sent in enumerate(sentences(chunk.text)):
        if len(sent.split()) >= min_words:
            out.append((f"{chunk.id}-s{i}", sent, context + sent))
    return out


def chunk_id(section: str, part: str, text: str) -> str:
    return hashlib.sha1(f"{CHUNKER_VERSION}\x1f{section}\x1f{part}\x1f{text}".encode()).hexdigest()[:20]


def _is_heading(para: str) -> bool:
    return len(para) < 90 and para[-1:] not in ".?!:;”\"’)…" and not para.startswith(("•", "–"))


def _split_long(para: str, target: int) -> list[str]:
    """Split a paragraph longer than ~1.6× target at sentence ends."""
    if len(para.split()) <= 1.6 * target:
        return [para]
    pieces, buf = [], ""
    for sentence in cut_points(para):
        if buf and len((buf + " " + sentence).split()) > target:
            pieces.append(buf)
            buf = sentence
        else:
            buf = f"{buf} {sentence}".strip()
    if buf:
        pieces.append(buf)
    return pieces


def group_paragraphs(paragraphs: list[str], target: int) -> list[str]:
    """Pack paragraphs into chunks of about ``target`` words; headings stick to what follows."""
    units: list[str] = []
    for para in paragraphs:
        units.extend(_split_long(para, target))
    chunks: list[str] = []
    buf: list[str] = []
    words = 0
    for unit in units:
        n = len(unit.split())
        heading_pending = bool(buf) and _is_heading(buf[-1])
        if buf and words + n > target and not heading_pending and words >= target * 0.4:
            chunks.append("\n\n".join(buf))
            buf, words = [], 0
        buf.append(unit)
        words += n
    if buf:
        if chunks and words < target * 0.25:
            chunks[-1] += "\n\n" + "\n\n".join(buf)  # a short tail joins its predecessor
        else:
            chunks.append("\n\n".join(buf))
    return chunks


def _blocks_named(text: str) -> tuple[str, ...]:
    low = text.lower()
    return tuple(k for k, name in BLOCK_NAMES.items() if re.search(rf"\b{name.lower()}\b", low))


def _speakers(text: str, case: Case | None) -> tuple[str, ...]:
    if case is None:
        return ()
    found = tuple(p.name for p in case.people
                  if p.name in text or re.search(rf"\b{re.escape(p.name.split()[0])}\b", text))
    if not found and len(case.people) == 1 and "“" in text:
        found = (case.people[0].name,)
    return found


def _context(section: Section, blocks: tuple[str, ...], case: Case | None, part: str,
             tagline: str = "") -> str:
    bits = [section.title]
    if section.subtitle:
        bits.append(section.subtitle)
    if tagline:
        bits.append(tagline)
    elif blocks:
        bits.append("Bouwsteen " + ", ".join(BLOCK_NAMES[b] for b in blocks if b in BLOCK_NAMES))
    if case is not None:
        bits.append(f"{case.network}, {case.place}: " + ", ".join(p.name for p in case.people))
    if part == "verdiepende_vraag":
        bits.append("Verdiepende vraag")
    elif part == "stem_af_met":
        bits.append("Stem af met")
    elif part == "kernvragen":
        bits.append("Vragen")
    return ". ".join(bits) + ".\n"


def chunk_magazine(magazine: Magazine, blocks: tuple[Bouwsteen, ...], cases: tuple[Case, ...],
                   target_words: int = DEFAULT_TARGET_WORDS, context: bool = True) -> list[Chunk]:
    """All chunks of the magazine, in reading order."""
    by_section_block = {b.section: b for b in blocks}
    out: list[Chunk] = []
    position = 0

    def add(section: Section, part: str, text: str, blk: tuple[str, ...], case: Case | None):
        nonlocal position
        block = by_section_block.get(section.title)
        tagline = block.tagline if block else ""
        ctx = _context(section, blk, case, part, tagline) if context else ""
        out.append(Chunk(id=chunk_id(section.title, part, text), text=text, section=section.title,
                         kind=section.kind, part=part, blocks=blk,
                         case=case.key if case else None, speakers=_speakers(text, case),
                         position=position, embed_text=ctx + text))
        position += 1

    for section in magazine.sections:
        if section.kind == "colofon":
            continue
        block = by_section_block.get(section.title)
        if block is not None:
            own = (block.key,)
            for text in group_paragraphs(block.toelichting.split("\n\n"), target_words):
                add(section, "toelichting", text, own, None)
            add(section, "kernvragen", "\n".join(f"• {q}" for q in block.key_questions), own, None)
            for q in block.deepening_questions:
                add(section, "verdiepende_vraag", q, own, None)
            for s in block.stem_af_met:
                add(section, "stem_af_met", s.text, (block.key, s.to), None)
            continue
        section_cases = [c for c in cases if c.section == section.title]
        if not section_cases:
            for text in group_paragraphs(list(section.paragraphs), target_words):
                add(section, "text", text, _blocks_named(text), None)
            continue
        for case in section_cases:
            for text in group_paragraphs(list(case_paragraphs(case, section)), target_words):
                add(section, "text", text, case.blocks, case)
    # Identical text in two places (e.g. a repeated "stem af met" item) keeps its first chunk.
    seen: set[str] = set()
    unique = []
    for chunk in out:
        if chunk.id not in seen:
            seen.add(chunk.id)
            unique.append(chunk)
    return unique
