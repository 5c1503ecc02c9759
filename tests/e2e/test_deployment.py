"""The deployment files say what docs/deployment.md promises (no Docker needed to check)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8")))


def test_postgres_has_a_volume_and_a_healthcheck(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])
    named = postgres["volumes"][0].split(":")[0]
    assert named in compose["volumes"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_migrate_runs_once_after_postgres_is_healthy(compose: dict[str, Any]) -> None:
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_bot_starts_after_migration_succeeded(compose: dict[str, Any]) -> None:
    bot = compose["services"]["bot"]
    assert bot["command"] == ["run"]
    assert bot["restart"] == "unless-stopped"
    assert bot["env_file"] == ".env"
    assert bot["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    for name in ("bot", "migrate"):
        service = compose["services"][name]
        assert service["image"] == compose["services"]["bot"]["image"]
        assert "@postgres:5432/" in service["environment"]["DATABASE_URL"]


def test_env_example_documents_every_setting() -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    lines = text.splitlines()
    named = {m.group(1) for m in re.finditer(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE)}
    expected = {name.upper() for name in Settings.model_fields}
    assert expected <= named, f"missing from .env.example: {sorted(expected - named)}"
    for index, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            # Each setting (or its group) is explained by a comment just above it.
            above = [lines[i] for i in range(max(0, index - 3), index)]
            assert any(
                previous.startswith("#") or re.match(r"^[A-Z_]+=", previous) for previous in above
            ), f"no comment above {line!r}"
    assert "TELEGRAM_BOT_TOKEN=\n" in text  # never a real-looking token in the example


def test_dockerfile_is_multi_stage_slim_and_unprivileged() -> None:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert len(stages) >= 2
    assert all(stage.startswith("python:3.11-slim") for stage in stages)
    assert re.search(r"^USER (?!root)\S+", text, re.MULTILINE)
    assert 'ENTRYPOINT ["nssf-bot"]' in text
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored
