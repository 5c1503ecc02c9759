"""The ``nssf-bot`` command line: every command, FAQ tools and the bot's own.

A missing or malformed setting ends a command with one line naming it (exit status 2),
never a traceback. Every command imports what it needs when it runs, so ``nssf-bot ask``
never loads Telegram or the database, and importing this module has no side effects.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

if TYPE_CHECKING:
    from bot.db import Database
    from bot.settings import Settings
    from faq.content import Faq
    from faq.evaluation import Tally
    from faq.matcher import Decision, Matcher

__all__ = ["main"]

T = TypeVar("T")


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
    """Validate the FAQ files; print warnings and errors apart; exit 1 only on errors."""
    from faq.check import report
    from faq.content import DATA_DIR, check_faq

    data_dir = Path(args.data_dir) if args.data_dir else DATA_DIR
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    return report(check_faq(data_dir, today=today, strict=args.strict), out)


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
    check.add_argument("--strict", action="store_true", help="an overdue review is an error")
    check.add_argument("--today", help="check as of this date (YYYY-MM-DD), not the clock")
    check.set_defaults(handler=cmd_faq_check)
    export = faq_commands.add_parser(
        "export", help="the entries staff wrote and approved (in the database), as YAML"
    )
    export.set_defaults(handler=cmd_faq_export)

    _add_bot_commands(commands)
    return parser


# Test-only: seconds the runner waits between storing an update and handling it, so the
# end-to-end test can SIGKILL the bot while an update is in flight. Never set it in
# production; it only slows the bot down.
TEST_DELAY_ENV = "NSSF_BOT_TEST_DELAY_AFTER_STORE"

log = logging.getLogger("bot")


def _fail(message: str, status: int = 2) -> int:
    print(f"nssf-bot: {message}", file=sys.stderr)
    return status


def _settings(**overrides: Any) -> Settings:
    from bot.settings import load_settings

    return load_settings(**overrides)


def _configure_logging() -> None:
    from bot import logsafety

    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    for handler in logging.getLogger().handlers:  # no names, texts, phones or tokens
        logsafety.install(handler)
    # httpx logs every request at INFO, with the bot token in the URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic: keep "Running upgrade …", not its plugin and context chatter.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _database_error(exc: BaseException) -> str | None:
    """One line for a database that can't be reached or used, else None."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        # The driver's own message, without SQLAlchemy's statement and links; never the URL.
        detail = str(exc.orig or exc).strip().splitlines()[0]
    elif isinstance(exc, OSError):  # refused, unknown host, unreadable SQLite folder
        detail = str(exc)
    else:
        return None
    return f"DATABASE_URL: cannot use the database ({detail})"


class _DatabaseUnusable(Exception):
    """The database can't be reached or used; the message is one line for the user."""


def _on_database(url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    """Open the database at ``url``, run ``work`` on it, close it; a database that can't
    be used raises _DatabaseUnusable with one line (other errors are bugs: raised)."""
    from bot.db import Database

    async def run() -> T:
        database = Database(url)
        try:
            return await work(database)
        finally:
            await database.dispose()

    try:
        return asyncio.run(run())
    except Exception as exc:
        message = _database_error(exc)
        if message is None:
            raise
        raise _DatabaseUnusable(message) from exc


def _test_delay() -> float:
    value = os.environ.get(TEST_DELAY_ENV, "")
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


# --- run --------------------------------------------------------------------------------


async def _serve(settings: Settings, delay_after_store: float) -> None:
    from bot.app import build_application
    from bot.db import Database
    from bot.telegram_io.runner import RunnerOptions, run
    from bot.telegram_io.webhook import WebhookConfig

    # A SQLite database (the embedded default) is migrated by the application's post_init,
    # which the runner calls before it touches the inbox; PostgreSQL by `nssf-bot migrate`.
    database = Database(settings.database_url)
    try:
        application = build_application(settings, database=database)
        webhook = None
        if settings.webhook_url and settings.webhook_secret is not None:
            webhook = WebhookConfig(
                url=settings.webhook_url,
                secret=settings.webhook_secret.get_secret_value(),
                listen=settings.webhook_listen,
                port=settings.webhook_port,
            )
        options = RunnerOptions(delay_after_store=delay_after_store)
        sender = application.bot_data.sender
        await run(application, database, webhook=webhook, options=options, sender=sender)
    finally:
        await database.dispose()


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    """Start the bot: long polling, or a webhook endpoint when WEBHOOK_URL is set."""
    from telegram.error import InvalidToken

    from bot.settings import SettingsError
    from bot.telegram_io.webhook import WebhookError

    try:
        settings = _settings()
        settings.require_token()
    except SettingsError as exc:
        return _fail(str(exc))
    _configure_logging()
    try:
        asyncio.run(_serve(settings, _test_delay()))
    except InvalidToken:
        return _fail("TELEGRAM_BOT_TOKEN was refused by Telegram (revoked or mistyped?)", 1)
    except WebhookError as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:  # a second Ctrl-C while stopping
        return 130
    except Exception as exc:
        message = _database_error(exc)
        if message is None:
            raise
        return _fail(message, 1)
    return 0


# --- migrate ----------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    """Upgrade the database at DATABASE_URL to the newest schema (alembic upgrade head)."""
    from bot.db import migrate
    from bot.settings import SettingsError

    try:
        settings = _settings()
    except SettingsError as exc:
        return _fail(str(exc))
    _configure_logging()
    try:
        asyncio.run(migrate(settings.database_url))
    except Exception as exc:
        message = _database_error(exc)
        if message is None:
            raise
        return _fail(message, 1)
    out.write("database is up to date\n")
    return 0


# --- outbox -----------------------------------------------------------------------------


def cmd_outbox(args: argparse.Namespace, out: TextIO) -> int:
    """What the bot owes and what became of it: outbox rows by status and priority."""
    from bot.settings import SettingsError
    from bot.telegram_io.outbox import outbox_report

    try:
        settings = _settings()
    except SettingsError as exc:
        return _fail(str(exc))
    try:
        lines = _on_database(settings.database_url, outbox_report)
    except _DatabaseUnusable as exc:
        return _fail(str(exc), 1)
    out.write("\n".join(lines) + "\n")
    return 0


# --- faq export -------------------------------------------------------------------------


def cmd_faq_export(args: argparse.Namespace, out: TextIO) -> int:
    """Live staff-written entries (``Promote to FAQ``) as YAML, for review in git."""
    import yaml

    from bot.services.promote import export, live_entries
    from bot.settings import SettingsError
    from faq.content import load_faq

    try:
        settings = _settings()
    except SettingsError as exc:
        return _fail(str(exc))

    async def entries(database: Database) -> list[Any]:
        async with database.transaction() as session:
            return await live_entries(session)

    try:
        found = _on_database(settings.database_url, entries)
    except _DatabaseUnusable as exc:
        return _fail(str(exc), 1)
    out.write(_EXPORT_HEADER)
    documents = export(found, load_faq())
    if documents:
        out.write(
            yaml.safe_dump_all(documents, allow_unicode=True, sort_keys=False, explicit_start=True)
        )
    return 0


_EXPORT_HEADER = """\
# FAQ entries union staff wrote in the bot (nssf-bot faq export), one YAML document per
# category, each in the shape of a faq/data file. To merge an entry: move it into
# faq/data/<category>.yaml, give it a slug in faq/data/topics.yaml, cite the facts it
# rests on and an official page (sources), check its text against the fact base, then
# remove `needs_review: true`. Until then `nssf-bot faq check` warns about it (an error
# with --strict).
"""


# --- gaps -------------------------------------------------------------------------------


def cmd_gaps(args: argparse.Namespace, out: TextIO) -> int:
    """The biggest groups of questions the FAQ could not answer (or got a 👎)."""
    from bot.models import utcnow
    from bot.services.gaps import find_gaps
    from bot.settings import SettingsError

    try:
        settings = _settings()
    except SettingsError as exc:
        return _fail(str(exc))

    async def report(database: Database) -> tuple[int, list[Any]]:
        async with database.transaction() as session:
            since = utcnow() - dt.timedelta(days=args.days)
            return await find_gaps(session, since=since, limit=args.limit)

    try:
        total, gaps = _on_database(settings.database_url, report)
    except _DatabaseUnusable as exc:
        return _fail(str(exc), 1)
    out.write(f"{total} unanswered or 👎 questions in the last {args.days} days\n")
    for gap in gaps:
        out.write(f"{gap.size:5d} × " + " | ".join(gap.examples) + "\n")
    return 0


# --- chat -------------------------------------------------------------------------------


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    """Talk to the real bot in the terminal, on an in-process fake Telegram."""
    from bot.fakes.simulator import (
        DEFAULT_DB,
        SIMULATOR_ORGANISERS,
        SIMULATOR_STAFF_CHAT,
        chat,
    )
    from bot.settings import SettingsError

    path = Path(args.db) if args.db else DEFAULT_DB
    try:
        # The simulator never talks to Telegram: a fixed fake token, and a SQLite file of
        # its own, whatever .env says.
        settings = _settings(
            telegram_bot_token="123456:SIMULATOR",
            database_url=f"sqlite+aiosqlite:///{path}",
            webhook_url=None,
        )
        if settings.staff_chat_id is None:  # persona 4 plays union staff in a fake group
            settings = settings.model_copy(update={"staff_chat_id": SIMULATOR_STAFF_CHAT})
        if not settings.organiser_ids:  # personas 5 and 6 write and approve broadcasts
            settings = settings.model_copy(update={"organiser_ids": SIMULATOR_ORGANISERS})
    except SettingsError as exc:
        return _fail(str(exc))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    interactive = sys.stdin.isatty()
    return asyncio.run(chat(settings, sys.stdin, out, interactive=interactive))


def _add_bot_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The Telegram bot's own commands: run, migrate and chat."""
    run = subparsers.add_parser(
        "run", help="start the bot (long polling; webhook when WEBHOOK_URL is set)"
    )
    run.set_defaults(handler=cmd_run)

    migrate = subparsers.add_parser(
        "migrate", help="create or upgrade the database tables (alembic upgrade head)"
    )
    migrate.set_defaults(handler=cmd_migrate)

    outbox = subparsers.add_parser(
        "outbox", help="messages waiting, sent, failed or dropped, by priority"
    )
    outbox.set_defaults(handler=cmd_outbox)

    gaps = subparsers.add_parser(
        "gaps", help="the biggest groups of questions the FAQ could not answer"
    )
    gaps.add_argument("--days", type=int, default=30, help="look this many days back (30)")
    gaps.add_argument("--limit", type=int, default=10, help="show this many groups (10)")
    gaps.set_defaults(handler=cmd_gaps)

    chat = subparsers.add_parser("chat", help="try the bot in the terminal: no token, no network")
    chat.add_argument("--db", help="SQLite file for the simulator (default ./data/chat.sqlite3)")
    chat.set_defaults(handler=cmd_chat)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``nssf-bot`` console script."""
    # RetryAfter.retry_after as a timedelta (PTB 22 warns on the int form otherwise).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
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
