"""Phone numbers and other long numbers taken out of what a worker typed, before storing it.

:func:`redact` replaces with ``[number]``:

* a Cambodian phone number in any common form: ``012 345 678``, ``012-345-678``,
  ``012.345.678``, ``0123456789``, ``+855 12 345 678``, ``855 (0)12 345 678``,
  ``00855 12345678``, in ASCII or Khmer digits (``០១២ ៣៤៥ ៦៧៨``);
* any other run of 7 or more digits (an ID card, an NSSF or bank account number), unless
  a currency follows it (``1500000 riel``, ``2000000 រៀល``).

Money and dates stay: ``400,000 riel``, ``$ 208``, ``1.000.000``, ``2026``, ``01/12/2026``
have fewer than 7 digits in a row, or separators a phone number doesn't use. The text is
matched as the worker wrote it; only the stored copy is redacted.
"""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDER", "redact", "redact_phones"]

PLACEHOLDER = "[number]"

_DIGIT = "[0-9\u17e0-\u17e9]"  # ASCII and Khmer digits (០-៩)
_ZERO = "[0\u17e0]"
_SEP = r"[ .\-\u00a0]"  # what people put between the groups of a phone number
_NOT_DIGIT_BEFORE = rf"(?<!{_DIGIT})"
_NOT_DIGIT_AFTER = rf"(?!{_DIGIT})"

# 0 + operator or area code + subscriber: 9 or 10 digits, each group optionally separated.
_LOCAL = rf"{_ZERO}(?:{_SEP}?{_DIGIT}){{8,9}}"
# +855, 00855 or 855, then the number without its leading 0 (or with it, or as "(0)").
_PLUS = r"(?:\+|[0\u17e0]{2})"
_CC = r"[8\u17e8][5\u17e5][5\u17e5]"
_INTERNATIONAL = (
    rf"(?:{_PLUS}{_SEP}*|{_NOT_DIGIT_BEFORE}){_CC}{_SEP}*(?:\({_ZERO}\)|{_ZERO})?{_SEP}*"
    rf"{_DIGIT}(?:{_SEP}?{_DIGIT}){{7,8}}"
)
_PHONE = re.compile(rf"(?:{_INTERNATIONAL}|{_NOT_DIGIT_BEFORE}{_LOCAL}){_NOT_DIGIT_AFTER}")

_CURRENCY = r"(?:riels?|khr|usd|dollars?|\$|\u17db|រៀល|ដុល្លារ)"
_LONG_RUN = re.compile(
    rf"(?<!\$)(?<!\$ ){_NOT_DIGIT_BEFORE}{_DIGIT}{{7,}}(?!{_DIGIT}|\s?{_CURRENCY})",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """``text`` with phone numbers and long digit runs replaced by ``[number]``."""
    text = _PHONE.sub(PLACEHOLDER, text)
    return _LONG_RUN.sub(PLACEHOLDER, text)


def redact_phones(text: str) -> str:
    """``text`` with phone numbers replaced and other numbers kept (for log lines)."""
    # A log line's update and user ids are long digit runs, and they are not private.
    return _PHONE.sub(PLACEHOLDER, text)
