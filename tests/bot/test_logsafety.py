"""The log's privacy filter (bot/logsafety.py): what python-telegram-bot would dump is
withheld, tokens and phone numbers are scrubbed, ids stay."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from inspect import getsource

import pytest

from bot.fakes.telegram import WORKER_NAME, WORKER_PHONE, FakeTelegram, text_update
from bot.logsafety import PrivacyFilter, install

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # BotFather's shape, not a real one


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    """A logger "telegram.ext.ExtBot" whose lines, filtered, go to the returned stream."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    install(handler)
    install(handler)  # once is enough; twice is harmless
    assert sum(isinstance(f, PrivacyFilter) for f in handler.filters) == 1
    logger = logging.getLogger("tests.logsafety")
    ptb = logging.getLogger("telegram.ext.ExtBot")
    for each in (logger, ptb):
        each.addHandler(handler)
        each.propagate = False
    try:
        yield stream
    finally:
        for each in (logger, ptb):
            each.removeHandler(handler)
            each.propagate = True


def _batch() -> list[dict[str, object]]:
    good = json.loads(text_update(1001, "my private question", update_id=41).to_json())
    bad = {"update_id": 42, "message": {"date": "never", "from": {"first_name": WORKER_NAME}}}
    return [good, bad]


def test_a_dumped_getupdates_batch_is_withheld(output: io.StringIO) -> None:
    ptb = logging.getLogger("telegram.ext.ExtBot")
    try:
        raise ValueError(f"invalid literal: {WORKER_NAME!r}")
    except ValueError as error:
        ptb.critical("Error while parsing updates! Received data was %r", _batch(), exc_info=error)
    logged = output.getvalue()
    assert logged == (
        "CRITICAL telegram.ext.ExtBot: Error while parsing updates (ValueError): "
        "2 updates, ids [41, 42]; data withheld\n"
    )


def test_a_context_error_names_the_update_by_id_only(output: io.StringIO) -> None:
    update = text_update(1001, "my private question", update_id=43)
    logging.getLogger("telegram.ext.ExtBot").critical(
        "Error while building CallbackContext for update %s. Update will not be processed.",
        update,
        exc_info=RuntimeError("boom"),
    )
    assert output.getvalue() == (
        "CRITICAL telegram.ext.ExtBot: Error while building CallbackContext for update 43 "
        "(RuntimeError)\n"
    )


def test_tokens_and_phone_numbers_are_scrubbed_everywhere(output: io.StringIO) -> None:
    log = logging.getLogger("tests.logsafety")
    log.warning("GET https://api.telegram.org/bot%s/getMe failed", TOKEN)
    log.warning("worker %d wrote %s", 123456789, WORKER_PHONE)
    try:
        raise OSError(f"cannot reach /bot{TOKEN}/sendMessage for 012 345 678")
    except OSError:
        log.exception("update %d failed", 1234567)
    logged = output.getvalue()
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged
    assert "bot[token]/getMe" in logged
    assert WORKER_PHONE not in logged and "345 678" not in logged
    assert "worker 123456789 wrote [number]" in logged  # ids are not private
    assert "update 1234567 failed" in logged
    assert "Traceback" in logged and "OSError: cannot reach /bot[token]/sendMessage" in logged


def test_a_record_that_cannot_be_formatted_is_still_logged(output: io.StringIO) -> None:
    logging.getLogger("tests.logsafety").warning("%d things", "not a number")
    assert output.getvalue().startswith("WARNING tests.logsafety: (unformattable log record)")


def test_the_fake_token_is_recognised_as_a_token(output: io.StringIO) -> None:
    logging.getLogger("tests.logsafety").warning("token %s", FakeTelegram().token)
    assert output.getvalue() == "WARNING tests.logsafety: token [token]\n"


def test_nssf_bot_run_installs_the_filter() -> None:
    """The CLI's logging set-up, in a fresh interpreter as `nssf-bot run` has it."""
    script = (
        "import json, logging, sys\n"
        "from bot.cli import _configure_logging\n"
        "_configure_logging()\n"
        "logging.getLogger('telegram.ext.ExtBot').critical("
        "'Error while parsing updates! Received data was %r', json.loads(sys.argv[1]))\n"
        f"logging.getLogger('bot').info('token %s', {TOKEN!r})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(_batch())],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "2 updates, ids [41, 42]; data withheld" in result.stderr
    assert "INFO bot: token [token]" in result.stderr
    assert WORKER_NAME not in result.stderr and "my private question" not in result.stderr


def test_the_templates_withheld_are_still_the_ones_ptb_logs() -> None:
    """The filter matches PTB's exact wording: if an upgrade changes it, this test says so."""
    from telegram import Bot
    from telegram.ext import Application

    assert "Error while parsing updates! Received data was %r" in getsource(Bot.get_updates)
    assert "Error while building CallbackContext for update %s" in getsource(
        Application.process_update
    )
