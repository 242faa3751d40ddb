"""The coach on the real magazine with the real e5-small index (integration)."""
import json

import pytest

from assistant.coach.conversation import Conversation

from .conftest import assert_citations_valid, run_cli

pytestmark = pytest.mark.slow

SITUATIONS = [
    ("Hoe bouwen we als partners aan onderling vertrouwen?", {"binding"}),
    ("Hoe maken we zichtbaar welke waarde ons netwerk oplevert, bijvoorbeeld met een monitor?", {"waarde"}),
    ("Wat is de bouwsteen Verankering?", {"verankering"}),
    ("Wie neemt bij ons de besluiten, en aan welke tafel? Onze overlegstructuur is een rommeltje.", {"organisatie"}),
]


@pytest.mark.parametrize("question,blocks", SITUATIONS)
def test_real_questions_get_every_part(real_coach, question, blocks):
    """Each answer has all parts, valid citations, and questions of the detected block: the magazine's
    passage whole, one or two questions shown and the rest behind "meer", every link of the block
    (best first), a practice passage only when the case model is sure enough."""
    a = real_coach.ask(question)
    assert a.in_scope and a.kind == "answer" and a.blocks[0][0] in blocks
    top = a.blocks[0][0]
    block = real_coach.blocks[top]
    assert 1 <= len(a.deepening) <= 2 and all(b == top for b, _ in a.deepening + a.more_deepening)
    assert sorted(q for _, q in a.deepening + a.more_deepening) == sorted(block.deepening_questions)
    assert sorted(s.to for s in a.stem) == sorted(s.to for s in block.stem_af_met)
    assert a.shown and a.shown[0].role == "magazine" and 25 <= a.shown[0].words <= 200
    if a.case is not None:
        case = [p for p in a.shown if p.role == "case"]
        assert len(case) == 1 and case[0].case == a.case.key and a.case_probability >= 0.6
    assert all(p.text in a.markdown.replace("**", "") for p in a.shown)
    assert len(a.citations) >= 1 and len(a.sources) >= 5
    assert_citations_valid(a, real_coach.retriever.chunks)


def test_deepening_questions_are_ranked_for_the_question(real_coach):
    """Different questions about one block bring different deepening questions first."""
    a = real_coach.ask("Hebben we gedeelde waarden en spelregels over hoe we samenwerken?", block="binding")
    b = real_coach.ask("Is er een veilige plek om spanningen en dilemma's te bespreken?", block="binding")
    assert a.deepening[0][1] != b.deepening[0][1]


def test_follow_up_stays_on_the_block_under_discussion(real_coach):
    """'en in een klein netwerk?' keeps the block of the previous question."""
    first = real_coach.ask("Hoe zorgen we dat elke partner weet wat zijn bijdrage aan het netwerk is?")
    follow = real_coach.ask("en in een klein netwerk?", history=Conversation().add(first))
    assert follow.blocks[0][0] == first.blocks[0][0]


def test_out_of_scope_and_english(real_coach):
    """Cooking is refused; an English question is answered in English with Dutch quotes."""
    assert not real_coach.ask("Wat is een goed recept voor erwtensoep?").in_scope
    en = real_coach.ask("How can a network show residents and the council that it deserves to exist?")
    assert en.in_scope and en.lang == "en" and "(in Dutch)" in en.markdown and "**Questions to discuss**" in en.markdown


def test_ask_json_cli_contract(real_settings):
    """`python -m assistant ask --json` prints one object with the contract's fields."""
    env = {"COACH_DATA_DIR": str(real_settings.data_dir), "COACH_EMBED_MODEL": "e5-small"}
    r = run_cli(["-m", "assistant", "ask", "Hoe houden we partners betrokken?", "--json"], env)
    assert r.returncode == 0, r.stderr.decode()
    d = json.loads(r.stdout)
    assert d["in_scope"] and d["blocks"] and d["citations"] and len(d["sources"]) >= 5
    sources = {s["chunk_id"]: s["text"] for s in d["sources"]}
    for c in d["citations"]:  # every [n] resolves to a listed source that holds the quote verbatim
        assert c["chunk_id"] in sources and c["quote"] in sources[c["chunk_id"]]


def test_ask_json_stdin_one_object_per_line(real_settings):
    """`ask --json -` answers each stdin line, even with invalid UTF-8 and empty lines."""
    env = {"COACH_DATA_DIR": str(real_settings.data_dir), "COACH_EMBED_MODEL": "e5-small"}
    stdin = b"Wat is binding?\n\n\xff\xfe kapot\nWat wordt het weer?\n"
    r = run_cli(["-m", "assistant", "ask", "--json", "-"], env, stdin=stdin)
    assert r.returncode == 0, r.stderr.decode()
    lines = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert len(lines) == 4 and lines[0]["in_scope"] and lines[1]["kind"] == "vague" and not lines[3]["in_scope"]


def test_ask_without_index_says_what_to_run(tmp_path):
    """No index: exit 2 and the command to build it."""
    r = run_cli(["-m", "assistant", "ask", "Wat is binding?"], {"COACH_DATA_DIR": str(tmp_path)})
    assert r.returncode == 2 and "python ingest.py" in r.stderr.decode()


@pytest.mark.parametrize("turns,lang", [
    (["Hoe bouwen we als partners aan onderling vertrouwen?", "kun je dat korter zeggen?",
      "en hoe pak ik dat dan aan?", "heb je nog een ander voorbeeld?", "Wat zeg ik dan precies tegen de wethouder?",
      "en de andere bouwsteen?"], "nl"),
    (["How do we build trust between the partners in our network?", "Can you say that shorter?",
      "How do I do that?", "Another example?", "What do I say to the alderman?", "And the other block?"], "en"),
])
def test_real_five_turn_conversation(real_coach, turns, lang):
    """A five-turn conversation on the real magazine, Dutch and English: every reply is about the
    first situation and shaped as asked; the cases shown are all different; citations stay valid."""
    conv, answers = Conversation(), []
    for q in turns:
        a = real_coach.ask(q, history=conv)
        conv = conv.add(a)
        answers.append(a)
    first, short, how, example, say, other = answers
    assert first.kind == "answer" and first.lang == lang and first.follow_up is None
    assert [a.follow_up for a in answers[1:]] == ["shorter", "how", "example", "say_to", "other_block"]
    assert all(a.lang == lang and a.about == turns[0] for a in answers[1:])
    visible = [p for p in short.shown if p.role != "more"]
    assert len(visible) == 1 and len(visible[0].sentences) <= 2 and len(short.deepening) == 1
    cases = [a.case.key for a in (first, how, example) if a.case is not None]
    assert how.case is not None and example.case is not None and len(set(cases)) == len(cases)
    assert how.shown[0].role == "case" and say.case is None and len(say.deepening) >= 2
    assert other.block.key != first.block.key
    for a in answers:
        assert_citations_valid(a, real_coach.retriever.chunks)
