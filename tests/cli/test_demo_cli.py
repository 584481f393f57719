"""`nichely demo seed` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from nichely.cli import app
from nichely.community.models import Note
from nichely.storage.engine import Database

runner = CliRunner()


def test_demo_seed_small_store_then_refuses_to_seed_again(db: Database, tmp_path: Path):
    env = {
        "NICHELY_DATABASE_URL": db.url,
        "NICHELY_SECRET_KEY": "test",
        "NICHELY_MEDIA_DIR": str(tmp_path / "media"),
    }
    # when a small demo is seeded
    result = runner.invoke(
        app,
        [
            "demo",
            "seed",
            "--scale",
            "0.05",
            "--seed",
            "2",
            "--date",
            "2025-06-01",
            "--manifest",
            str(tmp_path / "m.json"),
        ],
        env=env,
    )
    # then it reports what it made and how to log in
    assert result.exit_code == 0, result.output
    assert "500 notes" in result.output
    assert "'nichely-demo'" in result.output
    assert "ring of 12 accounts" in result.output
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Note)) == 500
    manifest = json.loads((tmp_path / "m.json").read_text())
    assert len(manifest["ring_user_ids"]) == 12
    assert manifest["now"] == "2025-06-01T12:00:00"
    # and a second seed refuses, leaving the store alone
    again = runner.invoke(app, ["demo", "seed", "--scale", "0.05"], env=env)
    assert again.exit_code == 1
    assert "already has data" in again.output
