"""Append phrasings and keywords to FAQ entries without touching anything else.

    python scripts/add_phrasings.py additions.yaml

`additions.yaml` maps an entry id to any of `km`, `en` (phrasings) and `keywords`, each a
list of strings. The FAQ files keep their layout and comments; run `nssf-bot faq check`
afterwards.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "faq" / "data"


def _append(lines: list[str], start: int, header: str, indent: str, items: list[str]) -> None:
    """Insert items after the last `indent- ` line of the list under `header`."""
    at = next(i for i in range(start, len(lines)) if lines[i].rstrip() == header)
    end = at + 1
    while end < len(lines) and lines[end].startswith(indent + "- "):
        end += 1
    lines[end:end] = [f"{indent}- {json.dumps(item, ensure_ascii=False)}" for item in items]


def main() -> None:
    additions = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for path in sorted(DATA.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        changed = False
        for entry_id, extra in additions.items():
            starts = [i for i, line in enumerate(lines) if line == f"  - id: {entry_id}"]
            if not starts:
                continue
            start = starts[0]
            phrasings = next(i for i in range(start, len(lines)) if lines[i] == "    phrasings:")
            for lang in ("km", "en"):
                if extra.get(lang):
                    _append(lines, phrasings, f"      {lang}:", "        ", extra[lang])
            if extra.get("keywords"):
                _append(lines, start, "    keywords:", "      ", extra["keywords"])
            changed = True
        if changed:
            path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
