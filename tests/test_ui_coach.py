"""The Coach tab's handlers, called directly (no Gradio server): fixture coach, FAKE holder."""
from __future__ import annotations

import gradio as gr
import pytest

from assistant.coach.conversation import Conversation
from assistant.ui.tabs import coach

from .ui_fakes import FakeHolder

Q1 = "Hoe bouwen partners aan vertrouwen?"
Q2 = "En hoe houden we dat vol?"


@pytest.fixture(scope="module")
def holder():
    return FakeHolder()


def last(steps):
    return list(steps)[-1]


def test_second_question_gets_the_first_exchange_as_history(holder):
    """The conversation in the session is passed on whole: the second question carries the first exchange."""
    holder.answerer.histories.clear()
    chat, conv, *_ = last(coach.respond(holder, Q1, [], Conversation(), None, "nl"))
    last(coach.respond(holder, Q2, chat, conv, None, "nl"))
    first, second = holder.answerer.histories
    assert isinstance(second, Conversation) and len(first) == 0
    assert [e.question for e in second] == [Q1] and "**" in second.last.answer and len(second.last.answer) > 200


def test_the_conversation_keeps_its_one_limit(holder):
    """Only the newest exchanges stay, as many as the conversation's limit."""
    conv = Conversation(limit=2)
    chat = []
    for q in (Q1, Q2, "Wat is binding?"):
        chat, conv, *_ = last(coach.respond(holder, q, chat, conv, None, "nl"))
    assert [e.question for e in conv] == [Q2, "Wat is binding?"]


def test_answer_streams_then_ends_with_its_sources_box(holder):
    """The answer grows step by step, then a collapsible 'Bronnen (n)' box follows it; the sources are
    in that box only, not also in the answer's own "meer" part (the exported conversation keeps them)."""
    steps = list(coach.respond(holder, Q1, [], Conversation(), None, "nl"))
    lengths = [len(s[0][1]["content"]) for s in steps]
    assert len(steps) > 3 and lengths == sorted(lengths)
    chat, conv, mosaic, deepening, box, which, stems = steps[-1]
    assert box == "" and "Meer vragen en afstemming" in chat[1]["content"] and "**Bronnen**" not in chat[1]["content"]
    assert conv.last.answer.startswith(chat[1]["content"].split("<details")[0]) and "**Bronnen**" in conv.last.answer
    assert chat[-1]["content"].startswith("<details class='sources'><summary>Bronnen (") and "[1]" in chat[-1]["content"]
    assert "mz-lit" in mosaic and deepening and stems
    # the choices name the questions the answer shows ("Vraag 1", …) and the linked blocks: nothing twice
    assert [label for label, _ in deepening] == [f"Vraag {n}" for n in range(1, len(deepening) + 1)]
    answer_text = chat[1]["content"]
    assert all(q in answer_text for _, q in deepening)
    known = {b.key for b in holder.knowledge.blocks}
    assert {key for _, key in stems} == {s.to for s in holder.coach.blocks[conv.last.block].stem_af_met} & known


def test_english_answer_has_english_sources_title(holder):
    """With the English switch the sources box is titled 'Sources (n)'."""
    chat, *_ = last(coach.respond(holder, Q1, [], Conversation(), None, "en"))
    assert "<summary>Sources (" in chat[-1]["content"]


def test_html_in_a_question_is_shown_as_text(holder):
    """A question with a script tag is escaped in the chat, never passed on as HTML."""
    chat, *_ = last(coach.respond(holder, "<script>alert(1)</script> vertrouwen?", [], Conversation(), None, "nl"))
    assert chat[0]["content"].startswith("&lt;script&gt;")


def test_empty_question_changes_nothing(holder):
    """An empty question leaves chat and conversation as they were."""
    conv = Conversation()
    chat, conv2, mosaic, deep, box, which, stems = last(coach.respond(holder, "   ", [], conv, None, "nl"))
    assert chat == [] and conv2 is conv and mosaic is None and deep is None


def test_a_question_asked_while_the_coach_is_built_is_kept_and_answered(monkeypatch):
    """Asking before the coach is ready gives no error: the chat says "ik ben zo klaar" with what is
    going on (the models are being trained), and the answer follows as soon as the coach is ready."""
    monkeypatch.setattr(coach, "WAIT_POLL_S", 0.01)
    ready = FakeHolder()

    class Building(FakeHolder):  # FAKE: the coach becomes ready after a few looks
        looks = 0

        @property
        def answerer(self):
            Building.looks += 1
            return ready.answerer if Building.looks > 3 else None

        @answerer.setter
        def answerer(self, value):
            pass

        def phase(self):
            return "training", 0, 0

    building = Building(state="building")
    shown, steps = [], []
    for step in coach.respond(building, Q1, [], Conversation(), None, "nl"):
        shown.append(step[0][1]["content"])
        steps.append(step)
    waiting = shown[0]
    assert waiting.startswith("⏳ Ik ben zo klaar") and "getraind" in waiting
    chat, conv, *_ = steps[-1]
    assert len(conv) == 1 and chat[0]["content"] == Q1 and "bouwsteen" in chat[1]["content"]


def test_a_failed_build_still_says_so():
    """When the index could not be built, asking gives the holder's message in a friendly error box."""
    broken = FakeHolder(state="error", message="De index kon niet worden gebouwd: schijf vol")
    with pytest.raises(gr.Error) as err:
        last(coach.respond(broken, Q1, [], Conversation(), None, "nl"))
    assert "schijf vol" in err.value.message


def test_chip_chooses_a_block_and_a_second_click_clears_it(holder):
    """Clicking a chip lights its tile and names it; clicking it again clears the choice."""
    key = holder.knowledge.blocks[0].key
    chosen, mosaic, label = coach.pick_block(holder.knowledge, key, None, "nl")
    assert chosen == key and mosaic.count("mz-lit") == 1 and holder.knowledge.blocks[0].name in label
    chosen, mosaic, label = coach.pick_block(holder.knowledge, key, key, "en")
    assert chosen is None and "mz-lit" not in mosaic and label.startswith("No building block chosen")


def test_chosen_block_steers_the_answer(holder):
    """A chosen block is passed to the coach and the answer is about it."""
    key = holder.knowledge.blocks[-1].key
    _, conv, *_ = last(coach.respond(holder, "Hoe houden we de samenwerking gaande?", [], Conversation(), key, "nl"))
    assert conv.last.blocks[0] == key


def test_export_writes_every_question_and_nothing_without_a_conversation(holder):
    """Saving gives a Markdown file with each question; with no conversation there is no file."""
    _, conv, *_ = last(coach.respond(holder, Q1, [], Conversation(), None, "nl"))
    path = coach.export_chat(conv, "nl")
    text = open(path, encoding="utf-8").read()
    assert text.startswith("# Mozaïekcoach — gesprek") and Q1.rstrip("?") in text
    assert coach.export_chat(Conversation(), "nl") is None


def test_clear_empties_chat_conversation_and_choice(holder):
    """'Wis gesprek' empties the chat, the conversation and the chosen block."""
    chat, conv, chosen, mosaic, deep, label = coach.clear_chat(holder.knowledge, "en")
    assert chat == [] and len(conv) == 0 and chosen is None and deep == []
    assert "mz-lit" not in mosaic and label.startswith("No building block")


def test_a_deepening_question_becomes_a_follow_up_in_the_chosen_language(holder):
    """Clicking a deepening question asks how to discuss *that* question, in Dutch or English, and
    the coach answers it with that question first; a "stem af met" click shows the same situation
    from the block clicked."""
    assert coach.follow_up("Wie beslist?", "nl") == "Hoe bespreek ik deze vraag in mijn netwerk: “Wie beslist?”"
    assert coach.follow_up("Wie beslist?", "en").startswith("How do I discuss this question")
    assert coach.follow_up(None, "nl") is None
    chat, conv, _, deep, *_ , stems = last(coach.respond(holder, Q1, [], Conversation(), None, "nl"))
    question = deep[-1][1]
    _, conv2, *_ = last(coach.respond(holder, coach.follow_up(question, "nl"), chat, conv, None, "nl"))
    assert conv2.last.question.startswith("Hoe bespreek ik") and question in conv2.last.answer
    assert conv2.last.answer.index(question) < conv2.last.answer.index("Vragen om te bespreken") + 200
    name, key = stems[0]
    _, conv3, *_ = last(coach.respond(holder, coach.to_block(holder.knowledge, key, "nl"), chat, conv, None, "nl"))
    assert conv3.last.block == key and conv3.last.about == Q1


def test_api_ask_returns_the_ask_json(holder):
    """/ask gives the same fields as `ask --json`, without any conversation."""
    data = coach.api_ask(holder, Q1, "", "")
    assert {"question", "lang", "in_scope", "blocks", "answer", "citations", "sources"} <= set(data)
    assert data["question"] == Q1 and len(holder.answerer.histories[-1]) == 0


def test_examples_exist_in_both_languages():
    """Every group of example questions has an English twin with as many questions."""
    nl, en = coach.examples("nl"), coach.examples("en")
    assert [len(s) for _, s in nl] == [len(s) for _, s in en] and nl[0][0] != en[0][0]


def test_two_close_blocks_are_offered_as_a_choice_that_asks_again():
    """When the coach asks first (two blocks too close), the app offers both; choosing one focuses it
    and asks the last question again. An answer that merely notes a close second offers nothing."""
    from assistant.coach.answer import Answer, BlockRef
    from assistant.knowledge.model import load_knowledge

    from .conftest import MINI_CORPUS
    knowledge = load_knowledge(MINI_CORPUS)
    binding, waarde = BlockRef("binding", "Binding", "Zorg voor …"), BlockRef("waarde", "Waarde", "Zorg voor …")
    unsure = Answer(question=Q1, lang="nl", in_scope=True, kind="clarify", blocks=(("binding", 0.5), ("waarde", 0.45)),
                    block=binding, runner_up=waarde, uncertain=True)
    assert coach.block_choices(unsure) == [("Binding", "binding"), ("Waarde", "waarde")]
    noted = Answer(question=Q1, lang="nl", in_scope=True, kind="answer", blocks=(("binding", 0.6), ("waarde", 0.4)),
                   block=binding, runner_up=waarde, uncertain=True)
    assert coach.block_choices(noted) == []
    assert coach.block_choices(Answer(question=Q1, lang="nl", in_scope=True, kind="answer", block=binding)) == []
    conv = Conversation().add(unsure)
    mosaic, reply = coach.choose_between(knowledge, "waarde", conv, "nl")
    assert reply == "Waarde" and "data-block='waarde'" in mosaic
    assert coach.choose_between(knowledge, None, conv, "nl") is None
    assert "Gaat het vooral om **Binding**" in unsure.markdown and "Of om **Waarde**" in unsure.markdown
    assert "hieronder" in unsure.markdown and "hierboven" not in unsure.markdown
    assert unsure.to_dict()["uncertain"] is True


def test_choosing_a_block_answers_the_question_asked_without_repeating_it(holder):
    """After the coach asked which of two blocks it is, the reply is just the block's name; the coach
    answers the earlier question with that block."""
    from assistant.coach.answer import Answer, BlockRef
    binding, waarde = BlockRef("binding", "Binding", "Zorg voor …"), BlockRef("waarde", "Waarde", "Zorg voor …")
    unsure = Answer(question=Q1, lang="nl", in_scope=True, kind="clarify", blocks=(("binding", 0.5), ("waarde", 0.45)),
                    block=binding, runner_up=waarde, uncertain=True)
    conv = Conversation().add(unsure)
    _, reply = coach.choose_between(holder.knowledge, "waarde", conv, "nl")
    chat, conv2, *_ = last(coach.respond(holder, reply, [], conv, None, "nl"))
    assert chat[0]["content"] == "Waarde" and conv2.last.block == "waarde" and conv2.last.about == Q1
    assert conv2.last.kind == "answer"
