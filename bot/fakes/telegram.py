"""An in-memory fake of the Telegram Bot API, for tests, the chat simulator and benchmarks.

:class:`FakeTelegram` holds the state: every call the bot made as ``(method, params)``,
the messages it sent (edited in place), pending updates for ``getUpdates``, the command
menus, and errors to inject per method and chat. Its core, :meth:`FakeTelegram.handle`,
takes a method name and plain JSON parameters and returns the full Bot API response
(``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., ...}``), so it can
be served over HTTP as well as used in-process through :meth:`FakeTelegram.request`, a
python-telegram-bot ``BaseRequest``.

The update factories (:func:`text_update`, :func:`command_update`, :func:`callback_update`,
:func:`media_update`, :func:`edited_message_update`, :func:`member_update`) build real
Bot API dicts and turn them into ``telegram.Update``; pass ``bot=application.bot`` so
command parsing and shortcuts work. ``update.to_dict()`` gives the dict back for
:meth:`FakeTelegram.push`.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import httpx
from telegram import Bot, Update
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = [
    "BLOCKED",
    "MESSAGE_NOT_FOUND",
    "WORKER_NAME",
    "WORKER_PHONE",
    "WORKER_USERNAME",
    "Call",
    "FakeRequest",
    "FakeTelegram",
    "FloodLimits",
    "MediaKind",
    "NetworkFault",
    "callback_update",
    "command_update",
    "edited_message_update",
    "media_update",
    "member_update",
    "text_update",
]

JSON = dict[str, Any]

# Real Bot API error descriptions, as Telegram sends them.
BLOCKED = (403, "Forbidden: bot was blocked by the user")
MESSAGE_NOT_FOUND = (400, "Bad Request: message to edit not found")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_TEXT_LIMIT = 4096
_CAPTION_LIMIT = 1024
# Messages that may carry a caption (editMessageCaption refuses any other).
_CAPTIONED = ("photo", "video", "document", "audio", "voice", "animation")
_CALLBACK_DATA_LIMIT = 64  # bytes
# Parameters that arrive JSON-encoded in form posts (and as JSON values otherwise).
_JSON_PARAMS = frozenset(
    {"reply_markup", "commands", "scope", "allowed_updates", "entities", "message_ids"}
)
_INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "message_thread_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
    }
)


class Call(NamedTuple):
    """One Bot API call the bot made."""

    method: str
    params: JSON


# A response key the fake adds when the body is not Telegram's JSON but a proxy's page.
_PAGE = "_proxy_page"


class ApiError(Exception):
    """A Bot API error response, raised inside the fake and turned into JSON."""

    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        page: str | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.page = page

    def response(self) -> JSON:
        """The error as Telegram's JSON body (or, from a proxy, its HTML page)."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.page is not None:
            body[_PAGE] = self.page
        return body


@dataclass
class _Fault:
    method: str | None
    chat_id: int | None
    code: int
    description: str
    retry_after: int | None
    times: int | None  # None: every time
    page: str | None = None  # a proxy's HTML page instead of Telegram's JSON

    def matches(self, method: str, params: Mapping[str, Any]) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


# A worker's name, username and shared phone number in every update the factories build:
# distinctive, so the test suite can check that none of them ever reaches a log line.
WORKER_NAME = "Sreypov-Name-Marker"
WORKER_USERNAME = "sreypov_username_marker"
WORKER_PHONE = "+85597654321"


def _chat(chat_id: int | str) -> JSON:
    """A chat object for an id: positive ids are private chats, -100… supergroups."""
    if isinstance(chat_id, str):  # @channelusername
        return {"id": -1001, "type": "channel", "title": chat_id, "username": chat_id[1:]}
    if chat_id > 0:
        return {
            "id": chat_id,
            "type": "private",
            "first_name": WORKER_NAME,
            "username": WORKER_USERNAME,
        }
    if str(chat_id).startswith("-100"):
        return {"id": chat_id, "type": "supergroup", "title": "Group", "is_forum": True}
    return {"id": chat_id, "type": "group", "title": "Group"}


# Free-text parameters: their value is never a boolean, whatever it says.
_TEXT_PARAMS = frozenset({"text", "caption", "data", "query", "name", "description", "url"})


def _coerce(params: Mapping[str, Any]) -> JSON:
    """Parameters as JSON values, whether they came as JSON or as form strings."""
    result: JSON = {}
    for key, value in params.items():
        if key in _JSON_PARAMS and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
        elif key in _INT_PARAMS and isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
        elif key not in _TEXT_PARAMS and value in ("true", "false"):
            value = value == "true"  # form bodies carry booleans as strings; "false" is truthy
        result[key] = value
    return result


# Methods that post a message into a chat, and so count against Telegram's flood limits.
_MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "copyMessage",
        "copyMessages",
        "createForumTopic",  # posts a "topic created" service message in the group
        "forwardMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendAudio",
        "sendVideo",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """Telegram's published limits, enforced the way a 429 would answer them.

    A private chat takes a burst of ``private_burst`` messages, then one a second; a group
    at most ``group_per_minute`` messages in any 60 seconds (all forum topics together);
    all chats together at most ``global_per_second`` in any second. A call over a limit
    gets 429 with ``retry_after`` = the whole seconds until it would be allowed (at least
    1), as Telegram answers. Edits count like messages (no kinder than Telegram).
    """

    private_burst: int = 3
    private_per_second: float = 1.0
    group_per_minute: int = 20
    global_per_second: int = 30


class _Flood:
    """The fake's bookkeeping of sends per scope, for :class:`FloodLimits`."""

    def __init__(self, limits: FloodLimits) -> None:
        self.limits = limits
        self.private: dict[int, float] = {}  # chat -> GCRA theoretical arrival time
        self.groups: dict[int, collections.deque[float]] = {}
        self.overall: collections.deque[float] = collections.deque()
        self.refused = 0

    def check(self, chat_id: int, now: float, *, paid: bool = False) -> None:
        """Count a send now, or raise the 429 Telegram would send.

        ``paid``: a paid broadcast (allow_paid_broadcast) is outside the overall limit.
        """
        limits = self.limits
        while self.overall and self.overall[0] <= now - 1.0:
            self.overall.popleft()
        wait = 0.0
        if not paid and len(self.overall) >= limits.global_per_second:
            wait = self.overall[0] + 1.0 - now
        if chat_id > 0:
            interval = 1.0 / limits.private_per_second
            tat = max(self.private.get(chat_id, -math.inf), now)
            allowed_at = tat - (limits.private_burst - 1) * interval
            if allowed_at > now:
                wait = max(wait, allowed_at - now)
        else:
            sent = self.groups.setdefault(chat_id, collections.deque())
            while sent and sent[0] <= now - 60.0:
                sent.popleft()
            if len(sent) >= limits.group_per_minute:
                wait = max(wait, sent[0] + 60.0 - now)
        if wait > 0:
            self.refused += 1
            seconds = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", seconds)
        if not paid:
            self.overall.append(now)
        if chat_id > 0:
            interval = 1.0 / limits.private_per_second
            self.private[chat_id] = max(self.private.get(chat_id, -math.inf), now) + interval
        else:
            self.groups[chat_id].append(now)


@dataclass
class NetworkFault:
    """A transport failure: before the request reached Telegram, or after it was handled.

    ``kind``: "connect" (connection refused; nothing was sent), "timeout" (no answer in
    time) or "drop" (the connection closed before the answer). ``delivered``: whether
    Telegram had already handled the call (a "connect" fault never is).
    """

    kind: Literal["connect", "timeout", "drop"]
    delivered: bool
    method: str | None = None
    chat_id: int | None = None
    times: int = 1

    def matches(self, method: str, params: Mapping[str, Any]) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id

    def error(self) -> Exception:
        """The exception PTB's HTTPXRequest raises for this failure, with its cause."""
        request = httpx.Request("POST", "https://api.telegram.org/bot/fake")
        if self.kind == "connect":
            cause: Exception = httpx.ConnectError("connection refused", request=request)
            error: Exception = NetworkError(f"httpx.ConnectError: {cause}")
        elif self.kind == "timeout":
            cause = httpx.ReadTimeout("timed out", request=request)
            error = TimedOut()
        else:
            cause = httpx.RemoteProtocolError("server disconnected", request=request)
            error = NetworkError(f"httpx.RemoteProtocolError: {cause}")
        error.__cause__ = cause
        return error


class FakeTelegram:
    """The state of a fake Bot API: calls, messages, updates, menus, injected errors."""

    def __init__(
        self,
        *,
        bot_id: int = 7000000001,
        username: str = "nssf_helpdesk_test_bot",
        first_name: str = "NSSF Helpdesk",
    ) -> None:
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.token = f"{bot_id}:FAKE-token_for-tests"
        self.calls: list[Call] = []
        self.record_get_updates = False  # polling every 0.1 s would flood the call log
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope type, lang) -> menu
        self.webhook: JSON | None = None
        self._lock = threading.RLock()
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._messages: dict[tuple[int | str, int], JSON] = {}
        # Forum topics that exist, per group; group members' statuses (getChatMember).
        self.topics: dict[int | str, set[int]] = {}
        self.closed_topics: set[tuple[int | str, int]] = set()  # closed by staff
        self.members: dict[tuple[int | str, int], str] = {}
        self._faults: list[_Fault] = []
        self._network_faults: list[NetworkFault] = []
        self._flood: _Flood | None = None
        self.latency = 0.0  # seconds each in-process call takes (FakeRequest)
        # The clock of the flood limits and of ``delivered`` (tests may run it virtually).
        self.clock: Callable[[], float] = time.monotonic
        # (monotonic time, chat id) of every message the bot posted, for benchmarks.
        self.delivered: list[tuple[float, int | str]] = []

    # --- the Bot API -----------------------------------------------------------------

    def handle(self, method: str, params: Mapping[str, Any] | None = None) -> JSON:
        """Answer one Bot API call: the full JSON response, success or error."""
        with self._lock:
            try:
                values = _coerce(params or {})
                if method != "getUpdates" or self.record_get_updates:
                    self.calls.append(Call(method, values))
                self._raise_fault(method, values)
                if self._flood is not None and method in _MESSAGE_METHODS:
                    chat_id = values.get("chat_id")
                    if isinstance(chat_id, int):
                        paid = bool(values.get("allow_paid_broadcast"))
                        self._flood.check(chat_id, self.clock(), paid=paid)
                handler = getattr(self, f"_api_{method}", None)
                if handler is None:
                    raise ApiError(404, "Not Found")
                return {"ok": True, "result": handler(values)}
            except ApiError as error:
                return error.response()

    async def handle_async(self, method: str, params: Mapping[str, Any] | None = None) -> JSON:
        """Like :meth:`handle`, but ``getUpdates`` with a timeout waits for updates."""
        values = dict(params or {})
        if method == "getUpdates":
            # Telegram confirms the updates before the offset when the request arrives,
            # not when the long poll ends.
            offset = int(values.get("offset") or 0)
            if offset:
                with self._lock:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
            deadline = time.monotonic() + min(float(values.get("timeout") or 0), 30.0)
            # Polled, not an asyncio.Event: push() may be called from another thread
            # (an HTTP server's), where no event loop is at hand.
            while not self._has_updates(values.get("offset")):
                if time.monotonic() >= deadline:
                    break
                await asyncio.sleep(0.02)
        return self.handle(method, values)

    @staticmethod
    def status(response: Mapping[str, Any]) -> int:
        """The HTTP status Telegram sends with ``response``."""
        return 200 if response.get("ok") else int(response.get("error_code", 500))

    @staticmethod
    def body(response: Mapping[str, Any]) -> tuple[str, bytes]:
        """The content type and HTTP body of ``response``: JSON, or a proxy's HTML page."""
        page = response.get(_PAGE)
        if page is not None:
            return "text/html", str(page).encode()
        return "application/json", json.dumps(response).encode()

    def request(self) -> FakeRequest:
        """A python-telegram-bot request object that talks to this fake."""
        return FakeRequest(self)

    # --- the user's side -------------------------------------------------------------

    def push(self, update: Update | Mapping[str, Any]) -> int:
        """Queue an update for getUpdates (a new id if it has none); return its id."""
        data = update.to_dict() if isinstance(update, Update) else dict(update)
        with self._lock:
            if not data.get("update_id"):
                data["update_id"] = next(self._update_ids)
            message = data.get("message")
            if isinstance(message, dict):  # the user's message can now be copied
                self._messages[(message["chat"]["id"], message["message_id"])] = message
            self._updates.append(data)
            return int(data["update_id"])

    def remember(self, update: Update | Mapping[str, Any]) -> None:
        """Store the update's message as Telegram would (so the bot can copy it, and a
        group's topic exists), without queueing the update."""
        data = update.to_dict() if isinstance(update, Update) else dict(update)
        with self._lock:
            for kind in ("message", "edited_message"):
                message = data.get(kind)
                if isinstance(message, dict):
                    self._messages[(message["chat"]["id"], message["message_id"])] = message

    def add_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """Make the user a member of a group ("member", "creator", "left", "kicked")."""
        with self._lock:
            self.members[(chat_id, user_id)] = status

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Staff delete a forum topic: it and its messages are gone; bots are not told."""
        with self._lock:
            self.topics.get(chat_id, set()).discard(thread_id)
            for key, message in list(self._messages.items()):
                if key[0] == chat_id and message.get("message_thread_id") == thread_id:
                    del self._messages[key]

    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        with self._lock:
            return [dict(update) for update in self._updates]

    def fail(
        self,
        method: str | None = None,
        *,
        chat_id: int | None = None,
        error: tuple[int, str] = BLOCKED,
        retry_after: int | None = None,
        times: int | None = 1,
        page: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (any if None) to ``chat_id`` fail.

        ``page`` answers with that HTML body instead of Telegram's JSON, as a reverse
        proxy or a self-hosted Bot API server behind one does (nginx's 404 or 502 page).
        """
        code, description = (
            (429, f"Too Many Requests: retry after {retry_after}")
            if (retry_after is not None)
            else error
        )
        fault = _Fault(method, chat_id, code, description, retry_after, times, page)
        with self._lock:
            self._faults.append(fault)

    def enforce_limits(self, limits: FloodLimits | None = FloodLimits()) -> None:
        """Answer calls over Telegram's flood limits with 429 (None: stop enforcing)."""
        with self._lock:
            self._flood = _Flood(limits) if limits is not None else None

    @property
    def flood_refusals(self) -> int:
        """How many calls got a 429 from the enforced limits (injected ones not counted)."""
        return self._flood.refused if self._flood is not None else 0

    def fail_network(
        self,
        kind: Literal["connect", "timeout", "drop"],
        *,
        delivered: bool = False,
        method: str | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` matching in-process calls fail in transport."""
        fault = NetworkFault(kind, delivered and kind != "connect", method, chat_id, times)
        with self._lock:
            self._network_faults.append(fault)

    def take_network_fault(self, method: str, params: Mapping[str, Any]) -> NetworkFault | None:
        """The transport fault for this call, if one is set (used by FakeRequest)."""
        with self._lock:
            for fault in self._network_faults:
                if fault.matches(method, _coerce(params)):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._network_faults.remove(fault)
                    return fault
        return None

    def block(self, user_id: int) -> None:
        """The user blocks the bot: every later call to their chat gets 403."""
        self.fail(None, chat_id=user_id, error=BLOCKED, times=None)

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot: calls to their chat work again (broadcasts, #9)."""
        with self._lock:
            self._faults = [
                fault
                for fault in self._faults
                if not (fault.chat_id == user_id and fault.code == BLOCKED[0])
            ]

    # --- inspection --------------------------------------------------------------------

    def requests(self, method: str | None = None, chat_id: int | None = None) -> list[JSON]:
        """Parameters of the calls made, optionally of one method and/or to one chat."""
        return [
            call.params
            for call in self.calls
            if (method is None or call.method == method)
            and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    def methods(self) -> list[str]:
        """The names of the calls made, in order."""
        return [call.method for call in self.calls]

    def clear(self) -> None:
        """Forget the recorded calls (the state of messages and updates stays)."""
        with self._lock:
            self.calls.clear()

    def messages(self, chat_id: int | str) -> list[JSON]:
        """The bot's messages in a chat as they are now (after edits), oldest first."""
        with self._lock:
            return [
                dict(message)
                for (chat, _), message in sorted(self._messages.items(), key=lambda i: i[0][1])
                if chat == chat_id and message.get("from", {}).get("id") == self.bot_user["id"]
            ]

    def last_message(self, chat_id: int | str) -> JSON | None:
        """The bot's newest message in a chat, or None."""
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

    def message(self, chat_id: int | str, message_id: int) -> JSON | None:
        """One stored message (the bot's or a user's), or None."""
        with self._lock:
            found = self._messages.get((chat_id, message_id))
            return dict(found) if found else None

    @staticmethod
    def buttons(message: Mapping[str, Any] | None) -> list[JSON]:
        """The inline buttons of a message, row by row flattened."""
        if not message:
            return []
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def find_button(self, chat_id: int | str, label: str) -> tuple[JSON, JSON]:
        """The newest bot message in the chat with a button whose text contains ``label``."""
        for message in reversed(self.messages(chat_id)):
            for button in self.buttons(message):
                if label in button["text"]:
                    return message, button
        raise LookupError(f"no button {label!r} in chat {chat_id}")

    # --- internals ---------------------------------------------------------------------

    def _raise_fault(self, method: str, params: Mapping[str, Any]) -> None:
        for fault in self._faults:
            if fault.matches(method, params):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                raise ApiError(fault.code, fault.description, fault.retry_after, fault.page)

    def _has_updates(self, offset: Any) -> bool:
        with self._lock:
            start = int(offset) if offset else 0
            return any(update["update_id"] >= start for update in self._updates)

    def _stored(self, chat_id: Any, message_id: Any, missing: str) -> JSON:
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise ApiError(400, missing)
        return message

    def _new_message(self, chat_id: int | str, content: Mapping[str, Any]) -> JSON:
        message: JSON = {
            "message_id": next(self._message_ids),
            "from": dict(self.bot_user),
            "chat": _chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        self._messages[(chat_id, message["message_id"])] = message
        self.delivered.append((self.clock(), chat_id))
        return message

    def _check_thread(self, params: Mapping[str, Any]) -> None:
        """A post into a forum topic that does not exist (any more) is refused."""
        thread = params.get("message_thread_id")
        chat = params.get("chat_id")
        known = self.topics.get(chat, set()) if isinstance(chat, int) else set()
        if thread and isinstance(chat, int) and chat < 0 and thread not in known:
            raise ApiError(400, "Bad Request: message thread not found")
        if thread and (chat, thread) in self.closed_topics:
            raise ApiError(400, "Bad Request: TOPIC_CLOSED")

    @staticmethod
    def _check_markup(params: Mapping[str, Any]) -> JSON | None:
        """The inline keyboard to store on the message, validated like Telegram does."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None  # reply keyboards are not echoed on the message
        for row in markup["inline_keyboard"]:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: inline keyboard button text is empty")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= _CALLBACK_DATA_LIMIT:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if data is None and not button.get("url"):
                    raise ApiError(400, "Bad Request: can't parse inline keyboard button")
        return dict(markup)

    @staticmethod
    def _check_text(text: Any) -> str:
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > _TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        return text

    # One method per Bot API call, named _api_<method>; each returns the "result".

    def _api_getMe(self, params: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_sendMessage(self, params: JSON) -> JSON:
        if "chat_id" not in params:
            raise ApiError(400, "Bad Request: chat_id is empty")
        content: JSON = {"text": self._check_text(params.get("text"))}
        self._check_thread(params)
        markup = self._check_markup(params)
        if markup is not None:
            content["reply_markup"] = markup
        if params.get("caption") is not None:  # copyMessage may replace the caption
            content["caption"] = params["caption"]
        if params.get("message_thread_id"):
            content["message_thread_id"] = params["message_thread_id"]
            content["is_topic_message"] = True
        return self._new_message(params["chat_id"], content)

    def _api_editMessageText(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._stored(
            params.get("chat_id"), params.get("message_id"), MESSAGE_NOT_FOUND[1]
        )
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        text = self._check_text(params.get("text"))
        markup = self._check_markup(params)
        if text == message.get("text") and markup == message.get("reply_markup"):
            raise ApiError(400, _NOT_MODIFIED)
        message["text"] = text
        message["edit_date"] = int(time.time())
        if markup is None:  # editing without reply_markup removes the keyboard
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        return dict(message)

    def _api_editMessageCaption(self, params: JSON) -> JSON | bool:
        """A new caption for the bot's own photo, video, document, voice message …"""
        if "inline_message_id" in params:
            return True
        message = self._stored(
            params.get("chat_id"), params.get("message_id"), MESSAGE_NOT_FOUND[1]
        )
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        if "text" in message or not any(kind in message for kind in _CAPTIONED):
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = params.get("caption") or ""
        if len(caption) > _CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        markup = self._check_markup(params)
        if caption == message.get("caption", "") and markup == message.get("reply_markup"):
            raise ApiError(400, _NOT_MODIFIED)
        if caption:
            message["caption"] = caption
        else:
            message.pop("caption", None)
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return dict(message)

    def _api_editMessageReplyMarkup(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._stored(
            params.get("chat_id"), params.get("message_id"), MESSAGE_NOT_FOUND[1]
        )
        markup = self._check_markup(params)
        if markup == message.get("reply_markup"):
            raise ApiError(400, _NOT_MODIFIED)
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return dict(message)

    def _api_deleteMessage(self, params: JSON) -> bool:
        key = (params.get("chat_id"), params.get("message_id"))
        if key not in self._messages:
            raise ApiError(400, "Bad Request: message to delete not found")
        del self._messages[key]
        return True

    def _api_copyMessage(self, params: JSON) -> JSON:
        source = self._stored(
            params.get("from_chat_id"),
            params.get("message_id"),
            "Bad Request: message to copy not found",
        )
        self._check_thread(params)
        if source.get("forum_topic_created") or source.get("new_chat_members"):
            raise ApiError(400, "Bad Request: message can't be copied")
        copy = self._new_message(params["chat_id"], self._copied(source, params))
        return {"message_id": copy["message_id"]}

    def _api_copyMessages(self, params: JSON) -> list[JSON]:
        """Several messages of one chat in one call, as Telegram does it: 1 to 100 ids in
        strictly increasing order; messages that can't be found or copied (service
        messages) are skipped, so the result may be shorter than the request (and does
        not say which were skipped); none copied at all is an error. Copies keep the
        order of the ids and get increasing ids of their own."""
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids:
            raise ApiError(400, "Bad Request: message identifiers are not specified")
        if len(ids) > 100:
            raise ApiError(400, "Bad Request: too many messages to copy")
        if any(not isinstance(i, int) for i in ids) or any(
            later <= earlier for earlier, later in itertools.pairwise(ids)
        ):
            raise ApiError(
                400, "Bad Request: message identifiers must be in a strictly increasing order"
            )
        self._check_thread(params)
        source_chat = params.get("from_chat_id")
        if not isinstance(source_chat, int | str):
            raise ApiError(400, "Bad Request: chat not found")
        sources = [
            source
            for message_id in ids
            if (source := self._messages.get((source_chat, message_id))) is not None
            and not (source.get("forum_topic_created") or source.get("new_chat_members"))
        ]
        if not sources:
            raise ApiError(400, "Bad Request: message to copy not found")
        copied = [
            self._new_message(params["chat_id"], self._copied(source, params))
            for source in sources
        ]
        return [{"message_id": copy["message_id"]} for copy in copied]

    def _copied(self, source: JSON, params: JSON) -> JSON:
        """The content of a copy of ``source`` (no sender, no buttons unless given)."""
        content = {
            key: value
            for key, value in source.items()
            if key
            not in (
                "message_id",
                "from",
                "chat",
                "date",
                "reply_markup",
                "edit_date",
                "message_thread_id",
                "is_topic_message",
                "reply_to_message",
            )
        }
        markup = self._check_markup(params)
        if markup is not None:
            content["reply_markup"] = markup
        if params.get("caption") is not None:  # copyMessage may replace the caption
            content["caption"] = params["caption"]
        if params.get("remove_caption"):  # copyMessages: captions may be dropped
            content.pop("caption", None)
        if params.get("message_thread_id"):
            content["message_thread_id"] = params["message_thread_id"]
            content["is_topic_message"] = True
        return content

    def _api_answerCallbackQuery(self, params: JSON) -> bool:
        if not params.get("callback_query_id"):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired "
                "or query ID is invalid",
            )
        return True

    def _api_sendChatAction(self, params: JSON) -> bool:
        return True

    def _api_setMyCommands(self, params: JSON) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._menu_key(params)] = [dict(command) for command in commands]
        return True

    def _api_deleteMyCommands(self, params: JSON) -> bool:
        self.commands.pop(self._menu_key(params), None)
        return True

    def _api_getMyCommands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._menu_key(params), [])

    @staticmethod
    def _menu_key(params: Mapping[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return str(scope.get("type")), str(params.get("language_code") or "")

    def _api_getUpdates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        if offset:  # an offset confirms every update before it
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        allowed = params.get("allowed_updates") or []
        limit = int(params.get("limit") or 100)
        found = [u for u in self._updates if not allowed or any(kind in u for kind in allowed)]
        return [dict(update) for update in found[:limit]]

    def _api_setWebhook(self, params: JSON) -> bool:
        if not str(params.get("url", "")).startswith(("http://", "https://")):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        return True

    def _api_deleteWebhook(self, params: JSON) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getWebhookInfo(self, params: JSON) -> JSON:
        return {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_createForumTopic(self, params: JSON) -> JSON:
        if not params.get("name"):
            raise ApiError(400, "Bad Request: TOPIC_TITLE_EMPTY")
        if len(str(params["name"])) > 128:
            raise ApiError(400, "Bad Request: TOPIC_TITLE_INVALID")
        chat = params.get("chat_id")
        if not isinstance(chat, int) or not str(chat).startswith("-100"):
            raise ApiError(400, "Bad Request: the chat is not a forum")
        # As in Telegram: the topic's id is that of its "topic created" service message,
        # which counts against the group's limit like any other post.
        created = {"name": params["name"], "icon_color": 7322096}
        service = self._new_message(chat, {"forum_topic_created": created})
        thread = service["message_id"]
        service["message_thread_id"] = thread
        service["is_topic_message"] = True
        self.topics.setdefault(chat, set()).add(thread)
        return {
            "message_thread_id": thread,
            "name": params["name"],
            "icon_color": int(params.get("icon_color") or 7322096),
        }

    def _api_deleteForumTopic(self, params: JSON) -> bool:
        chat, thread = params.get("chat_id"), params.get("message_thread_id")
        if not isinstance(chat, int) or not isinstance(thread, int):
            raise ApiError(400, "Bad Request: message thread not found")
        if thread not in self.topics.get(chat, set()):
            raise ApiError(400, "Bad Request: message thread not found")
        self.delete_topic(chat, thread)
        return True

    def _api_closeForumTopic(self, params: JSON) -> bool:
        chat, thread = params.get("chat_id"), params.get("message_thread_id")
        if not isinstance(chat, int) or thread not in self.topics.get(chat, set()):
            raise ApiError(400, "Bad Request: message thread not found")
        assert isinstance(thread, int)
        self.closed_topics.add((chat, thread))
        return True

    def _api_getChatMember(self, params: JSON) -> JSON:
        chat, user_id = params.get("chat_id"), params.get("user_id")
        if not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: user not found")
        key = (chat if isinstance(chat, int | str) else 0, user_id)
        status = self.members.get(key, "left")
        user = {"id": user_id, "is_bot": False, "first_name": "Member"}
        member: JSON = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        if status == "kicked":
            member["until_date"] = 0
        return member


class FakeRequest(BaseRequest):
    """A python-telegram-bot transport that answers from a :class:`FakeTelegram`."""

    def __init__(self, telegram: FakeTelegram) -> None:
        self.telegram = telegram

    @property
    def read_timeout(self) -> float | None:
        """Seconds PTB adds to a getUpdates timeout."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Answer the call in memory, with Telegram's status code and JSON body."""
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if self.telegram.latency:
            await asyncio.sleep(self.telegram.latency)
        fault = self.telegram.take_network_fault(api_method, params)
        if fault is not None and not fault.delivered:
            raise fault.error()
        response = await self.telegram.handle_async(api_method, params)
        if fault is not None:  # Telegram handled it; the answer never came back
            raise fault.error()
        return FakeTelegram.status(response), FakeTelegram.body(response)[1]


# --- update factories --------------------------------------------------------------------

_update_ids = itertools.count(100_001)
# User messages are numbered far from the fake's own message ids, so they never collide.
_message_ids = itertools.count(500_001)

MediaKind = Literal[
    "voice",
    "audio",
    "video_note",
    "video",
    "photo",
    "sticker",
    "document",
    "location",
    "contact",
    "animation",
    "poll",
]


def _user(user_id: int, language_code: str | None) -> JSON:
    user: JSON = {
        "id": user_id,
        "is_bot": False,
        "first_name": WORKER_NAME,
        "username": WORKER_USERNAME,
    }
    if language_code:
        user["language_code"] = language_code
    return user


def _message(
    user_id: int,
    *,
    chat_id: int | None,
    chat_type: str,
    message_id: int | None,
    language_code: str | None,
    content: Mapping[str, Any],
    thread_id: int | None = None,
) -> JSON:
    chat = _chat(chat_id if chat_id is not None else user_id)
    if chat_id is not None and chat_type in ("group", "supergroup"):
        chat["type"] = chat_type
    message: JSON = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "from": _user(user_id, language_code),
        "chat": chat,
        "date": int(time.time()),
        **content,
    }
    if thread_id is not None:  # a message in a forum topic
        message["message_thread_id"] = thread_id
        message["is_topic_message"] = True
    return message


def _update(kind: str, payload: JSON, update_id: int | None, bot: Bot | None) -> Update:
    data = {"update_id": update_id if update_id is not None else next(_update_ids), kind: payload}
    return Update.de_json(data, bot)


def text_update(
    user_id: int,
    text: str,
    *,
    update_id: int | None = None,
    message_id: int | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
    language_code: str | None = None,
    entities: list[JSON] | None = None,
    thread_id: int | None = None,
    bot: Bot | None = None,
) -> Update:
    """A user's text message (a private chat unless ``chat_id`` is a group's; in a forum
    topic with ``thread_id``)."""
    content: JSON = {"text": text}
    if entities:
        content["entities"] = entities
    message = _message(
        user_id,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=message_id,
        language_code=language_code,
        content=content,
        thread_id=thread_id,
    )
    return _update("message", message, update_id, bot)


def command_update(
    user_id: int,
    command: str,
    args: str = "",
    *,
    bot_username: str | None = None,
    **kwargs: Any,
) -> Update:
    """``/command args`` with its bot_command entity, as Telegram sends it."""
    name = "/" + command.lstrip("/")
    if bot_username:
        name += f"@{bot_username}"
    text = f"{name} {args}".rstrip()
    entity = {"type": "bot_command", "offset": 0, "length": len(name)}
    return text_update(user_id, text, entities=[entity], **kwargs)


def callback_update(
    user_id: int,
    data: str,
    message_id: int,
    *,
    message_text: str = "…",
    chat_id: int | None = None,
    bot_id: int = 7000000001,
    inaccessible: bool = False,
    update_id: int | None = None,
    bot: Bot | None = None,
    reply_markup: JSON | None = None,
) -> Update:
    """A tap on an inline button with ``data`` under the bot's message ``message_id``
    (whose buttons, as Telegram sends them with the tap, are ``reply_markup``).

    ``inaccessible=True`` is what Telegram sends for a message older than 48 hours:
    only chat, id and date 0.
    """
    chat = _chat(chat_id if chat_id is not None else user_id)
    message: JSON
    if inaccessible:
        message = {"chat": chat, "message_id": message_id, "date": 0}
    else:
        message = {
            "message_id": message_id,
            "from": {"id": bot_id, "is_bot": True, "first_name": "NSSF Helpdesk"},
            "chat": chat,
            "date": int(time.time()),
            "text": message_text,
        }
        if reply_markup is not None:
            message["reply_markup"] = reply_markup
    query = {
        "id": str(next(_update_ids)),
        "from": _user(user_id, None),
        "chat_instance": f"instance-{user_id}",
        "data": data,
        "message": message,
    }
    return _update("callback_query", query, update_id, bot)


def _media(kind: MediaKind) -> JSON:
    file = {"file_id": f"{kind}-file-id", "file_unique_id": f"{kind}-unique"}
    shapes: dict[str, JSON] = {
        "voice": {"voice": {**file, "duration": 4, "mime_type": "audio/ogg", "file_size": 8000}},
        "audio": {"audio": {**file, "duration": 60, "mime_type": "audio/mpeg"}},
        "video_note": {"video_note": {**file, "length": 240, "duration": 5}},
        "video": {"video": {**file, "width": 640, "height": 360, "duration": 10}},
        "photo": {
            "photo": [
                {**file, "width": 90, "height": 67, "file_size": 1200},
                {**file, "file_id": "photo-big", "width": 1280, "height": 960},
            ]
        },
        "sticker": {
            "sticker": {
                **file,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "🙏",
            }
        },
        "document": {
            "document": {**file, "file_name": "payslip.pdf", "mime_type": "application/pdf"}
        },
        "location": {"location": {"latitude": 11.5564, "longitude": 104.9282}},
        "contact": {"contact": {"phone_number": WORKER_PHONE, "first_name": WORKER_NAME}},
        "animation": {"animation": {**file, "width": 320, "height": 240, "duration": 3}},
        "poll": {
            "poll": {
                "id": "poll-1",
                "question": "?",
                "options": [
                    {"text": "a", "voter_count": 0, "persistent_id": "a"},
                    {"text": "b", "voter_count": 0, "persistent_id": "b"},
                ],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            }
        },
    }
    return shapes[kind]


def media_update(
    user_id: int,
    kind: MediaKind,
    *,
    caption: str | None = None,
    update_id: int | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
    thread_id: int | None = None,
    bot: Bot | None = None,
) -> Update:
    """A message that is not text: a voice note, photo, sticker, document, location …"""
    content = _media(kind)
    if caption is not None:
        content["caption"] = caption
    message = _message(
        user_id,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=None,
        language_code=None,
        content=content,
        thread_id=thread_id,
    )
    return _update("message", message, update_id, bot)


def edited_message_update(
    user_id: int,
    text: str,
    *,
    message_id: int | None = None,
    update_id: int | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
    thread_id: int | None = None,
    bot: Bot | None = None,
    media: MediaKind | None = None,
) -> Update:
    """The user edited an earlier text message (in a group's topic with ``chat_id`` and
    ``thread_id``); with ``media``, the caption ``text`` of a photo, document …"""
    content = {"text": text} if media is None else {**_media(media), "caption": text}
    message = _message(
        user_id,
        chat_id=chat_id,
        chat_type=chat_type,
        message_id=message_id,
        language_code=None,
        content={**content, "edit_date": int(time.time())},
        thread_id=thread_id,
    )
    return _update("edited_message", message, update_id, bot)


def member_update(
    user_id: int,
    status: Literal["kicked", "member"],
    *,
    bot_id: int = 7000000001,
    update_id: int | None = None,
    bot: Bot | None = None,
) -> Update:
    """The user blocked (``kicked``) or unblocked (``member``) the bot in their chat."""
    bot_user = {"id": bot_id, "is_bot": True, "first_name": "NSSF Helpdesk"}
    old, new = ("member", "kicked") if status == "kicked" else ("kicked", "member")

    def member(state: str) -> JSON:
        extra = {"until_date": 0} if state == "kicked" else {}
        return {"user": bot_user, "status": state, **extra}

    payload = {
        "chat": _chat(user_id),
        "from": _user(user_id, None),
        "date": int(time.time()),
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }
    return _update("my_chat_member", payload, update_id, bot)
