"""Inline-button callback data: compact, versioned, and validated before use.

Every button's data is ``v1:<kind>:<fields>`` and at most 64 bytes (Telegram's limit).
The patterns below are what bot/app.py registers each CallbackQueryHandler with, so a
handler only ever sees data of its own, well-formed shape; anything else (old buttons
from another version, forged data) reaches the stale-button handler. The fields are
still only claims: services check that the question belongs to the worker who tapped
and that the FAQ entry exists.

To change a format, add a new version prefix and keep reading the old one for a while:
buttons stay in chats for months.
"""

from __future__ import annotations

import re

__all__ = [
    "CATEGORY",
    "CHOICE",
    "ENTRY",
    "HELPFUL",
    "LANGUAGE",
    "NONE_OF_THESE",
    "NOT_HELPFUL",
    "ORG_CONTROL",
    "ORG_DECIDE",
    "ORG_EMPLOYER",
    "ORG_PAID",
    "ORG_PROVINCE",
    "ORG_PROVINCES",
    "ORG_RSVP",
    "ORG_SECTOR",
    "ORG_SEGMENT",
    "ORG_SEGMENT_DONE",
    "ORG_SKIP_EN",
    "ORG_SUBMIT",
    "ORG_WHEN",
    "RSVP",
    "SUBSCRIBE_DONE",
    "SUBSCRIBE_EMPLOYER_SKIP",
    "SUBSCRIBE_NO",
    "SUBSCRIBE_PROVINCE",
    "SUBSCRIBE_SECTOR",
    "SUBSCRIBE_TOPIC",
    "SUBSCRIBE_YES",
    "TOPICS",
    "category",
    "choice",
    "entry",
    "feedback",
    "language",
    "none_of_these",
    "organiser",
    "rsvp",
    "subscribe",
    "subscribe_done",
    "subscribe_employer_skip",
    "subscribe_province",
    "subscribe_sector",
    "subscribe_topic",
    "topics",
]

VERSION = "v1"
MAX_BYTES = 64  # Bot API: callback_data is 1-64 bytes

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"  # faq.content's id pattern
_ID = r"[1-9][0-9]{0,18}"  # up to 19 digits; services check the BIGINT range
# \Z, not $: "$" also matches before a final newline, letting "v1:t\n" through.

LANGUAGE = re.compile(rf"^{VERSION}:l:(?P<lang>km|en)\Z")
# ":n": shown under a message that must stay (the hotlines): the list comes as a new message.
TOPICS = re.compile(rf"^{VERSION}:t(?P<new>:n)?\Z")
CATEGORY = re.compile(rf"^{VERSION}:c:(?P<category>{_SLUG})\Z")
ENTRY = re.compile(rf"^{VERSION}:e:(?P<entry>{_SLUG})\Z")
CHOICE = re.compile(rf"^{VERSION}:q:(?P<question>{_ID}):(?P<entry>{_SLUG})\Z")
NONE_OF_THESE = re.compile(rf"^{VERSION}:n:(?P<question>{_ID})\Z")
HELPFUL = re.compile(rf"^{VERSION}:f:(?P<question>{_ID}):1\Z")
NOT_HELPFUL = re.compile(rf"^{VERSION}:f:(?P<question>{_ID}):0\Z")


def _data(*parts: str | int) -> str:
    data = ":".join([VERSION, *map(str, parts)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def language(lang: str) -> str:
    """Choose the language ``lang``."""
    return _data("l", lang)


def topics(*, new_message: bool = False) -> str:
    """Show the list of categories (in place of the tapped message, or as a new one)."""
    return _data("t", "n") if new_message else _data("t")


def category(category_id: str) -> str:
    """Show the questions of one category."""
    return _data("c", category_id)


def entry(entry_id: str) -> str:
    """Show the answer of one entry (from /topics)."""
    return _data("e", entry_id)


def choice(question_id: int, entry_id: str) -> str:
    """The worker picked ``entry_id`` among the "did you mean" choices of a question."""
    return _data("q", question_id, entry_id)


def none_of_these(question_id: int) -> str:
    """None of the choices offered for a question was right."""
    return _data("n", question_id)


def feedback(question_id: int, helpful: bool) -> str:
    """👍 or 👎 on the answer given to a question."""
    return _data("f", question_id, int(helpful))


# --- escalation to union staff (issue #8) ---------------------------------------------

# A worker's buttons. "0" stands for "none" (a voice note has no logged question).
_ID0 = rf"(?:0|{_ID})"
ASK_STAFF = re.compile(rf"^{VERSION}:a:(?P<question>{_ID0}):(?P<message>{_ID0})\Z")
CASE_CATEGORY = re.compile(rf"^{VERSION}:ak:(?P<case>{_ID}):(?P<category>{_SLUG})\Z")
CASE_SKIP = re.compile(rf"^{VERSION}:as:(?P<case>{_ID})\Z")  # no employer given
CASE_CLOSE = re.compile(rf"^{VERSION}:ax:(?P<case>{_ID})\Z")  # the worker closes / cancels
CASE_SHARE_NAME = re.compile(rf"^{VERSION}:an:(?P<case>{_ID})\Z")  # show my name to staff
CASE_FEEDBACK = re.compile(rf"^{VERSION}:af:(?P<case>{_ID}):(?P<helped>[01])\Z")
CASE_REOPEN = re.compile(rf"^{VERSION}:ao:(?P<case>{_ID})\Z")  # reopen a closed case
# Staff buttons on a case card: claim, unclaim, take over, close (menu), back.
STAFF_ACTION = re.compile(rf"^{VERSION}:s:(?P<action>[cutxbp]):(?P<case>{_ID})\Z")
FAQ_DECISION = re.compile(rf"^{VERSION}:fd:(?P<draft>{_ID}):(?P<approve>[01])\Z")
OUTCOMES = ("answered", "nssf", "legal", "duplicate", "noreply")
STAFF_CLOSE = re.compile(rf"^{VERSION}:so:(?P<case>{_ID}):(?P<outcome>{'|'.join(OUTCOMES)})\Z")


def ask_staff(question_id: int | None, message_id: int | None) -> str:
    """Hand this question (and the worker's message, when known) to union staff."""
    return _data("a", question_id or 0, message_id or 0)


def case_category(case_id: int, category: str) -> str:
    """The worker picked the category of their case ("other" and "skip" included)."""
    return _data("ak", case_id, category)


def case_skip(case_id: int) -> str:
    """The worker does not want to name their employer."""
    return _data("as", case_id)


def case_close(case_id: int) -> str:
    """The worker closes their case (or cancels it before it is sent)."""
    return _data("ax", case_id)


def case_share_name(case_id: int) -> str:
    """The worker agrees that staff see their Telegram name on this case."""
    return _data("an", case_id)


def case_feedback(case_id: int, helped: bool) -> str:
    """Whether staff's answer helped, asked when staff close the case."""
    return _data("af", case_id, int(helped))


def case_reopen(case_id: int) -> str:
    """The worker reopens their recently closed case."""
    return _data("ao", case_id)


def staff_action(action: str, case_id: int) -> str:
    """A staff button on a case card: c claim, u unclaim, t take over, x close, b back,
    p promote to FAQ."""
    return _data("s", action, case_id)


def faq_decision(draft_id: int, approve: bool) -> str:
    """Approve (or reject) an FAQ entry a colleague wrote from a case."""
    return _data("fd", draft_id, int(approve))


def staff_close(case_id: int, outcome: str) -> str:
    """Close a case with an outcome."""
    return _data("so", case_id, outcome)


# --- broadcasts (issue #9): opt-in ("u": union updates), topics, RSVP, organisers ------

# The campaign topics a worker can narrow their subscription to (services.subscriptions).
_TOPIC = r"pension|health|accident|maternity|union"

SUBSCRIBE_YES = re.compile(rf"^{VERSION}:u:y\Z")
SUBSCRIBE_NO = re.compile(rf"^{VERSION}:u:n\Z")
SUBSCRIBE_TOPIC = re.compile(rf"^{VERSION}:u:t:(?P<topic>{_TOPIC})\Z")
SUBSCRIBE_DONE = re.compile(rf"^{VERSION}:u:d\Z")


def subscribe(answer: bool) -> str:
    """Yes (or no thanks) to union news and NSSF alerts."""
    return _data("u", "y" if answer else "n")


def subscribe_topic(topic: str) -> str:
    """Add or remove one campaign topic."""
    return _data("u", "t", topic)


def subscribe_done() -> str:
    """Done choosing topics."""
    return _data("u", "d")


RSVP = re.compile(rf"^{VERSION}:r:(?P<campaign>{_ID})\Z")


def rsvp(campaign_id: int) -> str:
    """ "I'll attend" under an event campaign."""
    return _data("r", campaign_id)


# Organisers' buttons (handlers/organisers.py registers them for ORGANISER_IDS only).
ORG_SKIP_EN = re.compile(rf"^{VERSION}:o:en\Z")
ORG_SEGMENT = re.compile(rf"^{VERSION}:o:seg:(?P<topic>all|{_TOPIC})\Z")
ORG_SEGMENT_DONE = re.compile(rf"^{VERSION}:o:seg\Z")
ORG_WHEN = re.compile(rf"^{VERSION}:o:when:(?P<when>now|weekly|monthly|urgent)\Z")
ORG_SUBMIT = re.compile(rf"^{VERSION}:o:submit:(?P<campaign>{_ID})\Z")
ORG_DECIDE = re.compile(rf"^{VERSION}:o:(?P<decision>approve|reject):(?P<campaign>{_ID})\Z")
ORG_CONTROL = re.compile(
    rf"^{VERSION}:o:(?P<action>pause|resume|cancel|discard):(?P<campaign>{_ID})\Z"
)
ORG_RSVP = re.compile(rf"^{VERSION}:o:rsvp:(?P<campaign>{_ID})\Z")
ORG_PAID = re.compile(rf"^{VERSION}:o:paid:(?P<campaign>{_ID})\Z")


def organiser(*parts: str | int) -> str:
    """An organiser's button: ``organiser("seg", "pension")`` is ``v1:o:seg:pension``."""
    return _data("o", *parts)


# The optional profile's sectors (services.subscriptions.SECTORS).
_SECTOR = r"garment|construction|vendor|transport|domestic|other"
SUBSCRIBE_SECTOR = re.compile(rf"^{VERSION}:u:p:(?P<sector>{_SECTOR}|skip)\Z")
ORG_SECTOR = re.compile(rf"^{VERSION}:o:sec:(?P<sector>{_SECTOR}|any)\Z")


def subscribe_sector(sector: str) -> str:
    """The worker's sector in the optional profile, or "skip"."""
    return _data("u", "p", sector)


# The optional profile's provinces (services.subscriptions.PROVINCES) and employer.
_PROVINCE = (
    r"phnom-penh|banteay-meanchey|battambang|kampong-cham|kampong-chhnang|kampong-speu"
    r"|kampong-thom|kampot|kandal|kep|koh-kong|kratie|mondulkiri|oddar-meanchey|pailin"
    r"|preah-sihanouk|preah-vihear|prey-veng|pursat|ratanakiri|siem-reap|stung-treng"
    r"|svay-rieng|takeo|tbong-khmum"
)
SUBSCRIBE_PROVINCE = re.compile(rf"^{VERSION}:u:pv:(?P<province>{_PROVINCE}|skip)\Z")
SUBSCRIBE_EMPLOYER_SKIP = re.compile(rf"^{VERSION}:u:es\Z")
ORG_PROVINCES = re.compile(rf"^{VERSION}:o:provs\Z")
ORG_PROVINCE = re.compile(rf"^{VERSION}:o:prov:(?P<province>{_PROVINCE}|any)\Z")
# The employer: "emp" asks for a typed name, "emp:any" undoes it.
ORG_EMPLOYER = re.compile(rf"^{VERSION}:o:emp(?::(?P<any>any))?\Z")


def subscribe_province(province: str) -> str:
    """The worker's province in the optional profile, or "skip"."""
    return _data("u", "pv", province)


def subscribe_employer_skip() -> str:
    """Skip the profile's employer question."""
    return _data("u", "es")
