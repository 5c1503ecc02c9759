"""The ``nssf-bot`` command line.

Every command imports what it needs when it runs, so ``nssf-bot ask`` never loads
Telegram or the database, and importing this module has no side effects.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from faq.content import Faq
    from faq.evaluation import Tally
    from faq.matcher import Decision, Matcher

__all__ = ["main"]


def _matcher() -> tuple[Faq, Matcher]:
    from faq.content import load_faq
    from faq.matcher import Matcher

    faq = load_faq()
    return faq, Matcher(faq)


def _decision_json(faq: Faq, query: str, decision: Decision, lang: str) -> dict[str, object]:
    answer = None
    if decision.answer_id is not None:
        entry = faq.get(decision.answer_id)
        answer = entry.answer.get(lang) if entry else None
    return {
        "query": query,
        "decision": decision.kind,
        "matches": [{"id": m.id, "score": m.score} for m in decision.matches],
        "answer": answer,
    }


# --- ask -------------------------------------------------------------------------------


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    """Answer one question, or one question per line of stdin with --jsonl."""
    faq, matcher = _matcher()
    if args.jsonl:
        for line in sys.stdin:
            query = line.rstrip("\r\n")
            record = _decision_json(faq, query, matcher.match(query), args.lang)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    if args.question is None:
        print(
            "nssf-bot ask: give a question, or --jsonl to read questions from stdin",
            file=sys.stderr,
        )
        return 2
    decision = matcher.match(args.question)
    out.write(f"decision: {decision.kind}")
    out.write(f" ({decision.reason})\n" if decision.reason else "\n")
    for match in decision.matches:
        entry = faq.get(match.id)
        question = entry.question.get(args.lang) if entry else ""
        out.write(f"  {match.score:5.1f}  {match.id}  {question}\n")
    if decision.answer_id is not None:
        entry = faq.get(decision.answer_id)
        if entry is not None:
            out.write("\n" + entry.answer.get(args.lang).rstrip() + "\n")
    return 0


# --- eval ------------------------------------------------------------------------------


def _tally_line(label: str, tally: Tally) -> str:
    if not tally.rows:
        return f"{label:<16} {0:>4}"
    return (
        f"{label:<16} {tally.rows:>4}   top-1 {tally.share(tally.top1):5.1f} %"
        f"   top-3 {tally.share(tally.top3):5.1f} %"
    )


def _direct_line(label: str, tally: Tally) -> str:
    return (
        f"{label:<16} {tally.rows:>4}   direct right {tally.share(tally.direct_right):5.1f} %"
        f"   direct WRONG {tally.share(tally.direct_wrong):4.1f} %"
        f"   ({tally.direct_right} / {tally.direct_wrong})"
    )


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    """Measure the matcher on a labelled TSV file (expected, kind, text)."""
    from faq.evaluation import EvalError, evaluate, known_ids, read_rows, without_spaces

    faq, matcher = _matcher()
    path = Path(args.file)
    try:
        rows = read_rows(path, known_ids(faq) | set(args.pending))
    except EvalError as error:
        print(f"nssf-bot eval: {error}", file=sys.stderr)
        return 2
    if args.no_spaces:
        rows = without_spaces(rows)
    report = evaluate(matcher, rows)
    ranked = report.in_scope
    out.write(f"{path.name}: {len(rows)} questions\n")
    out.write(_tally_line("overall", report.overall) + "\n")
    out.write(_tally_line("in scope", report.in_scope) + "\n")
    out.write(
        f"{'  ranking only':<16} {ranked.rows:>4}   top-1 {ranked.share(ranked.ranked1):5.1f} %"
        f"   top-3 {ranked.share(ranked.ranked3):5.1f} %   (best matches, whatever the decision)\n"
    )
    for kind in sorted(report.by_kind):
        out.write(_tally_line(f"  {kind}", report.by_kind[kind]) + "\n")
    out.write(_direct_line("in scope", report.in_scope) + "\n")
    for kind in sorted(report.by_kind):
        if report.by_kind[kind].ranked3 or report.by_kind[kind].direct_right:
            out.write(_direct_line(f"  {kind}", report.by_kind[kind]) + "\n")
    if report.absent_ids:
        absent = ", ".join(sorted(report.absent_ids))
        out.write(
            f"without the {report.absent_rows} rows for entries this FAQ lacks ({absent}):\n"
        )
        out.write(_tally_line("  in scope", report.in_scope_present) + "\n")
        out.write(_direct_line("  in scope", report.in_scope_present) + "\n")
    none_rows = report.none_rows
    out.write(
        f"false answers on none rows: {report.false_answers}/{none_rows.rows}"
        f" ({none_rows.share(report.false_answers):.1f} %)\n"
    )
    person = report.person_rows
    if person.rows:
        out.write(f"person requests recognised: {person.top1}/{person.rows}\n")
    decisions = ", ".join(f"{k} {v}" for k, v in sorted(report.decisions.items()))
    out.write(f"decisions: {decisions}\n")
    out.write(
        "(top-1: the first match is the expected entry and the bot shows it, as an answer\n"
        " or as the first choice; on none rows, a hit is the decision none, on person rows\n"
        " the decision person; direct: answered outright, right or WRONG, of in-scope rows)\n"
    )
    misses = report.misses()
    if misses and not args.quiet:
        out.write(f"\nmisses ({len(misses)}):\n")
        for miss in misses:
            got = ", ".join(f"{m.id} {m.score:.0f}" for m in miss.decision.matches) or "-"
            out.write(
                f"  [{miss.row.kind}] expected {miss.row.expected}, got {miss.decision.kind}:"
                f" {got}\n      {miss.row.text}\n"
            )
    return 0


# --- faq -------------------------------------------------------------------------------


def cmd_faq_list(args: argparse.Namespace, out: TextIO) -> int:
    """List the FAQ entries, or dump every field as JSON."""
    from faq.content import load_faq

    faq = load_faq()
    if args.json:
        payload = [entry.model_dump(mode="json") for entry in faq.entries]
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    for entry in faq.entries:
        out.write(
            f"{entry.id}  [{entry.category}]  reviewed {entry.last_reviewed}, "
            f"due {entry.review_due}{'  (caution)' if entry.caution else ''}\n"
            f"    km: {entry.question.km}\n    en: {entry.question.en}\n"
        )
    out.write(f"{len(faq.entries)} entries in {len(faq.categories)} categories\n")
    return 0


def cmd_faq_check(args: argparse.Namespace, out: TextIO) -> int:
    """Validate the FAQ files; exit 1 if any error is found."""
    from faq.content import DATA_DIR, check_faq

    data_dir = Path(args.data_dir) if args.data_dir else DATA_DIR
    problems = check_faq(data_dir)
    for problem in problems:
        out.write(f"{problem}\n")
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    out.write(f"{errors} error(s), {warnings} warning(s)\n")
    return 1 if errors else 0


# --- wiring ----------------------------------------------------------------------------

Command = Callable[[argparse.Namespace, TextIO], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``nssf-bot`` command."""
    parser = argparse.ArgumentParser(
        prog="nssf-bot", description="Khmer/English NSSF helpdesk bot for Cambodian workers."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = commands.add_parser("ask", help="match a question against the FAQ")
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    ask.add_argument(
        "--jsonl", action="store_true", help="read questions from stdin, write JSON lines"
    )
    ask.add_argument("--lang", choices=["km", "en"], default="km", help="answer language")
    ask.set_defaults(handler=cmd_ask)

    evaluate = commands.add_parser("eval", help="measure matching on a labelled TSV file")
    evaluate.add_argument("file", help="TSV with columns expected, kind, text")
    evaluate.add_argument("--quiet", action="store_true", help="do not list the misses")
    evaluate.add_argument(
        "--pending",
        action="append",
        default=[],
        metavar="ID",
        help="an id being added to the FAQ elsewhere: accept its rows (repeatable)",
    )
    evaluate.add_argument(
        "--no-spaces", action="store_true", help="remove every space from Khmer questions first"
    )
    evaluate.set_defaults(handler=cmd_eval)

    faq = commands.add_parser("faq", help="inspect and check the FAQ content")
    faq_commands = faq.add_subparsers(dest="faq_command", required=True, metavar="COMMAND")
    listing = faq_commands.add_parser("list", help="list the entries")
    listing.add_argument("--json", action="store_true", help="every field of every entry as JSON")
    listing.set_defaults(handler=cmd_faq_list)
    check = faq_commands.add_parser("check", help="validate the FAQ files")
    check.add_argument("--data-dir", help="check another folder of FAQ files")
    check.set_defaults(handler=cmd_faq_check)

    _add_bot_commands(commands)
    return parser


def _add_bot_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands of the Telegram bot itself (run, chat, migrate), if installed."""
    try:
        from bot import commands as bot_commands
    except ImportError:
        return
    bot_commands.register(commands)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``nssf-bot`` console script."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    if hasattr(sys.stdin, "reconfigure"):  # bytes that are not UTF-8 become U+FFFD
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    handler: Command = args.handler
    try:
        return handler(args, sys.stdout)
    except BrokenPipeError:  # e.g. `nssf-bot faq list | head`
        return 0
    except Exception as exc:  # a clear line, not a traceback, for known failures
        from faq.content import FaqError

        if isinstance(exc, FaqError):
            print(f"nssf-bot: the FAQ content has errors:\n{exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
