"""``plataforma admin agency|user|key``: the directory, accounts and system keys.

Commands act as the local administrator (whoever can run them on the server already holds the
database) and every one of them is audited as ``admin`` by
:mod:`plataforma.administration`.
Secrets (a user's TOTP secret, an API key) are printed once, as plain unwrapped lines that can
be copied, and never stored in clear.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from plataforma.administration import Administration, IdentityError
from plataforma.cli.common import console, local_principal, open_platform, out
from plataforma.cli.reindex import reindex_keys_command
from plataforma.model.envelope import Marking, RestrictedFile
from plataforma.model.records.agency import AgencyKind, AgencyLevel
from plataforma.records.errors import RecordError
from plataforma.security.principal import Role

app = typer.Typer(help="Manage agencies, users and API keys (audited).", no_args_is_help=True)
agency_app = typer.Typer(help="The agency directory.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts (password + TOTP).", no_args_is_help=True)
key_app = typer.Typer(help="API keys for agency systems.", no_args_is_help=True)
app.add_typer(agency_app, name="agency")
app.add_typer(user_app, name="user")
app.add_typer(key_app, name="key")
app.command("reindex-keys")(reindex_keys_command)

T = TypeVar("T")


@contextmanager
def _administration() -> Iterator[Administration]:
    """The platform opened as the local admin; refusals become a message and exit code 1."""
    platform = open_platform()
    try:
        yield Administration(platform, local_principal())
    except (IdentityError, RecordError) as error:
        console.print(f"[red]refused:[/red] {error}")
        raise typer.Exit(1) from None
    finally:
        platform.close()


def _run(operation: Callable[[Administration], T]) -> T:
    with _administration() as admin:
        return operation(admin)


@agency_app.command("add")
def agency_add(
    code: Annotated[str, typer.Argument(help="Agency code (like NCIC's ORI), e.g. FGE-JAL")],
    name: Annotated[str, typer.Option(help="Official name")],
    level: Annotated[AgencyLevel, typer.Option(help="federal, state or municipal")],
    kind: Annotated[AgencyKind, typer.Option(help="police, prosecutor, migration, ...")],
    state: Annotated[str | None, typer.Option(help="INEGI state code or name")] = None,
    municipality: Annotated[str | None, typer.Option(help="INEGI code or name")] = None,
    desk: Annotated[str | None, typer.Option(help="24/7 contact point: desk name")] = None,
    phone: Annotated[str | None, typer.Option(help="24/7 contact point: phone")] = None,
    email: Annotated[str | None, typer.Option(help="24/7 contact point: email")] = None,
    radio: Annotated[str | None, typer.Option(help="24/7 contact point: radio")] = None,
) -> None:
    """Register a new agency; an existing code is refused (change it with ``agency update``)."""
    fields = {"name": name, "level": level, "kind": kind, "state": state}
    fields["municipality"] = municipality
    fields |= _contact(desk, phone, email, radio)
    result = _run(lambda admin: admin.add_agency(code, fields))
    out.print(f"agency {code}: {result.outcome} (version {result.version})")


@agency_app.command("update")
def agency_update(
    code: Annotated[str, typer.Argument(help="Code of the registered agency to change")],
    name: Annotated[str | None, typer.Option(help="Official name")] = None,
    level: Annotated[AgencyLevel | None, typer.Option(help="federal, state or municipal")] = None,
    kind: Annotated[AgencyKind | None, typer.Option(help="police, prosecutor, ...")] = None,
    state: Annotated[str | None, typer.Option(help="INEGI state code or name")] = None,
    municipality: Annotated[str | None, typer.Option(help="INEGI code or name")] = None,
    desk: Annotated[str | None, typer.Option(help="24/7 contact point: desk name")] = None,
    phone: Annotated[str | None, typer.Option(help="24/7 contact point: phone")] = None,
    email: Annotated[str | None, typer.Option(help="24/7 contact point: email")] = None,
    radio: Annotated[str | None, typer.Option(help="24/7 contact point: radio")] = None,
) -> None:
    """Change the given fields of an agency's entry; the others keep their values."""
    changes = {"name": name, "level": level, "kind": kind, "state": state}
    changes["municipality"] = municipality
    changes |= _contact(desk, phone, email, radio)
    if all(value is None for value in changes.values()):
        console.print("[red]nothing to change:[/red] give at least one of --name, --level, …")
        raise typer.Exit(2)
    result = _run(lambda admin: admin.update_agency(code, changes))
    out.print(f"agency {code}: {result.outcome} (version {result.version})")


def _contact(
    desk: str | None, phone: str | None, email: str | None, radio: str | None
) -> dict[str, str | None]:
    """The 24/7 contact point's options as the agency record's fields."""
    return {
        "contact_desk": desk,
        "contact_phone": phone,
        "contact_email": email,
        "contact_radio": radio,
    }


@agency_app.command("list")
def agency_list() -> None:
    """Every registered agency."""
    table = Table("code", "name", "level", "kind", "state", "municipality")
    for entry in _run(lambda admin: admin.list_agencies()):
        data = entry.data
        table.add_row(
            entry.source_ref,
            data.get("name", ""),
            data.get("level", ""),
            data.get("kind", ""),
            data.get("state") or "",
            data.get("municipality") or "",
        )
    out.print(table)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name")],
    agency: Annotated[str, typer.Option(help="Code of the user's agency")],
    role: Annotated[list[Role], typer.Option(help="A role; repeat for several")],
    clearance: Annotated[Marking, typer.Option(help="Highest marking the user may read")] = (
        Marking.SBU
    ),
    restricted: Annotated[
        str, typer.Option(help="Restricted files granted, comma-separated (gang,juvenile)")
    ] = "",
    full_name: Annotated[str | None, typer.Option(help="Full name")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Create an account; prints the TOTP secret and its otpauth:// URI once."""
    try:
        files = [RestrictedFile(f.strip()) for f in restricted.split(",") if f.strip()]
    except ValueError:
        choices = ", ".join(RestrictedFile)
        raise typer.BadParameter(
            f"restricted files are {choices}", param_hint="--restricted"
        ) from None
    password = _read_password(password_stdin)
    created = _run(
        lambda admin: admin.add_user(username, agency, role, password, clearance, files, full_name)
    )
    out.print(f"user {username} created in {agency}")
    typer.echo(f"TOTP secret (shown once): {created.totp_secret}")
    typer.echo(f"otpauth URI: {created.otpauth_uri}")


@user_app.command("list")
def user_list(
    agency: Annotated[str | None, typer.Option(help="Only this agency's users")] = None,
) -> None:
    """Accounts with their roles, clearance and state."""
    table = Table("username", "name", "agency", "roles", "clearance", "restricted", "state")
    for user in _run(lambda admin: admin.list_users(agency)):
        state = "active" if user.active else "disabled"
        if user.locked_until:
            state += f", locked until {user.locked_until:%Y-%m-%d %H:%M}"
        table.add_row(
            user.username,
            user.full_name,
            user.agency,
            ",".join(sorted(user.roles)),
            user.clearance,
            ",".join(sorted(user.restricted_access)),
            state,
        )
    out.print(table)


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Argument()]) -> None:
    """Disable an account: its tokens stop working at the next request."""
    _run(lambda admin: admin.set_active(username, False))
    out.print(f"user {username} disabled")


@user_app.command("enable")
def user_enable(username: Annotated[str, typer.Argument()]) -> None:
    """Re-enable a disabled account."""
    _run(lambda admin: admin.set_active(username, True))
    out.print(f"user {username} enabled")


@user_app.command("unlock")
def user_unlock(username: Annotated[str, typer.Argument()]) -> None:
    """Lift a lockout after too many failed logins."""
    _run(lambda admin: admin.unlock(username))
    out.print(f"user {username} unlocked")


@key_app.command("create")
def key_create(
    agency: Annotated[str, typer.Option(help="Code of the agency whose system uses the key")],
    name: Annotated[str, typer.Option(help="What the key is for")],
    role: Annotated[list[Role], typer.Option(help="A role; repeat for several")],
    clearance: Annotated[Marking, typer.Option(help="Highest marking it may read")] = (Marking.SBU),
) -> None:
    """Create an API key; it is printed once and only its SHA-256 is kept."""
    key = _run(lambda admin: admin.create_key(name, agency, role, clearance))
    typer.echo(f"API key (shown once): {key}")
    typer.echo(f"prefix (to revoke it): {key[:10]}")


@key_app.command("revoke")
def key_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's first 10 characters")],
) -> None:
    """Revoke a key: requests carrying it get 401 from now on."""
    _run(lambda admin: admin.revoke_key(prefix))
    out.print(f"API key {prefix} revoked")


@key_app.command("list")
def key_list() -> None:
    """Keys with their agency, roles and whether they are revoked (never the keys)."""
    table = Table("prefix", "name", "agency", "roles", "clearance", "created", "revoked")
    for key in _run(lambda admin: admin.list_keys()):
        table.add_row(
            key.prefix,
            key.name,
            key.agency,
            ",".join(key.roles),
            key.clearance,
            f"{key.created_at:%Y-%m-%d %H:%M}",
            f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
        )
    out.print(table)
