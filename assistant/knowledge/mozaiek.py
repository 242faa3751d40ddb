"""The Netwerkmozaïek: the seven building blocks and their parts, extracted from the sections."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .corpus import Magazine, Section
from ..errors import CorpusError

BLOCK_KEYS = ("opgave", "waarde", "samen-doen", "verankering", "deelname", "binding", "organisatie")
BLOCK_NAMES = {"opgave": "Opgave", "waarde": "Waarde", "samen-doen": "Samen doen",
               "verankering": "Verankering", "deelname": "Deelname", "binding": "Binding",
               "organisatie": "Organisatie"}
STEM_RE = re.compile(r"^[•–-]\s*(?P<to>[a-zA-Z][a-zA-Z ]*?)\s*\|\s*(?P<text>.+)$", re.S)
NUMBERED_RE = re.compile(r"^\d{1,2}\.\s+")


def block_key(name: str) -> str:
    """'Samen doen' / 'samen doen' / 'Samen-doen' → 'samen-doen'."""
    return re.sub(r"[\s_]+", "-", name.strip().lower())


@dataclass(frozen=True)
class StemAfMet:
    to: str
    text: str


@dataclass(frozen=True)
class Bouwsteen:
    key: str
    name: str
    tagline: str
    toelichting: str
    key_questions: tuple[str, ...]
    deepening_questions: tuple[str, ...]
    stem_af_met: tuple[StemAfMet, ...]
    section: str
    summary: str = ""  # the one-paragraph description in "Het Netwerkmozaïek"

    def to_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "tagline": self.tagline,
                "toelichting": self.toelichting, "key_questions": list(self.key_questions),
                "deepening_questions": list(self.deepening_questions),
                "stem_af_met": [{"to": s.to, "text": s.text} for s in self.stem_af_met],
                "section": self.section, "summary": self.summary}


class MozaiekError(CorpusError):
    """The text does not have the structure of a building-block section."""


def _strip_marker(text: str) -> str:
    return re.sub(r"^(?:[•–-]|\d{1,2}\.)\s+", "", text).strip()


def parse_bouwsteen(section: Section, summaries: dict[str, str] | None = None) -> Bouwsteen:
    """Extract one block from its 'Bouwsteen …' section."""
    name = section.title.removeprefix("Bouwsteen ").strip()
    key = block_key(name)
    state = "pre"
    toelichting: list[str] = []
    key_questions: list[str] = []
    deepening: list[str] = []
    stems: list[list[str]] = []
    for para in section.paragraphs:
        if para == "Korte toelichting":
            state = "toelichting"
            continue
        if para == "Verdiepende vragen":
            state = "deep"
            continue
        if para == "Stem af met...":
            state = "stem"
            continue
        if state == "toelichting":
            (key_questions if para.startswith("•") else toelichting).append(
                _strip_marker(para) if para.startswith("•") else para)
        elif state == "deep":
            if NUMBERED_RE.match(para) or not deepening:
                deepening.append(_strip_marker(para))
            else:
                deepening[-1] += " " + para  # a question continued after a page break
        elif state == "stem":
            m = STEM_RE.match(para)
            if m:
                stems.append([block_key(m.group("to")), m.group("text").strip()])
            elif stems:
                stems[-1][1] += " " + para
    if not (toelichting and key_questions and deepening and stems):
        raise MozaiekError(f"de sectie '{section.title}' heeft niet de vorm van een bouwsteen: "
                           "'Korte toelichting' met vragen, 'Verdiepende vragen' of 'Stem af met...' ontbreekt. "
                           "Controleer de tijdschrifttekst (COACH_CORPUS).")
    tagline = next((t for label, t in section.labels if label == name), "")
    return Bouwsteen(key=key, name=name, tagline=tagline, toelichting="\n\n".join(toelichting),
                     key_questions=tuple(key_questions), deepening_questions=tuple(deepening),
                     stem_af_met=tuple(StemAfMet(to, text) for to, text in stems),
                     section=section.title, summary=(summaries or {}).get(key, ""))


def _summaries(magazine: Magazine) -> dict[str, str]:
    """The numbered one-paragraph descriptions ('1. Opgave. Het creëren …') in the framework."""
    out: dict[str, str] = {}
    for section in magazine.sections:
        if section.kind != "framework":
            continue
        for para in section.paragraphs:
            m = re.match(r"^\d\.\s+(?P<name>[A-Z][a-z]+(?: doen)?)\.\s+(?P<text>.+)$", para, re.S)
            if m and block_key(m.group("name")) in BLOCK_KEYS:
                out[block_key(m.group("name"))] = para
    return out


def extract_blocks(magazine: Magazine) -> tuple[Bouwsteen, ...]:
    """All building blocks, in the order of the framework (opgave … organisatie)."""
    summaries = _summaries(magazine)
    blocks = {b.key: b for b in (parse_bouwsteen(s, summaries)
                                 for s in magazine.sections if s.kind == "bouwsteen")}
    ordered = [blocks[k] for k in BLOCK_KEYS if k in blocks]
    ordered += [b for k, b in blocks.items() if k not in BLOCK_KEYS]
    return tuple(ordered)
