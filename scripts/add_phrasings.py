"""Append phrasings and keywords to FAQ entries without touching anything else.

    python scripts/add_phrasings.py additions.yaml

`additions.yaml` maps an entry id to any of `km`, `en` (phrasings) and `keywords`, each a
list of strings. The FAQ files keep their layout and comments; run `nssf-bot faq check`
afterwards. Written paraphrases go before any `# worker questions from ...` block
(scripts/import_questions.py, which appends those blocks with :func:`add`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "faq" / "data"
# Where each kind of addition goes in an entry: (list header, indent of its items).
_LISTS = {
    "km": ("      km:", "        "),
    "en": ("      en:", "        "),
    "keywords": ("    keywords:", "      "),
}


def _append(
    lines: list[str], header_at: int, indent: str, items: Sequence[str], comment: str | None
) -> None:
    """Insert items into the list whose header is at ``header_at``: with a comment, after
    everything in it (comment blocks included), else after its first run of items."""
    end = header_at + 1
    while end < len(lines) and (
        lines[end].startswith(indent + "- ")
        or (comment is not None and lines[end].startswith(indent + "#"))
    ):
        end += 1
    block = [] if comment is None else [f"{indent}# {comment}"]
    block += [f"{indent}- {json.dumps(item, ensure_ascii=False)}" for item in items]
    lines[end:end] = block


def _add_to_entry(
    lines: list[str], start: int, extra: Mapping[str, Sequence[str]], comment: str | None
) -> int:
    """Add one entry's items; its lines run from ``start`` to the next entry."""
    stop = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id: ")), None)
    stop = len(lines) if stop is None else stop
    phrasings = next(i for i in range(start, stop) if lines[i] == "    phrasings:")
    added = 0
    for kind, (header, indent) in _LISTS.items():
        items = extra.get(kind) or ()
        if not items:
            continue
        scope = range(phrasings, stop) if kind in ("km", "en") else range(start, stop)
        at = next((i for i in scope if lines[i].rstrip() == header), None)
        if at is None:  # no such list yet: start it where the phrasings end
            at = phrasings + 1
            while at < stop and lines[at].startswith("      "):
                at += 1
            lines[at:at] = [header]
            stop += 1
        before = len(lines)
        _append(lines, at, indent, items, comment)
        stop += len(lines) - before
        added += len(items)
    return added


def add(
    additions: Mapping[str, Mapping[str, Sequence[str]]],
    comment: str | None = None,
    data: Path = DATA,
) -> int:
    """Append to each named entry, in whichever file holds it; return how many were added."""
    added = 0
    for path in sorted(data.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        changed = False
        for entry_id, extra in additions.items():
            marker = f"  - id: {entry_id}"
            start = next((i for i, line in enumerate(lines) if line == marker), None)
            if start is not None:
                added += _add_to_entry(lines, start, extra, comment)
                changed = True
        if changed:
            path.write_text("\n".join(lines), encoding="utf-8")
    return added


def main() -> None:
    additions = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(f"added {add(additions)} phrasings and keywords")


if __name__ == "__main__":
    main()
