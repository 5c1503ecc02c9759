"""``nssf-bot chat``: the real bot in the terminal, on an in-process fake Telegram.

The application is the one ``nssf-bot run`` starts (same handlers, same database code, a
SQLite file of its own); only the transport is bot/fakes/telegram.py, so it needs no token
and no network. Each line typed becomes a Telegram update from the current persona, goes
through the runner's store-then-process path, and the bot's messages are printed with
their inline buttons numbered [1] [2] …

Simulator commands (everything else is sent to the bot, /start and /help included):

    N or /press N         press button N of the last buttons shown (Khmer digits work too)
    /buttons              show the buttons of the bot's latest message that has some
    /as N, /persona NAME  write as another person; /personas lists them
    /topic N              (as staff) write in topic N of the staff group; /topic: General
    /quit                 leave (so does end of input)

As the union staff member (persona 4) you write in the staff forum group (a fake one,
STAFF_CHAT_ID = SIMULATOR_STAFF_CHAT unless set): by default in the topic of the newest
case, so "ask staff" as a worker, "/as 4", then type an answer, and "/as 1" to read it.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.fakes.telegram import FakeTelegram, callback_update, command_update, text_update
from bot.telegram_io import ephemeral
from bot.telegram_io.inbox import Inbox, RawUpdate
from bot.telegram_io.runner import Processor, RunnerOptions, running

if TYPE_CHECKING:
    from telegram import Update

    from bot.settings import Settings
    from bot.telegram_io.support import AnyApplication

__all__ = [
    "DEFAULT_DB",
    "PERSONAS",
    "SIMULATOR_ORGANISERS",
    "SIMULATOR_STAFF_CHAT",
    "Persona",
    "Simulator",
    "chat",
]

DEFAULT_DB = Path("data") / "chat.sqlite3"
SIMULATOR_STAFF_CHAT = -1000000000777  # the fake staff forum group of `nssf-bot chat`
_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_INDENT = "      "


@dataclass(frozen=True, slots=True)
class Persona:
    """Someone the simulator's user can write as."""

    name: str
    user_id: int
    role: str
    language_code: str | None  # the language of their Telegram app

    def describe(self) -> str:
        """One line: who this is."""
        app = f", Telegram in {self.language_code}" if self.language_code else ""
        return f"{self.name}, a {self.role} (Telegram user {self.user_id}{app})"


STAFF_ROLE = "union staff member"
ORGANISER_ROLE = "union organiser"
PERSONAS = (
    Persona("Sokha", 1001, "worker", "km"),
    Persona("Dara", 1002, "worker", None),
    Persona("Maly", 1003, "worker", "en"),
    Persona("Vanna", 2001, STAFF_ROLE, None),
    # Two organisers: a broadcast needs another organiser's approval (issue #9).
    Persona("Chanthy", 3001, ORGANISER_ROLE, "km"),
    Persona("Rith", 3002, ORGANISER_ROLE, "en"),
)
# ORGANISER_IDS of the simulator, unless set: personas 5 and 6.
SIMULATOR_ORGANISERS = frozenset(p.user_id for p in PERSONAS if p.role == ORGANISER_ROLE)


@dataclass(frozen=True, slots=True)
class _Shown:
    """A button as numbered on screen, and the message it belongs to."""

    chat_id: int
    message_id: int
    button: Mapping[str, Any]


def _snapshot(message: Mapping[str, Any]) -> tuple[Any, ...]:
    return message.get("text"), repr(message.get("reply_markup"))


class Simulator:
    """One terminal conversation: personas, numbered buttons, and the bot's replies."""

    def __init__(
        self, application: AnyApplication, telegram: FakeTelegram, inbox: Inbox, out: TextIO
    ) -> None:
        self.application = application
        self.telegram = telegram
        self.out = out
        self.persona = PERSONAS[0]
        self.buttons: list[_Shown] = []
        self.staff_chat: int | None = application.bot_data.settings.staff_chat_id
        self.topic: int | None = None  # as staff: the topic written in (None: the newest)
        self._inbox = inbox
        self._processor = Processor(application, inbox, RunnerOptions())
        self._seen: dict[tuple[int, int], tuple[Any, ...]] = {}
        # Update ids must not repeat across sessions: the chat database remembers them.
        self._update_ids = itertools.count(int(time.time() * 1000))

    # --- input ---------------------------------------------------------------------------

    def prompt(self) -> str:
        """The prompt before the user's line, naming the persona."""
        return f"you ({self.persona.name}) › "

    async def handle_line(self, line: str) -> bool:
        """Act on one typed line; False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        number = text.translate(_KHMER_DIGITS)
        command, _, argument = text.partition(" ")
        argument = argument.strip()
        if command in ("/quit", "/exit"):
            return False
        if number.isdigit() and self.buttons and 1 <= int(number) <= len(self.buttons):
            await self.press(int(number))
        elif command == "/press":
            digits = argument.translate(_KHMER_DIGITS)
            await self.press(int(digits) if digits.isdigit() else 0)
        elif command == "/buttons":
            self.show_latest_buttons()
        elif command == "/personas":
            self.list_personas()
        elif command in ("/as", "/persona"):
            self.switch(argument)
        elif command == "/topic" and self._is_staff():
            self.topic = int(argument) if argument.isdigit() else None
            self.note(f"writing in topic {self.topic}" if self.topic else "writing in General")
        elif self._is_staff() and self.staff_chat is not None:
            await self.send(self._staff_update(text))
        elif text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            await self.send(
                command_update(
                    self.persona.user_id,
                    name,
                    args.strip(),
                    update_id=next(self._update_ids),
                    language_code=self.persona.language_code,
                )
            )
        else:
            await self.send(
                text_update(
                    self.persona.user_id,
                    text,
                    update_id=next(self._update_ids),
                    language_code=self.persona.language_code,
                )
            )
        return True

    def _is_staff(self) -> bool:
        return self.persona.role == STAFF_ROLE

    def _newest_topic(self) -> int | None:
        assert self.staff_chat is not None
        topics = self.telegram.topics.get(self.staff_chat, set())
        return max(topics) if topics else None

    def _staff_update(self, text: str) -> Update:
        """A staff message in the chosen topic (the newest case's, by default), signed
        with the persona's own first name (claims show it)."""
        from telegram import Update

        data = self._staff_message(text).to_dict()
        data["message"]["from"]["first_name"] = self.persona.name
        data["message"]["from"].pop("username", None)
        return Update.de_json(data, None)

    def _staff_message(self, text: str) -> Update:
        assert self.staff_chat is not None
        thread = self.topic if self.topic is not None else self._newest_topic()
        update_id = next(self._update_ids)
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return command_update(
                self.persona.user_id,
                name,
                args.strip(),
                update_id=update_id,
                chat_id=self.staff_chat,
                chat_type="supergroup",
                thread_id=thread,
            )
        return text_update(
            self.persona.user_id,
            text,
            update_id=update_id,
            chat_id=self.staff_chat,
            chat_type="supergroup",
            thread_id=thread,
        )

    async def press(self, number: int) -> None:
        """Tap button ``number`` of the buttons last shown."""
        if not 1 <= number <= len(self.buttons):
            self.note(
                f"no button {number}: "
                + (f"choose 1 to {len(self.buttons)}" if self.buttons else "no buttons are shown")
            )
            return
        shown = self.buttons[number - 1]
        if shown.button.get("url"):
            self.note(f"that button opens {shown.button['url']}")
            return
        message = self.telegram.message(shown.chat_id, shown.message_id) or {}
        await self.send(
            callback_update(
                self.persona.user_id,
                str(shown.button.get("callback_data", "")),
                shown.message_id,
                message_text=str(message.get("text", "…")),
                bot_id=int(self.telegram.bot_user["id"]),
                update_id=next(self._update_ids),
                chat_id=shown.chat_id,
            )
        )

    def switch(self, who: str) -> None:
        """Write as another persona, by number (1, 2 …) or by name."""
        found = None
        if who.isdigit() and 1 <= int(who) <= len(PERSONAS):
            found = PERSONAS[int(who) - 1]
        else:
            found = next((p for p in PERSONAS if p.name.lower() == who.lower()), None)
        if found is None:
            self.note(f"no persona {who!r}")
            self.list_personas()
            return
        self.persona = found
        self.buttons = []
        self.note(f"you are now {found.describe()}")

    def list_personas(self) -> None:
        """Print the personas with their numbers."""
        for number, persona in enumerate(PERSONAS, 1):
            mark = "*" if persona == self.persona else " "
            self.out.write(f"  {mark}{number}. {persona.describe()}\n")

    def show_latest_buttons(self) -> None:
        """Reprint the bot's latest message with buttons in this chat, numbering them."""
        chat_id = self.persona.user_id
        if self._is_staff() and self.staff_chat is not None:
            chat_id = self.staff_chat
        for message in reversed(self.telegram.messages(chat_id)):
            if FakeTelegram.buttons(message):
                self._print_messages(chat_id, [(message, "")])
                return
        self.note("no buttons in this chat")

    # --- the bot -------------------------------------------------------------------------

    async def send(self, update: Update) -> None:
        """Deliver an update as the runner does (store, then process) and print the replies."""
        first_call = len(self.telegram.calls)
        self.telegram.remember(update)  # Telegram has the message: the bot may copy it
        await self._inbox.store([RawUpdate(update.update_id, update.to_json())])
        await self._processor.drain()
        data = self.application.bot_data
        await ephemeral.settle(data.ephemeral)
        await data.sender.drain()
        self._print_turn(self.telegram.calls[first_call:])

    def _print_turn(self, calls: Iterable[Any]) -> None:
        chats: list[int] = []
        for call in calls:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                self.out.write(f"bot (pop-up) › {call.params['text']}\n")
            chat_id = call.params.get("chat_id")
            if isinstance(chat_id, int) and chat_id not in chats:
                chats.append(chat_id)
        shown_buttons = False
        printed = False
        for chat_id in chats:
            changed = []
            for message in self.telegram.messages(chat_id):
                key = (chat_id, int(message["message_id"]))
                before = self._seen.get(key)
                now = _snapshot(message)
                if before == now:
                    continue
                if before is None:
                    changed.append((message, ""))
                elif before[0] == now[0]:
                    changed.append((message, "buttons changed"))
                else:
                    changed.append((message, "edited"))
            if changed:
                printed = True
                shown_buttons |= self._print_messages(chat_id, changed)
        if printed and not shown_buttons:
            self.buttons = []  # numbers typed now are text, not presses
        self.out.flush()

    def _print_messages(
        self, chat_id: int, messages: Sequence[tuple[Mapping[str, Any], str]]
    ) -> bool:
        """Print messages, number their buttons; True if any had buttons."""
        numbered: list[_Shown] = []
        where = "" if chat_id == self.persona.user_id else f" → chat {chat_id}"
        if chat_id == self.staff_chat:
            where = " → staff group"
        for message, how in messages:
            self._seen[(chat_id, int(message["message_id"]))] = _snapshot(message)
            topic = message.get("message_thread_id") if chat_id == self.staff_chat else None
            label = f"bot{where}" + (f", topic {topic}" if topic else "")
            label += f" ({how})" if how else ""
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            if how == "buttons changed":
                self.out.write(f"{label} › " + ("(buttons removed)" if not rows else "…") + "\n")
            else:
                created = message.get("forum_topic_created")
                text = str(
                    message.get("text")
                    or message.get("caption")
                    or (f"(topic created: {created['name']})" if created else "(no text)")
                )
                lines = text.splitlines() or [""]
                self.out.write(f"{label} › {lines[0]}\n")
                for line in lines[1:]:
                    self.out.write(f"{_INDENT}{line}\n" if line else "\n")
            for row in rows:
                cells = []
                for button in row:
                    numbered.append(_Shown(chat_id, int(message["message_id"]), button))
                    link = f" ↗ {button['url']}" if button.get("url") else ""
                    cells.append(f"[{len(numbered)}] {button['text']}{link}")
                self.out.write(_INDENT + "   ".join(cells) + "\n")
        if numbered:
            self.buttons = numbered
        return bool(numbered)

    def note(self, text: str) -> None:
        """A line from the simulator itself (not from the bot)."""
        self.out.write(f"  ({text})\n")
        self.out.flush()


def _banner(simulator: Simulator, database: str) -> str:
    return (
        "NSSF helpdesk bot: local simulator. No Telegram, no network; "
        f"database {database}\n"
        f"You are {simulator.persona.describe()}. Type a question, or /start.\n"
        "Simulator: N or /press N presses a button · /buttons · /as N or /persona NAME · "
        "/personas · /topic N (staff) · /quit\n\n"
    )


def _database_path(url: str) -> str:
    return re.sub(r"^sqlite\+aiosqlite:///", "", url)


async def chat(
    settings: Settings,
    stdin: TextIO,
    out: TextIO,
    *,
    interactive: bool = False,
    telegram: FakeTelegram | None = None,
) -> int:
    """Run the conversation loop until /quit or end of input; return the exit status."""
    from bot.app import build_application
    from bot.db import Database

    telegram = telegram or FakeTelegram()
    database = Database(settings.database_url)
    if settings.staff_chat_id is not None:
        for persona in PERSONAS:
            if persona.role == STAFF_ROLE:
                telegram.add_member(settings.staff_chat_id, persona.user_id)
    try:
        application = build_application(settings, request=telegram.request(), database=database)
        await application.initialize()
        async with running(application):  # post_init migrates the SQLite file
            simulator = Simulator(application, telegram, Inbox(database), out)
            out.write(_banner(simulator, _database_path(settings.database_url)))
            await _loop(simulator, stdin, out, interactive)
    finally:
        await database.dispose()
    return 0


async def _loop(simulator: Simulator, stdin: TextIO, out: TextIO, interactive: bool) -> None:
    """Read lines and act on them; piped input is echoed so the transcript reads whole."""
    if interactive:
        with contextlib.suppress(ImportError):  # line editing for input(), where available
            import readline  # noqa: F401
    while True:
        # A blocking read: the bot only reacts to what is typed, so nothing else needs the
        # event loop meanwhile, and Ctrl-C interrupts it cleanly.
        try:
            if interactive:
                line = input(simulator.prompt())  # noqa: ASYNC250 (see above)
            else:
                line = stdin.readline()
                if not line:
                    break
                line = line.rstrip("\r\n")
                out.write(f"{simulator.prompt()}{line}\n")
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            break
        if not await simulator.handle_line(line):
            break
