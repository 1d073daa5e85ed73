"""``plataforma inquire``: the JSON contract, exit codes, and the Rich summary."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import add_agency
from plataforma.cli import inquire as inquire_cli
from plataforma.context import Platform

sys.path.insert(0, str(Path(__file__).parents[1] / "inquiry"))
from inquiry_fixtures import BORN, CURP, firearm, store, vehicle, warrant

runner = CliRunner()


@pytest.fixture
def cli(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    for code in ("POL-GDL", "FGE-JAL", "SSPC"):
        add_agency(platform, code)
    monkeypatch.setattr(inquire_cli, "open_platform", lambda: Platform.open(platform.settings))

    def invoke(*args: str) -> Result:
        return runner.invoke(inquire_cli.app, list(args))

    return invoke


def _json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def test_json_answers_hit_and_no_hit_with_exit_0(
    cli: Callable[..., Result], platform: Platform
) -> None:
    store(platform, [vehicle("V1"), firearm("F1"), warrant("W1", curp=CURP)])
    hit = _json(
        cli("vehicle", "--plate", "JKL-123-A", "--state", "14", "--purpose", "patrol", "--json")
    )
    assert hit["hit"] is True
    first = hit["hits"][0]
    assert {"record_id", "record_type", "agency", "status", "caveats", "confirmation"} <= set(first)
    assert first["confirmation"]["inquiry_id"] == hit["inquiry_id"]
    assert (
        _json(cli("vehicle", "--plate", "ZZZ-999-A", "--purpose", "patrol", "--json"))["hit"]
        is False
    )
    assert _json(cli("firearm", "--serial", "abc 12345", "--purpose", "patrol", "--json"))["hit"]
    by_name = cli(
        "person", "--name", "RAMON SALAS IBARRA", "--dob", BORN, "--purpose", "patrol", "--json"
    )
    assert _json(by_name)["hits"][0]["record_type"] == "warrant"
    assert _json(cli("person", "--curp", CURP, "--purpose", "patrol", "--json"))["hit"]
    assert not _json(cli("person", "--document", "X1234567", "--purpose", "patrol", "--json"))[
        "hit"
    ]


def test_summary_shows_the_hit_first_and_says_lead_not_proof(
    cli: Callable[..., Result], platform: Platform
) -> None:
    store(platform, [warrant("W1", armed_and_dangerous=True)])
    shown = cli("person", "--name", "Ramón Salas Ibarra", "--dob", BORN, "--purpose", "patrol")
    assert shown.exit_code == 0, shown.output
    assert "ACTIVE_WARRANT" in shown.stdout and "ARMED_AND_DANGEROUS" in shown.stdout
    assert "lead, not proof" in shown.stdout


def test_purpose_is_required_and_bad_input_names_the_field(cli: Callable[..., Result]) -> None:
    assert cli("vehicle", "--plate", "JKL123A").exit_code == 2
    bad = cli("vehicle", "--plate", "A1", "--purpose", "patrol")
    assert bad.exit_code == 2 and "plate" in bad.output


def test_a_misread_plate_is_a_possible_hit_in_the_summary_and_the_json(
    cli: Callable[..., Result], platform: Platform
) -> None:
    store(platform, [vehicle("V1")])
    shown = cli("vehicle", "--plate", "JKL-I23-A", "--purpose", "patrol")
    assert shown.exit_code == 0, shown.output
    assert "POSSIBLE HIT" in shown.stdout and "read as JKLI23A vs JKL-123-A" in shown.stdout
    body = _json(cli("vehicle", "--plate", "JKL-I23-A", "--purpose", "patrol", "--json"))
    assert body["hit"] is True and body["exact_hit"] is False
    assert body["hits"][0]["match_quality"] == "confusable"


def test_same_object_lists_the_misread_recovery(
    cli: Callable[..., Result], platform: Platform
) -> None:
    stolen, recovered = store(
        platform, [vehicle("A-1", plate=None), vehicle("B-1", plate=None, vin="3VWFE2lC04MOOOOO1")]
    )
    body = _json(cli("same-object", stolen, "--purpose", "investigation", "--json"))
    assert [(r["record_id"], r["match_quality"]) for r in body["records"]] == [
        (recovered, "confusable")
    ]
    shown = cli("same-object", stolen, "--purpose", "investigation")
    assert shown.exit_code == 0 and "confusable" in shown.stdout
    assert cli("same-object", "nope", "--purpose", "investigation").exit_code == 1
