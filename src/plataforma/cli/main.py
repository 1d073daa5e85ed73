"""``plataforma``: the command line. One module per command group; this file only wires them."""

from __future__ import annotations

import typer

from plataforma.cli import (
    admin,
    audit,
    backup,
    codes,
    config,
    inquire,
    records_io,
    resolve,
    server,
    synth,
    trends,
)
from plataforma.logs import configure_logging

app = typer.Typer(
    name="plataforma",
    help="National criminal-information platform: records, inquiries, analysis.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _configure() -> None:
    """Every command logs failures as key=value lines on stderr."""
    configure_logging()


app.command("serve")(server.serve)
app.command("demo")(server.demo)
app.command("import")(records_io.import_file)
app.command("export")(records_io.export_records)
app.command("purge")(records_io.purge)
app.command("synth")(synth.synth)
app.add_typer(inquire.app, name="inquire")
app.add_typer(admin.app, name="admin")
app.add_typer(audit.app, name="audit")
app.add_typer(codes.app, name="codes")
app.add_typer(config.app, name="config")
app.add_typer(trends.app, name="trends")
app.add_typer(resolve.app, name="resolve")
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)


if __name__ == "__main__":
    app()
