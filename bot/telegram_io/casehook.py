"""Cases on the wire: a case service's posts as outbox rows, and the sender's hook for them.

Rows for a case's topic carry ``ref`` "topic:<case>[:<what>]" and no fixed topic: the
hook (:class:`CaseHook`) reads the case's topic from the database when the row is sent.
That is what makes a deleted topic harmless. Telegram tells bots nothing when staff
delete a topic; the next post into it fails with "message thread not found", and the hook
then, in one transaction, forgets the topic, queues a new topic, the case card again, the
refused post, and every other post of that case still waiting, in that order. Nothing
is lost and nothing is posted twice.

Refs, by what the sender records when each is sent (:meth:`CaseHook.sent`):

- ``topic:<case>:new``: createForumTopic; its thread id becomes the case's topic;
- ``topic:<case>:card``: the case card; its message id is kept for later edits;
- ``topic:<case>:edit``: the card edited (the message id is filled in at send time);
- ``topic:<case>:m:<row>``: a worker's message copied into the topic;
- ``case:<case>:m:<row>``: a staff message copied to the worker (the copy's id is kept
  so a staff edit can be carried to it);
- ``topic:<case>``: anything else said in the topic.

A burst of a worker's messages goes to the topic in one ``copyMessages`` call
(:meth:`CaseHook.followers`): when the sender claims a worker's copy, the copies of the
same case that wait right behind it (nothing else of that case between them, from the
same chat, message ids increasing) go with it, up to :data:`BATCH_CAP`. One call is one
post against the group's pace. Each copy's id is recorded on its own ``case_messages``
row; a deleted topic re-queues every copy of the batch, in order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import Case, CaseMessage, OutboundMessage, utcnow
from bot.services import Desk
from bot.services.cases import Result, StaffPost, WorkerPost, card, reply_refused, topic_name
from bot.telegram_io.outbox import Outbox, Outgoing, Priority
from bot.telegram_io.render import render
from bot.telegram_io.sender import Batch, Member

__all__ = ["BATCH_CAP", "CaseHook", "outgoing"]

log = logging.getLogger(__name__)

_OUTBOX = cast(sa.Table, OutboundMessage.__table__)
_THREAD_GONE = "message thread not found"
# At most this many of a worker's messages in one copyMessages call (Telegram takes up to
# 100). A batch is one post against the group's 20 a minute; the cap keeps what one post
# carries small, should Telegram ever count the messages instead (docs/escalation.md).
BATCH_CAP = 10
_ALONE = "alone"  # a copy re-queued after its batch was refused: sent on its own


def _content(post: StaffPost | WorkerPost) -> dict[str, Any]:
    assert post.reply is not None
    text, markup = render(post.reply)
    params: dict[str, Any] = {"text": text}
    if markup is not None:
        params["reply_markup"] = markup.to_dict()
    return params


def _staff_row(post: StaffPost, staff_chat: int) -> Outgoing:
    case = post.case_id
    staff = Priority.STAFF
    if post.kind == "topic":
        assert post.name is not None
        return Outgoing(
            staff_chat, "createForumTopic", {"name": post.name}, staff, ref=f"topic:{case}:new"
        )
    if post.kind == "card":
        return Outgoing(staff_chat, "sendMessage", _content(post), staff, ref=f"topic:{case}:card")
    if post.kind == "card-edit":
        return Outgoing(
            staff_chat, "editMessageText", _content(post), staff, ref=f"topic:{case}:edit"
        )
    if post.kind == "general":  # the General topic: no topic to resolve
        return Outgoing(staff_chat, "sendMessage", _content(post), staff)
    if post.kind == "edit" and post.caption:  # a copy of a worker's photo, document …
        params = {"caption": _content(post)["text"][:1024], "message_id": post.message_id}
        return Outgoing(staff_chat, "editMessageCaption", params, staff, ref=f"topic:{case}")
    if post.kind == "edit":  # a copy of a worker's text: the bot's own message
        params = {**_content(post), "message_id": post.message_id}
        return Outgoing(staff_chat, "editMessageText", params, staff, ref=f"topic:{case}")
    if post.kind == "copy":
        params = {"from_chat_id": post.from_chat_id, "message_id": post.message_id}
        ref = f"topic:{case}:m:{post.case_message_id}" if post.case_message_id else f"topic:{case}"
        return Outgoing(staff_chat, "copyMessage", params, staff, ref=ref)
    return Outgoing(staff_chat, "sendMessage", _content(post), staff, ref=f"topic:{case}")


def _worker_row(post: WorkerPost, staff_chat: int) -> Outgoing:
    if post.copy_of is not None:
        params = {"from_chat_id": staff_chat, "message_id": post.copy_of}
        ref = f"case:{post.case_id}:m:{post.case_message_id}"
        return Outgoing(post.chat_id, "copyMessage", params, Priority.INTERACTIVE, ref=ref)
    assert post.reply is not None
    if post.edit_of is not None and post.caption:  # the caption of a copied photo …
        caption = render(post.reply)[0][:1024]
        edit: dict[str, Any] = {"caption": caption, "message_id": post.edit_of}
        return Outgoing(post.chat_id, "editMessageCaption", edit, Priority.INTERACTIVE)
    if post.edit_of is not None:
        return Outgoing.edit(post.chat_id, post.edit_of, post.reply)
    priority = Priority.BULK if post.bulk else Priority.INTERACTIVE
    return Outgoing.reply(post.chat_id, post.reply, priority=priority)


def outgoing(result: Result, staff_chat: int) -> list[Outgoing]:
    """The outbox rows for a case service's posts (the actor's own reply excluded)."""
    return [_staff_row(post, staff_chat) for post in result.staff] + [
        _worker_row(post, staff_chat) for post in result.worker
    ]


def _parse(ref: str) -> tuple[str, int, str, int | None]:
    """("topic" | "case", case id, what, case message id)."""
    parts = ref.split(":")
    scope, case_id = parts[0], int(parts[1])
    what = parts[2] if len(parts) > 2 else ""
    row = int(parts[3]) if what == "m" and len(parts) > 3 else None
    return scope, case_id, what, row


class CaseHook:
    """The sender's hook for case rows (see the module docstring)."""

    prefixes: tuple[str, ...] = ("topic:", "case:")

    def __init__(self, database: Database, desk: Desk, outbox: Outbox, staff_chat: int) -> None:
        self._database = database
        self._desk = desk
        self._outbox = outbox
        self._staff_chat = staff_chat

    async def prepare(
        self, ref: str, method: str, params: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Put the case's topic (or card message) into the row, as it is now."""
        scope, case_id, what, _ = _parse(ref)
        if scope != "topic":
            return params
        async with self._database.transaction() as session:
            found = (
                await session.execute(
                    sa.select(Case.thread_id, Case.card_message_id).where(Case.id == case_id)
                )
            ).first()
        if found is None:
            return None  # the worker was deleted, and their cases with them
        thread_id, card_id = found
        prepared = dict(params)
        if what == "new":
            return None if thread_id is not None else prepared
        if what == "edit":
            if card_id is None:
                return None  # the card is being posted anew, in its current state
            prepared["message_id"] = card_id
            return prepared
        if thread_id is not None:
            prepared["message_thread_id"] = thread_id
        else:  # no topic could be made (the bot lacks the right): General, not nowhere
            prepared.pop("message_thread_id", None)
        return prepared

    async def followers(
        self,
        session: AsyncSession,
        row_id: int,
        ref: str,
        method: str,
        params: dict[str, Any],
        eligible: Callable[[int], bool],
    ) -> Batch | None:
        """The worker's copies of the same case waiting right behind this one, for one
        copyMessages call: same chat, ids increasing, nothing else of the case between."""
        scope, case_id, what, _ = _parse(ref)
        if scope != "topic" or what != "m" or method != "copyMessage" or params.get(_ALONE):
            return None
        source, last = params.get("from_chat_id"), params.get("message_id")
        if not isinstance(last, int) or set(params) - {"from_chat_id", "message_id"}:
            return None  # a caption or buttons of its own: copyMessages has neither
        behind = (
            await session.execute(
                sa.select(_OUTBOX.c.id, _OUTBOX.c.method, _OUTBOX.c.params, _OUTBOX.c.ref)
                .where(
                    _OUTBOX.c.chat_id == self._staff_chat,
                    _OUTBOX.c.status == "pending",
                    _OUTBOX.c.id > row_id,
                    sa.or_(
                        _OUTBOX.c.ref == f"topic:{case_id}",
                        _OUTBOX.c.ref.like(f"topic:{case_id}:%"),
                    ),
                )
                .order_by(_OUTBOX.c.id)
                .limit(BATCH_CAP - 1)
            )
        ).all()
        ids: list[int] = []
        message_ids = [last]
        for other_id, other_method, other_params, other_ref in behind:
            other = dict(other_params or {})
            if (
                other_method != "copyMessage"
                or other_ref is None
                or _parse(other_ref)[2] != "m"
                or set(other) != {"from_chat_id", "message_id"}
                or other["from_chat_id"] != source
                or not isinstance(other["message_id"], int)
                or other["message_id"] <= message_ids[-1]
                or not eligible(other_id)
            ):
                break  # the batch ends at the first post that can't join it
            ids.append(other_id)
            message_ids.append(other["message_id"])
        if not ids:
            return None
        batch = {"from_chat_id": source, "message_ids": message_ids}
        return Batch(tuple(ids), "copyMessages", batch)

    async def sent(self, ref: str, method: str, message_id: int | None) -> None:
        """Remember the topic, the card, or the two sides of a relayed message."""
        if message_id is None:
            return
        scope, case_id, what, row = _parse(ref)
        async with self._database.transaction() as session:
            if scope == "topic" and what == "new":
                await session.execute(
                    sa.update(Case).where(Case.id == case_id).values(thread_id=message_id)
                )
            elif scope == "topic" and what == "card":
                await session.execute(
                    sa.update(Case).where(Case.id == case_id).values(card_message_id=message_id)
                )
            elif row is not None:
                column = "staff_message_id" if scope == "topic" else "worker_message_id"
                await session.execute(
                    sa.update(CaseMessage)
                    .where(CaseMessage.id == row)
                    .values({column: message_id})
                )

    async def refused(
        self,
        ref: str,
        method: str,
        params: dict[str, Any],
        detail: str,
        batch: Sequence[Member] = (),
    ) -> bool:
        """A deleted topic: queue a new one, the card, this post (every post of a batch)
        and the case's waiting posts, in order. A batch refused for another reason is
        queued again one post at a time, so each gets its own outcome. Other refusals
        are the sender's to record."""
        scope, case_id, what, _ = _parse(ref)
        if scope == "case" and what == "m":  # a staff reply the worker could not be sent
            return await self._reply_refused(case_id, detail)
        if scope != "topic":
            return False
        if "topic_closed" in detail.lower():  # staff closed the topic in Telegram
            return await self._to_general(method, params)
        if _THREAD_GONE not in detail.lower():
            return await self._one_by_one(batch) if batch else False
        gone_thread = params.get("message_thread_id")
        async with self._database.transaction() as session:
            case = await session.get(Case, case_id)
            if case is None:
                return False
            items: list[Outgoing] = []
            if case.thread_id is None or case.thread_id == gone_thread:
                case.thread_id = None
                case.card_message_id = None
                await session.flush()
                items += [
                    _staff_row(
                        StaffPost(case.id, "topic", name=topic_name(self._desk, case)),
                        self._staff_chat,
                    ),
                    _staff_row(
                        StaffPost(case.id, "card", reply=card(self._desk, case)), self._staff_chat
                    ),
                ]
            if batch:  # each post of the batch as it was queued (it may be batched again)
                items += [
                    Outgoing(self._staff_chat, m.method, m.params, Priority.STAFF, ref=m.ref)
                    for m in batch
                ]
            else:
                again = {k: v for k, v in params.items() if k != "message_thread_id"}
                items.append(Outgoing(self._staff_chat, method, again, Priority.STAFF, ref=ref))
            waiting = (
                await session.execute(
                    sa.select(_OUTBOX.c.id, _OUTBOX.c.method, _OUTBOX.c.params, _OUTBOX.c.ref)
                    .where(
                        _OUTBOX.c.chat_id == self._staff_chat,
                        _OUTBOX.c.status == "pending",
                        sa.or_(
                            _OUTBOX.c.ref == f"topic:{case_id}",
                            _OUTBOX.c.ref.like(f"topic:{case_id}:%"),
                        ),
                    )
                    .order_by(_OUTBOX.c.id)
                )
            ).all()
            for _, other_method, other_params, other_ref in waiting:
                if other_ref in (f"topic:{case_id}:new", f"topic:{case_id}:card"):
                    continue  # replaced by the ones just queued
                items.append(
                    Outgoing(
                        self._staff_chat,
                        other_method,
                        dict(other_params or {}),
                        Priority.STAFF,
                        ref=other_ref,
                    )
                )
            if waiting:
                await session.execute(
                    sa.update(_OUTBOX)
                    .where(_OUTBOX.c.id.in_([row.id for row in waiting]))
                    .values(
                        status="dropped",
                        params={},
                        finished_at=utcnow(),
                        last_error="moved to the new topic",
                    )
                )
            await self._outbox.put(session, *items)
        log.warning("case %d: its topic was deleted; a new one is being made", case_id)
        return True

    async def _one_by_one(self, batch: Sequence[Member]) -> bool:
        """A batch Telegram refused: its posts again, each on its own, in order."""
        async with self._database.transaction() as session:
            await self._outbox.put(
                session,
                *(
                    Outgoing(
                        self._staff_chat,
                        m.method,
                        {**m.params, _ALONE: True},
                        Priority.STAFF,
                        ref=m.ref,
                    )
                    for m in batch
                ),
            )
        return True

    async def _reply_refused(self, case_id: int, detail: str) -> bool:
        """Telegram refused to copy a staff reply to the worker: the topic is told, so
        staff can send it another way; the worker, who did nothing, gets no apology."""
        async with self._database.transaction() as session:
            case = await session.get(Case, case_id)
            if case is None:
                return False  # the worker was deleted: the sender records the failure
            notice = reply_refused(self._desk, case, detail)
            await self._outbox.put(session, _staff_row(notice, self._staff_chat))
        return True

    async def _to_general(self, method: str, params: dict[str, Any]) -> bool:
        """A post for a topic staff closed goes to the General topic instead of nowhere
        (closing is staff's choice; the bot does not reopen it)."""
        if method not in ("sendMessage", "copyMessage", "copyMessages"):
            return False
        again = {key: value for key, value in params.items() if key != "message_thread_id"}
        async with self._database.transaction() as session:
            await self._outbox.put(
                session, Outgoing(self._staff_chat, method, again, Priority.STAFF)
            )
        return True
