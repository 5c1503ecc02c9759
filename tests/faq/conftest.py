"""Shared fixtures for the pure FAQ core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from faq.content import Faq, FaqError, load_faq
from faq.matcher import Matcher

REPO = Path(__file__).resolve().parents[2]
# ../shared sits beside the checkout (locally and in CI); NSSF_SHARED_DIR overrides it.
SHARED = Path(os.environ.get("NSSF_SHARED_DIR", REPO.parent / "shared"))


def shared_file(name: str) -> Path:
    """A file from ../shared; CI must have it, a bare checkout may not."""
    path = SHARED / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the checkout")
        pytest.skip(f"{path} not found (set NSSF_SHARED_DIR)")
    return path


@pytest.fixture(scope="session")
def faq() -> Faq:
    try:
        return load_faq()
    except FaqError as exc:  # pragma: no cover - the content check test reports details
        pytest.fail(f"the shipped FAQ does not load:\n{exc}")


@pytest.fixture(scope="session")
def matcher(faq: Faq) -> Matcher:
    return Matcher(faq)
