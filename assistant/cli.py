"""The command line: ``python -m assistant ask|mozaiek|docs``."""
from __future__ import annotations

import argparse
import json
import sys

from .config import load_settings
from .errors import CoachError
from .logsetup import quiet_third_party


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cmd_mozaiek(args) -> int:
    from .knowledge import load_knowledge
    knowledge = load_knowledge(load_settings().corpus_path)
    if args.json:
        _print_json(knowledge.to_dict())
        return 0
    for b in knowledge.blocks:
        print(f"{b.name} — {b.tagline}")
        for q in b.deepening_questions:
            print(f"  · {q}")
    return 0


def cmd_ask(args) -> int:
    from .answer import Answer
    from .service import open_answerer
    coach = open_answerer(load_settings())
    if args.question == "-":
        # One answer per input line, in order, an empty line too (answered as vague): line N of
        # the output belongs to line N of the input.
        from .inputs import read_stdin_lines
        for question in read_stdin_lines(sys.stdin.buffer):
            answer = coach.ask(question, block=args.block, lang=args.lang)
            _print_json(answer.to_dict()) if args.json else print(answer.markdown + "\n")
        return 0
    if args.json:
        _print_json(coach.ask(args.question, block=args.block, lang=args.lang).to_dict())
        return 0
    shown, answer = "", None
    for item in coach.stream(args.question, block=args.block, lang=args.lang):
        if isinstance(item, Answer):
            answer = item
        else:
            sys.stdout.write(item)
            sys.stdout.flush()
            shown += item
    if not shown:
        print(answer.markdown)
    elif shown == answer.markdown:
        print()
    else:  # the model failed part-way: the offline answer (with its note) replaces what was shown
        print("\n\n" + answer.markdown)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant",
                                     description="Mozaïekcoach op de opdrachtregel.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_ask = sub.add_parser("ask", help="stel een vraag aan de coach")
    p_ask.add_argument("question", help="de vraag, of - om vragen per regel van stdin te lezen")
    p_ask.add_argument("--block", default=None, help="bouwsteen om op te focussen (bv. binding)")
    p_ask.add_argument("--lang", choices=("nl", "en"), default=None, help="taal van het antwoord")
    p_ask.add_argument("--json", action="store_true", help="antwoord als JSON")
    p_ask.set_defaults(func=cmd_ask)
    p_moz = sub.add_parser("mozaiek", help="toon de bouwstenen, praktijkverhalen en secties")
    p_moz.add_argument("--json", action="store_true")
    p_moz.set_defaults(func=cmd_mozaiek)
    from .docs_cli import add_arguments
    add_arguments(sub)
    args = parser.parse_args(argv)
    quiet_third_party()
    try:
        return args.func(args)
    except CoachError as err:
        print(f"Fout: {err}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:
        return 0
