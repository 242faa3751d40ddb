"""A conversation: the earlier exchanges a follow-up question needs, with one limit.

The offline coach reads the last question and its block (to understand "en hoe dan?"); the
optional language model reads the questions and answers. Both take the same ``Conversation``,
so a front end keeps one object per user and never converts it. It is immutable: ``add`` returns
a new conversation, which suits per-session state in the app.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MAX_TURNS = 20  # exchanges kept; older ones fall off (the model sees fewer, see prompts)


@dataclass(frozen=True)
class Exchange:
    """One question and the answer the user saw (Markdown), with the answer's blocks, best first,
    and its core claims as plain text (what a language model is shown of it)."""

    question: str
    answer: str = ""
    blocks: tuple[str, ...] = ()
    kern: str = ""
    kind: str = "answer"  # the answer's kind ("answer", "clarify", "out_of_scope", …)
    block: str | None = None  # the block the answer was about (chosen or found)
    runner_up: str | None = None  # the block that came close second, if any
    case: str | None = None  # the practice case shown, if any
    about: str = ""  # the situation a follow-up answered ("" : ``question`` itself)
    lang: str = ""


@dataclass(frozen=True)
class Conversation:
    exchanges: tuple[Exchange, ...] = ()
    limit: int = MAX_TURNS

    def add(self, answer) -> "Conversation":
        """The conversation with ``answer`` (an ``Answer``) as its newest exchange."""
        blocks = tuple(k for k, _ in answer.blocks)
        kern = answer.kern_text
        shown_case = next((p.case for p in answer.shown if p.role == "case"), None)
        return self.append(Exchange(answer.question, answer.markdown, blocks, kern, answer.kind,
                                    answer.block.key if answer.block else None,
                                    answer.runner_up.key if answer.runner_up else None,
                                    answer.case.key if answer.case else shown_case,
                                    answer.about, answer.lang))

    def append(self, exchange: Exchange) -> "Conversation":
        return Conversation((*self.exchanges, exchange)[-self.limit:], self.limit)

    @property
    def last(self) -> Exchange | None:
        return self.exchanges[-1] if self.exchanges else None

    def __len__(self) -> int:
        return len(self.exchanges)

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self.exchanges)

    def __bool__(self) -> bool:
        return bool(self.exchanges)


def as_conversation(history) -> Conversation:
    """``history`` as a ``Conversation``: one already, or a sequence of exchanges."""
    if isinstance(history, Conversation):
        return history
    return Conversation(tuple(history or ()))
