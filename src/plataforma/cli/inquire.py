"""``plataforma inquire vehicle|person|firearm``: hit/no-hit from the command line.

``plataforma inquire same-object ID`` lists the other records of a vehicle or firearm.

Exit 0 for a hit and for no hit alike (a hit is an answer, not an error); 2 when the input
cannot be looked up (the field is named), 1 when the inquiry is refused.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from plataforma.cli.common import console, local_principal, open_platform, out
from plataforma.inquiry import (
    Answer,
    FirearmQuery,
    InvalidQuery,
    PersonQuery,
    Query,
    VehicleQuery,
    inquire,
)
from plataforma.inquiry.same_object import same_object
from plataforma.records.errors import Forbidden, NotFound
from plataforma.records.hits import GUIDANCE_TEXT
from plataforma.security.policy import Purpose

app = typer.Typer(
    help="Hit/no-hit inquiries: is this person wanted, this vehicle or firearm stolen?",
    no_args_is_help=True,
)

PurposeOption = Annotated[
    Purpose, typer.Option("--purpose", help="Why you ask (recorded in the audit log)")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the answer as JSON")]


def _run(query: Query, purpose: Purpose, as_json: bool) -> None:
    platform = open_platform()
    try:
        answer = inquire(platform, local_principal(), query, purpose)
    except InvalidQuery as error:
        for problem in error.errors:
            console.print(f"[red]{problem.pointer.lstrip('/') or 'input'}: {problem.detail}[/red]")
        raise typer.Exit(2) from None
    except Forbidden as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    finally:
        platform.close()
    if as_json:
        out.print_json(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        _summary(answer)


def _summary(answer: Answer) -> None:
    if not answer.hit:
        out.print(Panel(f"NO HIT — {len(answer.others)} other records found", style="green"))
    for hit in answer.hits:
        caveats = ", ".join(c.upper() for c in hit.caveats) or "no caveats"
        lines = [
            f"[bold]{hit.kind.upper()}[/bold]  {hit.record_type} {hit.record_id}",
            f"owning agency {hit.agency} · status {hit.status} · {hit.date}",
            f"[bold red]{caveats}[/bold red]" + (f" — {hit.remarks}" if hit.remarks else ""),
            GUIDANCE_TEXT[hit.guidance],
            f"confirm: inquiry {answer.inquiry_id}, record {hit.record_id}, agency {hit.agency}",
        ]
        possible = hit.match.get("note")
        if possible:
            lines.insert(1, f"[bold yellow]{possible}[/bold yellow]")
        out.print(Panel("\n".join(lines), title="POSSIBLE HIT" if possible else "HIT", style="red"))
    if answer.others:
        table = Table("record", "type", "agency", "why it is not a hit", title="Other records")
        for other in answer.others:
            note = other.match.get("note")
            detail = f"{other.detail} ({note})" if note else other.detail
            table.add_row(other.record_id, other.record_type, other.agency, detail)
        out.print(table)
    if not answer.complete:
        out.print("[yellow]More records matched than are shown: narrow the inquiry.[/yellow]")
    out.print(f"[italic]{answer.notice}[/italic]")


@app.command("vehicle")
def vehicle(
    purpose: PurposeOption,
    plate: Annotated[str | None, typer.Option(help="The plate as read")] = None,
    state: Annotated[str | None, typer.Option(help="Issuing state (code or name)")] = None,
    vin: Annotated[str | None, typer.Option(help="Vehicle identification number")] = None,
    as_json: JsonOption = False,
) -> None:
    """Is this vehicle reported stolen? Give --plate [--state] or --vin."""
    _run(VehicleQuery(plate=plate, state=state, vin=vin), purpose, as_json)


@app.command("person")
def person(
    purpose: PurposeOption,
    curp: Annotated[str | None, typer.Option(help="CURP")] = None,
    name: Annotated[str | None, typer.Option(help='"GIVEN SURNAME1 SURNAME2"')] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth, YYYY-MM-DD")] = None,
    document: Annotated[str | None, typer.Option(help="Identity document number")] = None,
    as_json: JsonOption = False,
) -> None:
    """Is this person wanted, bound by a protection order or held on a detention?"""
    _run(PersonQuery(curp=curp, name=name, date_of_birth=dob, document=document), purpose, as_json)


@app.command("firearm")
def firearm(
    purpose: PurposeOption,
    serial: Annotated[str, typer.Option(help="Serial number")],
    as_json: JsonOption = False,
) -> None:
    """Is this firearm reported stolen or lost?"""
    _run(FirearmQuery(serial=serial), purpose, as_json)


@app.command("same-object")
def same_object_command(
    record_id: Annotated[str, typer.Argument(help="Id of a vehicle or firearm record")],
    purpose: PurposeOption,
    as_json: JsonOption = False,
) -> None:
    """Every other record of this vehicle or firearm, in any agency: exact, then possible."""
    platform = open_platform()
    try:
        listing = same_object(platform, local_principal(), record_id, purpose).to_json()
    except InvalidQuery as error:
        for problem in error.errors:
            console.print(f"[red]{problem.pointer.lstrip('/')}: {problem.detail}[/red]")
        raise typer.Exit(2) from None
    except (Forbidden, NotFound) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    finally:
        platform.close()
    if as_json:
        out.print_json(json.dumps(listing, ensure_ascii=False))
        return
    table = Table("record", "type", "agency", "match", "hit", "compare", title="Same object")
    for entry in listing["records"]:
        table.add_row(
            entry["record_id"],
            entry["record_type"],
            entry["agency"],
            entry["match_quality"],
            entry["hit_kind"] or "",
            entry.get("note") or "",
        )
    out.print(table)
