"""The learned block and scope models and the embedding cache, over the fixture magazine with the
fake embedder (FAKE: hashed bag of words, see conftest). What is asserted is the mechanism a user
relies on (the models are trained from the situation layer only, used for every answer, kept
and reused; nothing is embedded twice), not the real models' quality: that is measured by
``python -m evals`` on questions nobody here has seen."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from assistant.coach import learned
from assistant.search.embedcache import EmbeddingCache
from assistant.knowledge.situations import key_of, load_situations

from .conftest import FakeEmbedder, mini_coach


@pytest.fixture(scope="module")
def coach():
    return mini_coach(learned=True)


def test_models_are_trained_on_the_situation_layer_and_scope_set_only(coach):
    """Training data: the fixture's blocks' situations and the out-of-scope set; none of it is an eval question."""
    import json
    from pathlib import Path
    evals = Path(__file__).resolve().parent.parent / "evals"
    asked = {key_of(json.loads(line)["question"]) for name in ("questions.jsonl", "heldout.jsonl")
             for line in (evals / name).read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not {key_of(s.text) for s in coach.situations.items} & asked
    report = coach.models.report
    assert report["block_examples"] >= 50 and report["scope_negatives"] >= 250
    assert set(s.blocks[0] for s in coach.situations.items if s.in_scope) <= set(coach.block_keys)
    assert 0.0 <= report["cv_block_at_1"] <= 1.0 and "0.30" in report["cv_scope"]


def test_every_answer_gets_block_probabilities_from_the_learned_model(coach):
    """Seven (here: the fixture's three) blocks, best first, a distribution — and not the rules' numbers."""
    question = "Hoe bouwen partners aan vertrouwen?"
    answer = coach.ask(question)
    scores = [s for _, s in answer.blocks]
    assert sorted(k for k, _ in answer.blocks) == sorted(coach.block_keys)
    assert math.isclose(sum(scores), 1.0, abs_tol=1e-6) and scores == sorted(scores, reverse=True)
    r = coach.retriever
    qvec = r.query_vector(question)
    rules = coach.rule_scores(question, r.fuse(r.rank(question, qvec), k=12), qvec)
    assert not np.allclose(sorted(rules, reverse=True), scores)


def test_scope_is_a_probability_and_decides_refusals(coach):
    """A question far from the magazine gets a low probability and a refusal; one close to it is answered."""
    r = coach.retriever
    far, near = "Hoe maak ik een draaitabel in Excel met twee kolommen?", "Hoe bouwen partners aan vertrouwen?"
    p_far = coach.scope_probability(far, r.query_vector(far), r.rank(far).dense)
    p_near = coach.scope_probability(near, r.query_vector(near), r.rank(near).dense)
    assert 0.0 <= p_far < p_near <= 1.0
    saved = coach.weights
    try:
        coach.weights = dataclasses.replace(saved, scope_threshold=(p_far + p_near) / 2)
        assert coach.ask(far).kind == "out_of_scope" and coach.ask(near).kind == "answer"
        coach.weights = dataclasses.replace(saved, learned_scope=False)  # the rules again
        assert coach.scope_probability(far, r.query_vector(far), r.rank(far).dense) is None
    finally:
        coach.weights = saved


def test_a_word_list_no_longer_refuses_weer_meaning_again(coach):
    """'weer' as 'again' is not a weather question: the learned scope answers it."""
    answer = coach.ask("Het overleg over vertrouwen tussen partners loopt weer vast.")
    assert answer.in_scope and answer.kind == "answer"


def test_models_are_kept_and_reused(tmp_path, coach, monkeypatch):
    """Trained once per index and training set; the second coach reads them instead of training."""
    first = learned.load_or_train(coach, coach.situations, tmp_path)
    files = list(tmp_path.glob("learned-*.json"))
    assert len(files) == 1
    monkeypatch.setattr(learned, "train", lambda *a, **k: pytest.fail("trained again"))
    assert learned.load_or_train(coach, coach.situations, tmp_path) == first
    files[0].write_text("{kapot", encoding="utf-8")  # a damaged file is trained anew, not a crash
    monkeypatch.undo()
    assert learned.load_or_train(coach, coach.situations, tmp_path).block_coef == first.block_coef


def test_the_embedding_cache_embeds_each_text_once(tmp_path):
    """Same model, side and text: taken from the cache; another side or text: embedded."""
    embedder = FakeEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    a = cache.encode(embedder, ["partners haken af", "de wethouder wil cijfers"], query=True)
    calls = embedder.calls
    b = EmbeddingCache(tmp_path / "cache.sqlite").encode(embedder, ["de wethouder wil cijfers", "partners haken af"],
                                                         query=True)
    assert embedder.calls == calls and np.array_equal(a[::-1], b)
    cache.encode(embedder, ["partners haken af"], query=False)
    assert embedder.calls == calls + 1


def test_a_damaged_cache_is_set_aside_and_started_anew(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"dit is geen database" * 100)
    cache = EmbeddingCache(path)
    assert cache.encode(FakeEmbedder(), ["tekst"], query=True).shape == (1, FakeEmbedder.dim)
    assert path.with_suffix(".damaged").exists()


def test_the_situation_layer_loads_with_its_kinds():
    items = load_situations()
    kinds = {s.kind for s in items}
    assert kinds == {"block", "case", "passage", "boundary", "out_of_scope"}
    assert all(not s.blocks for s in items if not s.in_scope)


def test_nearest_situations_vote_for_their_passages_in_retrieval(coach):
    """The situation layer joins retrieval: the nearest situations' chunks form one more ranking, and
    a training text never finds itself."""
    sv = coach.situations
    i = next(i for i, s in enumerate(sv.items) if s.in_scope and sv.passages[i] >= 0)
    text, vector = sv.items[i].text, sv.vectors[i]
    ranking = learned.situation_ranking(sv, vector, k=5)
    assert ranking and ranking[0] == (int(sv.passages[i]), pytest.approx(float(vector @ vector), abs=1e-4))
    without = learned.situation_ranking(sv, vector, k=5, exclude=text)
    assert all(score < 0.9999 for _, score in without)
    chunks = coach.retriever.chunks
    for s, row in zip(sv.items, sv.passages):
        if s.in_scope and s.kind == "block" and row >= 0:
            assert chunks[row].kind == "bouwsteen" and chunks[row].blocks[0] == s.blocks[0]
    rankings = coach.rankings(text, vector)
    assert rankings.extra and rankings.extra[-1][0][0] == int(sv.passages[i])


def test_the_heads_on_the_question_vector_are_kept_and_used(coach, tmp_path):
    """Block, scope and case each have a head (a logistic regression on the question's vector); it
    survives the round trip to disk and is one of the features of every answer."""
    models = coach.models
    assert models.block_head is not None and models.scope_head is not None
    assert set(models.block_head.classes) <= set(coach.block_keys)
    assert set(models.scope_head.classes) == {"in", "out"}
    again = learned.LearnedModels.from_json(models.to_json())
    question = "Hoe bouwen partners aan vertrouwen?"
    qvec = coach.retriever.query_vector(question)
    assert np.allclose(again.block_head_log(qvec, coach.block_keys), models.block_head_log(qvec, coach.block_keys))
    assert again.scope_head_logit(qvec) == pytest.approx(models.scope_head_logit(qvec))
    probs = models.block_head.proba(qvec)
    assert probs.sum() == pytest.approx(1.0) and (probs > 0).all()
    # The head is a feature: without it the block probabilities of the same answer change.
    before = dict(coach.ask(question).blocks)
    saved = coach.models
    try:
        coach.models = dataclasses.replace(saved, block_head=None)
        after = dict(coach.ask(question).blocks)
    finally:
        coach.models = saved
    assert not np.allclose([before[k] for k in coach.block_keys], [after[k] for k in coach.block_keys])
    assert models.report["cv_heads"]["block_at_1"] is not None


def test_the_passage_model_reorders_the_fused_candidates(coach):
    """Sources come from the fused ranking's best candidates, ordered by the learned passage model;
    with the model switched off (or a block the user chose) the fused order stands."""
    models = coach.models
    assert models.rerank_coef and set(models.report["cv_rerank"]) == {"learned", "fused"}
    question = "Partners komen niet meer naar het overleg en niemand voelt zich eigenaar."
    r = coach.retriever
    qvec = r.query_vector(question)
    rankings = coach.rankings(question, qvec)
    candidates = [p.chunk.id for p in r.fuse(rankings, k=learned.RERANK_K)]
    answer = coach.ask(question)
    ids = [p.chunk.id for p in answer.sources if p.rank < coach.weights.final_k]
    assert ids and set(ids) <= set(candidates)
    reranked = coach.rerank(question, qvec, rankings, dict(answer.blocks), r.dense_similarities(qvec))
    assert [p.chunk.id for p in reranked] == ids[:len(reranked)]
    assert [p.rank for p in reranked] == list(range(len(reranked)))
    saved = coach.weights
    try:
        coach.weights = dataclasses.replace(saved, learned_rerank=False)
        fused = [p.chunk.id for p in coach.ask(question).sources][:coach.weights.final_k]
    finally:
        coach.weights = saved
    assert fused == candidates[:len(fused)]
