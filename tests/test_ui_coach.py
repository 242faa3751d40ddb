"""The Coach tab's handlers, called directly (no Gradio server): fixture coach, FAKE holder."""
from __future__ import annotations

import gradio as gr
import pytest

from assistant.conversation import Conversation
from assistant.ui import coach

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
    chat, conv, mosaic, deepening, box, which = steps[-1]
    assert box == "" and "Meer vragen en afstemming" in chat[1]["content"] and "**Bronnen**" not in chat[1]["content"]
    assert conv.last.answer.startswith(chat[1]["content"].split("<details")[0]) and "**Bronnen**" in conv.last.answer
    assert chat[-1]["content"].startswith("<details class='sources'><summary>Bronnen (") and "[1]" in chat[-1]["content"]
    assert "mz-lit" in mosaic and deepening


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
    chat, conv2, mosaic, deep, box, which = last(coach.respond(holder, "   ", [], conv, None, "nl"))
    assert chat == [] and conv2 is conv and mosaic is None and deep is None


def test_while_the_index_is_built_the_user_is_told_to_wait():
    """Without a coach yet, asking gives a friendly 'Even geduld' error with the holder's message."""
    building = FakeHolder(state="building", message="De zoekindex wordt gebouwd (40%)")
    with pytest.raises(gr.Error) as err:
        last(coach.respond(building, Q1, [], Conversation(), None, "nl"))
    assert err.value.title == "Even geduld" and "40%" in err.value.message


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
    *_, conv, _, _, _, _ = last(coach.respond(holder, "Hoe houden we de samenwerking gaande?", [], Conversation(), key,
                                         "nl"))
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


def test_a_deepening_question_becomes_a_follow_up_in_the_chosen_language():
    """Clicking a deepening question asks about it, in Dutch or English."""
    assert coach.follow_up("Wie beslist?", "nl") == "Hoe kunnen we deze vraag in ons netwerk bespreken: Wie beslist?"
    assert coach.follow_up("Wie beslist?", "en").startswith("How can we discuss")
    assert coach.follow_up(None, "nl") is None


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
    from assistant.answer import Answer, BlockRef
    from assistant.knowledge import load_knowledge

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
    key, mosaic, label, box = coach.choose_between(knowledge, "waarde", conv, "nl")
    assert key == "waarde" and box == Q1 and "Waarde" in label and "data-block='waarde'" in mosaic
    assert coach.choose_between(knowledge, None, conv, "nl") is None
    assert "Gaat het vooral om **Binding**" in unsure.markdown and "Of om **Waarde**" in unsure.markdown
    assert "hieronder" in unsure.markdown and "hierboven" not in unsure.markdown
    assert unsure.to_dict()["uncertain"] is True
