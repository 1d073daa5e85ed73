"""A little national person index for the UI tests: two agencies, markings, one review pair.

José Ramírez Acuña is a person record of POL-GDL (SBU); FGE-JAL holds a CONFIDENTIAL
warrant on him typed as "JOSE RAMIERZ ACUNA" (linked with confidence, readable by none of
POL-GDL's users), and an SBU warrant with his name and birth date but sex "M": a different
sex forbids a link on arrival (twins, relatives), so the pair waits for an analyst, who may
know it for a clerk's slip.
"""

from __future__ import annotations

from dataclasses import dataclass

from plataforma.context import Platform
from resolve.person_support import JOSE, JOSE_MISSPELT, enter, person, two_agencies, warrant

#: What no user of POL-GDL may see anywhere: the CONFIDENTIAL warrant's own spelling.
SECRET_SPELLING = "RAMIERZ"


@dataclass(frozen=True)
class Seeded:
    person_record: str
    hidden_warrant: str
    sparse_warrant: str


def seed_person_pages(platform: Platform) -> Seeded:
    two_agencies(platform)
    # Everything but sex agrees, so the pair scores near 1: widen the band to queue it.
    platform.settings = platform.settings.model_copy(update={"resolve_review_high": 1.0})
    first = enter(platform, "person", person("P1", "POL-GDL", JOSE))
    hidden = enter(
        platform, "warrant", warrant("W1", "FGE-JAL", JOSE_MISSPELT, marking="CONFIDENTIAL")
    )
    loose = enter(platform, "warrant", warrant("W2", "FGE-JAL", {**JOSE, "sex": "M"}))
    return Seeded(first, hidden, loose)
