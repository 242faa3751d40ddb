"""The command line: ``python -m assistant ask|mozaiek|docs|gaps``."""
from __future__ import annotations

import argparse
import json
import sys

from ..config import load_settings
from ..errors import CoachError
from ..util.logsetup import quiet_third_party


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cmd_mozaiek(args) -> int:
    from ..knowledge.model import load_knowledge
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
    from ..coach.answer import Answer
    from ..service import open_answerer
    coach = open_answerer(load_settings())
    if args.question == "-":
        # One answer per input line, in order, an empty line too (answered as vague): line N of
        # the output belongs to line N of the input.
        from .inputs import read_stdin_lines
        for question in read_stdin_lines(sys.stdin.buffer):
            answer = coach.ask(question, block=args.block, lang=args.lang)
            _print_json(_with_id(answer)) if args.json else print(answer.markdown + "\n")
        return 0
    if args.json:
        _print_json(_with_id(coach.ask(args.question, block=args.block, lang=args.lang)))
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


def _with_id(answer) -> dict:
    """The answer as JSON with a random ``answer_id`` (the id the app's feedback refers to)."""
    import secrets
    return {**answer.to_dict(), "answer_id": secrets.token_urlsafe(12)}


def _since(text: str | None) -> float | None:
    from datetime import datetime, timezone

    from ..errors import InputError
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        raise InputError(f"--since {text!r} is geen datum; schrijf hem als JJJJ-MM-DD, bv. 2026-12-01.") from None


def cmd_gaps(args) -> int:
    """The gaps report from the feedback (issue 21); also the evals export and delete-all."""
    from pathlib import Path

    from ..usage import feedback
    settings = load_settings()
    store = feedback.FeedbackStore(feedback.default_path(settings.data_dir), enabled=settings.feedback,
                                   days=settings.feedback_days)
    if args.delete_all:
        n = store.delete_all()
        print(f"Alle feedback verwijderd ({n} reacties).")
        return 0
    since = _since(args.since)
    store.purge()
    rows = store.rows(since)
    if not settings.feedback and not rows:
        print("Feedback staat uit (zet COACH_FEEDBACK=on); er is geen feedback bewaard.", file=sys.stderr)
    if args.export_evals:
        n = feedback.write_eval_lines(rows, Path(args.export_evals))
        print(f"{n} vragen geschreven naar {args.export_evals} (\"source\": \"use\"); laat ze nakijken "
              "voor een nieuwe held-out set (zie README).", file=sys.stderr)
    if args.csv:
        from ..util.atomic import atomic_write_text
        atomic_write_text(Path(args.csv), feedback.rows_csv(rows))
    report = feedback.gaps_report(rows, since)
    if args.json:
        _print_json(report)
    elif not args.export_evals:
        sys.stdout.write(feedback.report_markdown(report, args.lang))
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
    p_gaps = sub.add_parser("gaps", help="wat de coach mist: overzicht van de feedback van gebruikers")
    p_gaps.add_argument("--since", default=None, help="alleen feedback vanaf deze datum (JJJJ-MM-DD)")
    p_gaps.add_argument("--json", action="store_true", help="het overzicht als JSON")
    p_gaps.add_argument("--csv", default=None, metavar="FILE", help="schrijf alle reacties als CSV naar FILE")
    p_gaps.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal van het Markdown-overzicht")
    p_gaps.add_argument("--export-evals", default=None, metavar="FILE",
                        help="schrijf de beoordeelde vragen als eval-regels (JSON Lines) naar FILE")
    p_gaps.add_argument("--delete-all", action="store_true", help="verwijder alle bewaarde feedback")
    p_gaps.set_defaults(func=cmd_gaps)
    from .docs import add_arguments
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
