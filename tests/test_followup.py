"""Follow-up intents: a short reply to the last answer is answered from the conversation
(``assistant/followup.py``, ``Coach.ask`` with a ``Conversation``). Fast: the fixture magazine."""
import pytest

from assistant.coach.conversation import Conversation
from assistant.coach.followup import detect

from .conftest import assert_citations_valid, mini_coach

REPLIES = [
    ("kun je dat korter zeggen?", "shorter"), ("Kan het in twee zinnen?", "shorter"),
    ("Can you say that shorter?", "shorter"), ("too long, summarise please", "shorter"),
    ("en hoe pak ik dat dan aan?", "how"), ("Kan het concreter?", "how"), ("Wat kan ik morgen doen?", "how"),
    ("How do I do that?", "how"), ("more concrete please", "how"),
    ("Heb je nog een ander voorbeeld?", "example"), ("nog een voorbeeld?", "example"),
    ("Another example?", "example"),
    ("En de andere bouwsteen?", "other_block"), ("And the other block?", "other_block"),
    ("Terug naar de vorige.", "back"), ("go back to the previous one", "back"),
    ("Wat zeg ik dan precies tegen de wethouder?", "say_to"), ("What do I say to the alderman?", "say_to"),
    ("Hoe bespreek ik deze vraag in mijn netwerk: “Wie neemt de besluiten?”", "discuss"),
]
NEW_SITUATIONS = ["Hoe krijg ik de wethouder aan tafel?", "Ruzie in de stuurgroep.", "Wat is binding?",
                  "De wethouder wil KPI's binnen een maand.", "How do we build trust between partners?",
                  "Hoe pakken we de samenwerking aan als de corporatie, de gemeente, de zorgaanbieder en de "
                  "bewoners elk iets anders willen van het netwerk in de wijk?"]


@pytest.mark.parametrize("text,intent", REPLIES)
def test_replies_are_recognised(text, intent):
    """Each follow-up phrasing, Dutch and English, is read as what it asks for."""
    got = detect(text)
    assert got is not None and got.intent == intent, text


@pytest.mark.parametrize("text", NEW_SITUATIONS)
def test_new_situations_are_not_follow_ups(text):
    """A question with a situation of its own starts fresh, even when it starts with "hoe"."""
    assert detect(text) is None


def test_say_to_and_discuss_keep_what_they_name():
    assert detect("Wat zeg ik dan precies tegen de wethouder?").who == "de wethouder"
    assert detect("Hoe bespreek ik deze vraag: “Wie neemt de besluiten?”").question == "Wie neemt de besluiten?"


@pytest.fixture(scope="module")
def coach():
    return mini_coach()


def _talk(coach, turns, lang=None):
    conv, answers = Conversation(), []
    for q in turns:
        a = coach.ask(q, lang=lang, history=conv)
        conv = conv.add(a)
        answers.append(a)
    return answers


def test_a_conversation_of_seven_turns_builds_on_itself(coach):
    """Situation → shorter → how → another example → the other block → back → a new situation:
    every reply is about the first situation, shaped as asked; the new one starts fresh."""
    first_q = "Hoe bouwen we aan vertrouwen tussen de partners?"
    first, short, how, example, other, back, new = _talk(coach, [
        first_q, "kun je dat korter zeggen?", "en hoe pak ik dat aan?", "heb je nog een voorbeeld?",
        "en de andere bouwsteen?", "terug naar de vorige", "Hoe maken we zichtbaar wat ons netwerk oplevert?"])
    assert first.kind == "answer" and first.follow_up is None and first.block.key == "binding"
    for a, intent in ((short, "shorter"), (how, "how"), (example, "example"), (other, "other_block"),
                      (back, "back")):
        assert a.kind == "answer" and a.follow_up == intent and a.about == first_q
        assert a.to_dict()["about"] == first_q and a.to_dict()["follow_up"] == intent
        assert_citations_valid(a, coach.retriever.chunks)
    # shorter: the same passage's core in at most two sentences, one question, nothing else visible
    main = next(p for p in first.shown if p.role == "magazine")
    core = [p for p in short.shown if p.role != "more"]
    assert len(core) == 1 and len(core[0].sentences) <= 2 and set(core[0].sentences) <= set(main.sentences)
    assert len(short.deepening) == 1 and short.deepening[0] == first.deepening[0] and short.case is None
    # how: practice first (one not shown yet), questions, the magazine's text behind "meer"
    assert how.shown[0].role == "case" and how.case.key != first.case.key
    assert any(p.role == "more" for p in how.shown) and how.deepening
    # another example: the fixture magazine has two cases and both were shown, so it says so
    assert example.case is None and "heb ik niet" in example.recognition and example.shown
    # the other block: the same situation from the block that came second
    assert other.block.key == first.blocks[1][0] and other.chosen_block is None
    # back: the block before
    assert back.block.key == first.block.key
    assert new.follow_up is None and new.about == "" and new.to_dict()["about"] == new.question


def test_say_to_gives_questions_for_that_person(coach):
    """"Wat zeg ik tegen de wethouder?" gives the block's questions to put on the table with the
    person named, and no quotes about other aldermen."""
    first, say = _talk(coach, ["Hoe bouwen we aan vertrouwen tussen de partners?",
                               "Wat zeg ik dan precies tegen de wethouder?"])
    assert say.follow_up == "say_to" and say.block.key == first.block.key
    assert "de wethouder" in say.recognition and len(say.deepening) >= 2
    assert not [p for p in say.shown if p.role in ("magazine", "case")] and say.case is None


def test_discuss_puts_the_clicked_question_first(coach):
    first = coach.ask("Hoe bouwen we aan vertrouwen tussen de partners?")
    question = first.more_deepening[0][1] if first.more_deepening else first.deepening[-1][1]
    a = coach.ask(f"Hoe bespreek ik deze vraag in mijn netwerk: “{question}”",
                  history=Conversation().add(first))
    assert a.follow_up == "discuss" and a.deepening[0][1] == question and a.exact_question == question


def test_english_conversation(coach):
    """The same in English: the replies are recognised and answered in English."""
    # (the fixture magazine's rules know little English: the first situation is asked in English mode)
    first, short, other = _talk(coach, ["Hoe bouwen we aan vertrouwen tussen de partners?",
                                        "Can you say that shorter?", "And the other block?"], lang="en")
    assert first.lang == "en" and short.lang == "en" and other.lang == "en"
    assert short.follow_up == "shorter" and short.recognition.startswith("In short")
    assert other.follow_up == "other_block" and other.block.key != first.block.key


def test_a_reply_without_an_earlier_answer_is_a_question_like_any_other(coach):
    a = coach.ask("kun je dat korter zeggen?")
    assert a.follow_up is None
    back = coach.ask("terug naar de vorige", history=Conversation().add(coach.ask("Wat is binding?")))
    assert back.follow_up == "back" and back.notes and "geen eerdere" in back.notes[0]
