"""Overleg voorbereiden over the fixture magazine (fake embedder): the sheet and its two renderings."""
from __future__ import annotations

import pytest

from assistant.present import markdown as render
from assistant.errors import InputError
from assistant.coach.prep import prepare_meeting

from .conftest import mini_coach


@pytest.fixture(scope="module")
def coach(tmp_path_factory):
    from assistant.config import load_settings

    from .conftest import MINI_CORPUS
    data = tmp_path_factory.mktemp("prep")
    return mini_coach(load_settings({"COACH_DATA_DIR": str(data / "data"), "COACH_CORPUS": str(MINI_CORPUS)}))


def test_sheet_has_focus_agenda_links_and_a_case_from_the_magazine(coach):
    """Two focus blocks (best and runner-up), 5–8 agenda questions of those blocks as printed, their
    stem-af-met links and a cited case."""
    sheet = prepare_meeting(coach, "Kwartaaloverleg", "Partners vertrouwen elkaar niet meer en haken af.")
    keys = [b.key for b, _ in sheet.focus]
    assert len(keys) == 2 and keys[0] == "binding"
    assert 5 <= len(sheet.agenda) <= 8
    for item in sheet.agenda:
        block = coach.blocks[item.block]
        assert item.block in keys
        assert item.question in (block.deepening_questions if item.kind == "verdiepend" else block.key_questions)
    assert {s.frm for s in sheet.stem} == set(keys)
    assert sheet.case is not None and sheet.case.n in {c.n for c in sheet.citations}
    # the coach's passages, whole and introduced as in the chat answer
    md = render.prep_markdown(sheet)
    assert [p.role for p in sheet.shown][:2] == ["magazine", "case"]
    for p in sheet.shown[:2]:
        assert p.intro in md and all(f"[{n}]" in md for n in p.cites)
        assert (p.text.replace(p.bold, f"**{p.bold}**", 1) if p.bold else p.text) in md


def test_a_chosen_block_leads_the_sheet(coach):
    sheet = prepare_meeting(coach, "Startbijeenkomst", "We willen weten waar we samen voor staan.", ["opgave"])
    assert [b.key for b, _ in sheet.focus] == ["opgave"]
    block = coach.blocks["opgave"]
    pool = len(block.deepening_questions) + len(block.key_questions)
    assert {a.block for a in sheet.agenda} == {"opgave"} and len(sheet.agenda) == min(6, pool)


def test_too_little_to_go_on_is_a_clear_message(coach):
    with pytest.raises(InputError, match="Vertel in een paar woorden"):
        prepare_meeting(coach, "", "hoi")
    with pytest.raises(InputError, match="Tell me in a few words"):
        prepare_meeting(coach, "", "hi", lang="en")


def test_user_text_is_shown_as_text_in_markdown_and_html(coach):
    """Markup typed by the user is escaped in both renderings; the magazine's text is kept."""
    sheet = prepare_meeting(coach, "<script>alert(1)</script> overleg", "**Partners** haken af [klik](http://x.invalid)")
    md, page = render.prep_markdown(sheet), render.prep_html(sheet)
    assert "&lt;script&gt;" in md and "&#42;&#42;Partners&#42;&#42;" in md and "&#91;klik&#93;" in md
    assert "<script>" not in md and "**Partners**" not in md
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.startswith("<!doctype html><html lang='nl'>") and "Voorbereiding overleg" in page
    for item in sheet.agenda:
        assert item.question in md


def test_sheet_has_room_for_notes_and_numbered_sources_the_passages_refer_to(coach):
    """The sheet (Markdown and print HTML) has a notes section and a decisions table to fill in, and
    its sources as a numbered list, one per line, with every [n] used on the sheet among them."""
    import re
    sheet = prepare_meeting(coach, "Kwartaaloverleg", "Partners vertrouwen elkaar niet meer en haken af.")
    md = render.prep_markdown(sheet)
    assert "## Aantekeningen" in md and "## Besluiten en afspraken" in md and "| Wat | Wie | Wanneer |" in md
    sources = md.split("## Bronnen", 1)[1]
    listed = re.findall(r"^- \[(\d+)\] ", sources, re.M)
    assert listed == [str(c.n) for c in sheet.citations]
    used = {int(n) for n in re.findall(r"\[(\d+)\]", md.split("## Bronnen", 1)[0])}
    assert used and used <= {c.n for c in sheet.citations}
    page = render.prep_html(sheet)
    assert "<h2>Aantekeningen</h2>" in page and "<table class='decide'>" in page
    assert all(f"<li value='{c.n}' id='bron-{c.n}'>" in page for c in sheet.citations)


def test_blocks_from_the_learning_circle_are_all_on_the_sheet_and_say_so(coach):
    """Four blocks handed over by the learning circle: all four on the sheet, each "uit de leerkring"
    (not "je koos deze bouwsteen zelf")."""
    keys = [k for k in coach.block_keys][:4]
    sheet = prepare_meeting(coach, "Vervolg op de leerkring", "De groep scoorde deze bouwstenen laag.", keys,
                            chosen_by="leerkring")
    assert [b.key for b, _ in sheet.focus] == keys
    assert all(why == "uit de leerkring" for _, why in sheet.focus)
    own = prepare_meeting(coach, "Kwartaaloverleg", "Partners vertrouwen elkaar niet meer.", keys[:1])
    assert own.focus[0][1] == "je koos deze bouwsteen zelf"
