"""The curated situation layer (``corpus/situations.yaml``) and the scope training set
(``corpus/scope_training.yaml``): how people describe what is going on, tied to the magazine's
blocks, passages and cases. Training data for the learned block, case and scope models, and
extra search documents that point to their passage.

A passage is tied by a verbatim anchor quote, not by a chunk id, so re-chunking does not break
it: ``resolve`` finds the chunk that holds the anchor (or most of it, when a chunk boundary cuts
it).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError
from ..util.language import content_tokens, fold

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"
SITUATIONS = CORPUS_DIR / "situations.yaml"
SCOPE_TRAINING = CORPUS_DIR / "scope_training.yaml"
FRAMEWORK = CORPUS_DIR / "framework_questions.yaml"


@dataclass(frozen=True)
class Situation:
    """One way of saying something the magazine speaks to (or, with ``in_scope`` False, does not)."""

    text: str
    lang: str
    blocks: tuple[str, ...]  # best first; empty when out of scope
    kind: str  # block | case | passage | boundary | out_of_scope
    case: str | None = None
    section: str | None = None
    anchor: str | None = None
    chunk_id: str | None = None  # the passage it points to, once resolved
    in_scope: bool = True

    @property
    def id(self) -> str:
        return "s" + hashlib.sha1(f"{self.kind}|{self.text}".encode()).hexdigest()[:16]


def _yaml(path: Path) -> dict:
    import yaml
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise CorpusError(f"{path.name} kan niet gelezen worden: {err}") from None


def load_situations(path: Path = SITUATIONS, scope_path: Path | None = SCOPE_TRAINING) -> list[Situation]:
    """Every situation of the layer (and of the scope training set, when given), unresolved."""
    out: list[Situation] = []
    data = _yaml(path) if path.exists() else {}
    for key, items in (data.get("blocks") or {}).items():
        out += [Situation(i["text"], i.get("lang", "nl"), tuple(i.get("blocks") or [key]), "block") for i in items]
    for key, items in (data.get("cases") or {}).items():
        out += [Situation(i["text"], i.get("lang", "nl"), tuple(i.get("blocks") or ()), "case", case=key)
                for i in items]
    for p in data.get("passages") or []:
        for q in p.get("questions") or []:
            out.append(Situation(q, "en" if _looks_english(q) else "nl", (), "passage",
                                 section=p["section"], anchor=p["anchor"]))
    if scope_path is not None and scope_path.exists():
        scope = _yaml(scope_path)
        out += [Situation(i["text"], i.get("lang", "nl"), tuple(i.get("blocks") or ()), "boundary")
                for i in scope.get("in_scope_hard") or []]
        out += [Situation(i["text"], i.get("lang", "nl"), (), "out_of_scope", in_scope=False)
                for i in scope.get("out_of_scope") or []]
    return out


def framework_situations(knowledge, path: Path = FRAMEWORK) -> list[Situation]:
    """Questions that name the framework's parts (``corpus/framework_questions.yaml``), filled in
    from the knowledge model: per block, per "stem af met" pair and per practice case. A filled-in
    question that would name two cases alike (a shared headline or interviewee) is left out."""
    if not path.exists():
        return []
    data = _yaml(path)
    names = {b.key: b.name for b in knowledge.blocks}
    out: list[Situation] = []
    for b in knowledge.blocks:
        for lang, templates in (data.get("blocks") or {}).items():
            out += [Situation(t.format(block=b.name, tagline=b.tagline), lang, (b.key,), "framework")
                    for t in templates]
        for link in b.stem_af_met:
            if link.to not in names:
                continue
            for lang, templates in (data.get("pairs") or {}).items():
                out += [Situation(t.format(block=b.name, other=names[link.to]), lang, (b.key, link.to), "framework")
                        for t in templates]
    cases: dict[str, list[Situation]] = {}
    for c in knowledge.cases:
        if not c.blocks:
            continue
        person = c.people[0].name if c.people else c.network
        for lang, templates in (data.get("cases") or {}).items():
            for t in templates:
                text = t.format(network=c.network, person=person, title=c.section)
                cases.setdefault(text, []).append(Situation(text, lang, tuple(c.blocks[:2]), "case", case=c.key))
    out += [items[0] for items in cases.values() if len({s.case for s in items}) == 1]
    return out


def _looks_english(text: str) -> bool:
    from ..util.language import guess_lang
    return guess_lang(text) == "en"


def resolve(situations: list[Situation], chunks) -> list[Situation]:
    """Passage situations get the chunk that holds their anchor and that chunk's blocks and case;
    the others keep what they have. A passage whose anchor is found nowhere is left out."""
    import dataclasses
    by_section: dict[str, list] = {}
    for c in chunks:
        by_section.setdefault(c.section, []).append(c)
    out = []
    for s in situations:
        if s.kind != "passage":
            out.append(s)
            continue
        chunk = _anchor_chunk(s.anchor, by_section.get(s.section, []))
        if chunk is None:
            continue
        blocks = tuple(chunk.blocks[:2])
        out.append(dataclasses.replace(s, chunk_id=chunk.id, blocks=blocks, case=chunk.case))
    return out


def _anchor_chunk(anchor: str, chunks):
    """The chunk holding ``anchor`` verbatim, else the one sharing most of its words."""
    for c in chunks:
        if anchor in c.text:
            return c
    wanted = set(content_tokens(anchor))
    if not wanted or not chunks:
        return None
    best = max(chunks, key=lambda c: len(wanted & set(content_tokens(c.text))))
    return best if len(wanted & set(content_tokens(best.text))) >= 0.5 * len(wanted) else None


def key_of(text: str) -> str:
    """Text compared without case, accents and spacing (to keep eval questions out of training)."""
    return " ".join(fold(text).split())
