"""The curated situation layer (corpus/situations.yaml, issue 10 item 1) against the magazine.

Fast and model-free: it parses the real magazine with the project's own parser and checks that
every label in the layer is real and every anchor quote is verbatim in the parsed text of its
section, so a change to the parser or the layer that breaks a link fails here.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from assistant.knowledge.model import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
SITUATIONS = ROOT / "corpus" / "situations.yaml"
CORPUS = ROOT / "corpus" / "meer-bereiken-met-organisatienetwerken.txt"

MIN_BLOCK_SITUATIONS = 25
MIN_CASE_SITUATIONS = 6
MIN_PASSAGES = 80
ANCHOR_WORDS = (6, 20)
LANGS = {"nl", "en"}


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(CORPUS)


@pytest.fixture(scope="module")
def layer():
    with SITUATIONS.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def block_keys(knowledge):
    return {b.key for b in knowledge.blocks}


@pytest.fixture(scope="module")
def case_keys(knowledge):
    return {c.key for c in knowledge.cases}


@pytest.fixture(scope="module")
def sections(knowledge):
    return {s.title: s for s in knowledge.magazine.sections}


def _situations(layer):
    """Every situation item with where it lives: (part, key, item)."""
    for part in ("blocks", "cases"):
        for key, items in layer[part].items():
            for item in items:
                yield part, key, item


def test_top_level_shape(layer):
    assert set(layer) >= {"blocks", "passages", "cases"}
    assert isinstance(layer["blocks"], dict)
    assert isinstance(layer["cases"], dict)
    assert isinstance(layer["passages"], list)


def test_every_block_has_enough_situations(layer, block_keys):
    assert set(layer["blocks"]) == block_keys, "one list per real building-block key"
    for key, items in layer["blocks"].items():
        assert len(items) >= MIN_BLOCK_SITUATIONS, f"{key}: only {len(items)} situations"


def test_every_case_has_enough_situations(layer, case_keys):
    assert set(layer["cases"]) == case_keys, "one list per real case key"
    for key, items in layer["cases"].items():
        assert len(items) >= MIN_CASE_SITUATIONS, f"{key}: only {len(items)} situations"


def test_situation_items_are_well_formed(layer, block_keys):
    for part, key, item in _situations(layer):
        where = f"{part}/{key}: {item!r}"
        assert set(item) == {"text", "lang", "blocks"}, where
        assert isinstance(item["text"], str) and item["text"].strip() == item["text"], where
        assert len(item["text"].split()) >= 3, where
        assert item["lang"] in LANGS, where
        labels = item["blocks"]
        assert isinstance(labels, list) and 1 <= len(labels) <= 2, where
        assert len(set(labels)) == len(labels), where
        assert set(labels) <= block_keys, where
        if part == "blocks":
            assert labels[0] == key, f"the main block comes first: {where}"


def test_english_share_is_about_fifteen_percent(layer):
    for part in ("blocks", "cases"):
        langs = Counter(item["lang"] for where, _key, item in _situations(layer) if where == part)
        share = langs["en"] / sum(langs.values())
        assert 0.08 <= share <= 0.25, f"{part}: English share {share:.2f}"


def test_passages_are_well_formed(layer, sections):
    passages = layer["passages"]
    assert len(passages) >= MIN_PASSAGES
    for p in passages:
        assert set(p) == {"section", "anchor", "questions"}, p
        assert p["section"] in sections, f"unknown section title {p['section']!r}"
        lo, hi = ANCHOR_WORDS
        assert lo <= len(p["anchor"].split()) <= hi, f"anchor of {lo}-{hi} words: {p['anchor']!r}"
        qs = p["questions"]
        assert isinstance(qs, list) and 2 <= len(qs) <= 4, p["anchor"]
        assert all(isinstance(q, str) and q.strip() == q and q for q in qs), p["anchor"]


def test_every_anchor_is_verbatim_once_in_its_section(layer, sections):
    missing, ambiguous = [], []
    for p in layer["passages"]:
        text = sections[p["section"]].text
        n = text.count(p["anchor"])
        if n == 0:
            missing.append((p["section"], p["anchor"]))
        elif n > 1:
            ambiguous.append((p["section"], p["anchor"]))
    assert not missing, f"anchors not verbatim in the parsed section text: {missing}"
    assert not ambiguous, f"anchors that occur more than once in their section: {ambiguous}"


def test_anchors_are_unique(layer):
    anchors = Counter((p["section"], p["anchor"]) for p in layer["passages"])
    assert not [a for a, n in anchors.items() if n > 1]


def test_every_content_section_has_passages(layer, sections):
    covered = Counter(p["section"] for p in layer["passages"])
    for title, s in sections.items():
        if s.kind != "colofon":
            assert covered[title] >= 1, f"no passage anchored in {title!r}"


def test_no_duplicate_texts(layer):
    def norm(t: str) -> str:
        return re.sub(r"\W+", " ", t.lower()).strip()

    texts = [item["text"] for _, _, item in _situations(layer)]
    texts += [q for p in layer["passages"] for q in p["questions"]]
    counts = Counter(norm(t) for t in texts)
    dupes = [t for t, n in counts.items() if n > 1]
    assert not dupes, f"duplicate texts: {dupes}"


def test_situations_are_not_copied_from_the_magazine(layer, knowledge):
    """The situations are our own words: no situation or question is a sentence of the magazine."""
    magazine = re.sub(r"\s+", " ", knowledge.magazine.text.lower())
    copied = []
    texts = [item["text"] for _, _, item in _situations(layer)]
    texts += [q for p in layer["passages"] for q in p["questions"]]
    for t in texts:
        t_norm = re.sub(r"\s+", " ", t.lower()).strip()
        if len(t_norm.split()) >= 6 and t_norm.rstrip("?.!") in magazine:
            copied.append(t)
    assert not copied, f"copied verbatim from the magazine: {copied}"


def test_framework_questions_are_filled_in_from_the_magazine(knowledge):
    """The templates naming blocks, 'stem af met' pairs and cases become labelled training questions:
    every placeholder filled, every label a real block or case, and a filled-in question that would
    fit two cases (a shared headline) left out rather than labelled twice."""
    from assistant.knowledge.situations import framework_situations
    items = framework_situations(knowledge)
    blocks = {b.key: b for b in knowledge.blocks}
    cases = {c.key: c for c in knowledge.cases}
    assert items and not [s.text for s in items if "{" in s.text or "}" in s.text]
    assert {s.lang for s in items} == LANGS
    for s in items:
        assert s.in_scope and s.blocks and set(s.blocks) <= set(blocks)
        if s.kind == "case":
            assert s.case in cases and s.blocks == tuple(cases[s.case].blocks[:2])
    named = Counter(s.blocks[0] for s in items if s.kind == "framework" and len(s.blocks) == 1)
    assert set(named) == set(blocks) and len(set(named.values())) == 1  # every block, the same templates
    pairs = {s.blocks for s in items if s.kind == "framework" and len(s.blocks) == 2}
    assert pairs == {(b.key, link.to) for b in knowledge.blocks for link in b.stem_af_met}
    texts = Counter(s.text for s in items if s.kind == "case")
    assert all(n == 1 for n in texts.values())
    shared = Counter(c.section for c in knowledge.cases)
    ambiguous = [c.section for c in knowledge.cases if shared[c.section] > 1]
    assert ambiguous and not [t for t in texts if any(f"'{title}'" in t for title in ambiguous)]
