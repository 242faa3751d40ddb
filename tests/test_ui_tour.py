"""The tour tab's handlers, called directly: every page and link in the chosen language."""
from __future__ import annotations

import pytest

from assistant.knowledge.model import load_knowledge
from assistant.ui.tabs import tour

from .conftest import MINI_CORPUS


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(MINI_CORPUS)


def linked(knowledge):
    """The index of a block with at least one 'stem af met' link inside the magazine."""
    return next(i for i, b in enumerate(knowledge.blocks) if tour.stem_links(knowledge, b))


def test_a_stem_link_keeps_english(knowledge):
    """Following a 'stem af met' link in English shows the next block in English."""
    start = linked(knowledge)
    view = tour.goto_stem(knowledge, start, 0, "en")
    target = tour.stem_links(knowledge, knowledge.blocks[start])[0].to
    assert knowledge.blocks[view["index"]].key == target
    assert "<strong>Key questions</strong>" in view["page"] and "Korte toelichting" not in view["page"]


def test_a_dutch_page_has_dutch_headings(knowledge):
    """The same page in Dutch has the magazine's headings, in short sections: the explanation open,
    the rest one click away."""
    page = tour.show(knowledge, 0, "nl")["page"]
    assert "<details open><summary><strong>Korte toelichting</strong>" in page
    assert "<details><summary><strong>Verdiepende vragen</strong>" in page


def test_prev_and_next_pass_the_opening_page(knowledge):
    """The tour opens on its start page; 'Volgende' goes to the first block, 'Vorige' on the first
    block back to the start, and from the start 'Vorige' to the last block."""
    n = len(knowledge.blocks)
    assert tour.step(knowledge, None, 1) == 0 and tour.step(knowledge, 0, -1) is None
    assert tour.step(knowledge, None, -1) == n - 1 and tour.step(knowledge, n - 1, 1) is None
    assert tour.show(knowledge, -1)["index"] == n - 1 and tour.show(knowledge, n)["index"] == 0


@pytest.mark.parametrize("lang,heads", [("nl", ["Het Netwerkmozaïek in het kort", "Waar begin je?",
                                                "Vragen en verdiepende vragen"]),
                                        ("en", ["The Netwerkmozaïek in brief", "Where to begin?",
                                                "Questions and deepening questions"])])
def test_the_opening_page_says_what_it_is_and_where_to_begin(knowledge, lang, heads):
    """The start: what the Netwerkmozaïek is, every block in one line, where to begin, and how
    "Vragen" differ from "Verdiepende vragen"; asking the coach from here asks about the whole."""
    view = tour.show(knowledge, None, lang)
    assert view["index"] is None and view["block"] == "Start" and not view["cases"]
    assert all(h in view["page"] for h in heads)
    assert all(f"**{b.name}** — {b.tagline}" in view["page"] for b in knowledge.blocks)
    key, question = tour.question_about(knowledge, None, lang)
    assert key is None and "Netwerkmozaïek" in question


def test_link_buttons_name_the_linked_blocks(knowledge):
    """The link buttons name exactly the block's links; unused slots are hidden (None)."""
    start = linked(knowledge)
    view = tour.show(knowledge, start)
    names = [knowledge.block(s.to).name for s in tour.stem_links(knowledge, knowledge.blocks[start])]
    assert view["stems"][:len(names)] == names and view["stems"][len(names):] == [None] * (3 - len(names))


def test_case_detail_shows_people_and_a_passage(knowledge):
    """Choosing a case shows its people and the opening of its story, labels in the chosen language."""
    case = knowledge.cases[0]
    text = tour.case_detail(knowledge, case.network, "en")
    assert case.people[0].name in text and "**Building blocks:**" in text
    assert text.split("> ", 1)[1].strip()  # a passage from the magazine
    assert tour.case_detail(knowledge, "geen bestaand netwerk") == ""
    view = tour.show(knowledge, next(i for i, b in enumerate(knowledge.blocks) if b.key in case.blocks))
    assert (tour.case_label(case), case.network) in view["cases"]  # named by place and network


def test_ask_the_coach_about_a_block(knowledge):
    """'Vraag de coach' takes the block and a question about it, in the chosen language."""
    key, question = tour.question_about(knowledge, 0, "en")
    assert key == knowledge.blocks[0].key and knowledge.blocks[0].name in question
    assert question.startswith("What does the building block")


def test_the_opening_page_shows_no_empty_links_or_stories(knowledge):
    """The opening page has no 'stem af met' links nor practice stories, so their heading and the
    empty story choice are hidden there; a block's page shows them."""
    start, block = tour.updates(tour.show(knowledge, None)), tour.updates(tour.show(knowledge, 0))
    assert start[-1]["visible"] is False and block[-1]["visible"] is True
    assert len(start) == len(tour.outputs(tour.SimpleNamespace(index=0, mosaic=0, page=0, stems=[0] * tour.STEM_SLOTS,
                                                                cases=0, case=0, pick=0, extras=0)))
