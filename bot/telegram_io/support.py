"""Small pieces the intake and the sender share: backoff, stoppable sleeps, 429 waits."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import warnings
from collections.abc import Awaitable
from typing import Any, TypeVar

from telegram.error import RetryAfter
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

__all__ = [
    "AnyApplication",
    "Backoff",
    "retry_after_seconds",
    "sleep_unless_stopped",
    "until_stopped",
]

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
T = TypeVar("T")


class Backoff:
    """Exponential delays between retries: first, 2×first, … up to a cap."""

    def __init__(self, first: float, cap: float) -> None:
        self._first, self._cap = first, cap
        self._next = first

    def next(self) -> float:
        """The delay to wait now; the following one is twice as long (capped)."""
        delay = self._next
        self._next = min(self._next * 2, self._cap)
        return delay

    def reset(self) -> None:
        """Start again from the first delay (after a success)."""
        self._next = self._first


async def sleep_unless_stopped(seconds: float, stop: asyncio.Event) -> None:
    """Sleep, but wake up at once when ``stop`` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def until_stopped(awaitable: Awaitable[T], stop: asyncio.Event) -> T | None:
    """Await ``awaitable``, or cancel it and return None when ``stop`` is set first."""
    task = asyncio.ensure_future(awaitable)
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()  # cancelled from outside: leave nothing running behind
        raise
    finally:
        stopper.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, whether PTB gives it as int or timedelta."""
    with warnings.catch_warnings():  # PTB 22 deprecates the int form unless PTB_TIMEDELTA
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
