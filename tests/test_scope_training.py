"""corpus/scope_training.yaml: the scope classifier's own training set (issue 10, item 2).

Checks its shape (counts, languages, topics, block keys), that it has no duplicates, that its
texts are not copied from the magazine, and that it stays independent of the held-out eval set:
no training text equals or contains a held-out question (the held-out file is read here only,
to compare; nothing from it is copied into the training set).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "corpus" / "scope_training.yaml"
MAGAZINE = ROOT / "corpus" / "meer-bereiken-met-organisatienetwerken.txt"
HELDOUT = ROOT / "evals" / "heldout.jsonl"

TOPICS = {"policy_law", "money", "hr", "tooling", "facts", "writing", "general", "other"}
BLOCKS = {"opgave", "waarde", "samen-doen", "verankering", "deelname", "binding", "organisatie"}
LANGS = {"nl", "en"}
SHINGLE = 8  # a run of this many words shared with the magazine counts as copied


def norm(text: str) -> str:
    """Case- and whitespace-insensitive form used for duplicate and overlap checks."""
    return " ".join(text.casefold().split())


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load(TRAINING.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def items(data) -> list[dict]:
    return list(data["out_of_scope"]) + list(data["in_scope_hard"])


def test_sections_and_counts(data):
    assert set(data) == {"out_of_scope", "in_scope_hard"}
    assert len(data["out_of_scope"]) >= 250
    assert len(data["in_scope_hard"]) >= 120


def test_fields(data):
    for item in data["out_of_scope"]:
        assert set(item) == {"text", "lang", "topic"}, item
        assert item["topic"] in TOPICS, item
    for item in data["in_scope_hard"]:
        assert set(item) == {"text", "lang", "blocks"}, item
        blocks = item["blocks"]
        assert isinstance(blocks, list) and 1 <= len(blocks) <= 2, item
        assert len(set(blocks)) == len(blocks), item
        assert set(blocks) <= BLOCKS, item


def test_texts_and_languages(data, items):
    for item in items:
        assert isinstance(item["text"], str) and item["text"] == item["text"].strip(), item
        assert len(words(item["text"])) >= 3, item
        assert item["lang"] in LANGS, item
    for section in ("out_of_scope", "in_scope_hard"):
        section_items = data[section]
        share_en = sum(i["lang"] == "en" for i in section_items) / len(section_items)
        assert 0.08 <= share_en <= 0.25, (section, share_en)


def test_every_topic_and_block_is_used(data):
    assert {i["topic"] for i in data["out_of_scope"]} == TOPICS
    assert {i["blocks"][0] for i in data["in_scope_hard"]} == BLOCKS


def test_no_duplicates(items):
    seen: dict[str, str] = {}
    for item in items:
        key = norm(item["text"])
        assert key not in seen, f"duplicate: {item['text']!r} ~ {seen[key]!r}"
        seen[key] = item["text"]


def test_weer_means_weather_only_out_of_scope(data):
    """'weer' as weather appears only among out-of-scope general questions; 'weer' as 'again'
    belongs to the in-scope examples (the old regex refused those)."""
    for item in data["out_of_scope"]:
        if "weer" in words(item["text"]):
            assert item["topic"] == "general", item


def test_not_copied_from_the_magazine(items):
    raw = MAGAZINE.read_text(encoding="utf-8")
    mag = words(re.sub(r"-\s*\n\s*", "", raw))  # join words hyphenated across line breaks
    shingles = {tuple(mag[i:i + SHINGLE]) for i in range(len(mag) - SHINGLE + 1)}
    for item in items:
        w = words(item["text"])
        for i in range(len(w) - SHINGLE + 1):
            assert tuple(w[i:i + SHINGLE]) not in shingles, (item["text"], w[i:i + SHINGLE])


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_independent_of_heldout_eval_set(items):
    """No training text equals a held-out question, and none contains one or is contained in
    one (normalised). Every string field of a held-out record is compared for equality, so this
    does not depend on the record's field names."""
    if not HELDOUT.exists():
        pytest.skip(f"{HELDOUT} not present")
    heldout: set[str] = set()
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            heldout.update(norm(s) for s in _strings(json.loads(line)) if s.strip())
    assert heldout
    # Containment is checked for question-like strings only (6+ words): short fields such as
    # labels or must-mention phrases may legitimately occur inside a training question.
    long_heldout = [h for h in heldout if len(words(h)) >= 6]
    # Report only training texts, never held-out ones, so a failure does not leak the eval set.
    equal = [i["text"] for i in items if norm(i["text"]) in heldout]
    overlapping = [
        i["text"] for i in items
        if any(h in norm(i["text"]) or norm(i["text"]) in h for h in long_heldout)
    ]
    assert not equal, f"training texts equal to a held-out question: {equal}"
    assert not overlapping, f"training texts overlapping a held-out question: {overlapping}"
