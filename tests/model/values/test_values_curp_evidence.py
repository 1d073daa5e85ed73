"""Evidence read from a CURP, valid or mistyped."""

from __future__ import annotations

import datetime as dt

from plataforma.model.values import make_curp
from plataforma.model.values.curp_evidence import curp_evidence

CURP = make_curp("Juan", "Pérez", "López", dt.date(1990, 2, 14), "H", "JC", 3)


def test_valid_curp_gives_every_field() -> None:
    evidence = curp_evidence(CURP.lower())
    assert evidence is not None and evidence.valid
    assert evidence.text == CURP
    assert (evidence.initials, evidence.birth_date, evidence.sex, evidence.state_code) == (
        "PELJ",
        dt.date(1990, 2, 14),
        "H",
        "JC",
    )


def test_mistyped_curp_is_invalid_but_still_evidence() -> None:
    typo = CURP[:14] + ("A" if CURP[14] != "A" else "B") + CURP[15:]
    evidence = curp_evidence(typo)
    assert evidence is not None and not evidence.valid
    assert evidence.birth_date == dt.date(1990, 2, 14)
    assert evidence.sex == "H" and evidence.state_code == "JC"


def test_garbage_is_not_a_curp_and_never_raises() -> None:
    assert curp_evidence("") is None
    assert curp_evidence("not a curp at all!") is None
    bad_date = curp_evidence("PELJ909999HJCRPN05")
    assert bad_date is not None and bad_date.birth_date is None
