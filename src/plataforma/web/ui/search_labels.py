"""Words the search page shows for hits and for why records are grouped as one subject."""

from __future__ import annotations

from plataforma.records.hits import HitKind
from plataforma.records.search_subjects import SubjectBasis
from plataforma.web.ui.display import N_

HIT_LABELS: dict[str, str] = {
    HitKind.WARRANT: N_("Active warrant"),
    HitKind.PROTECTION_ORDER: N_("Active protection order"),
    HitKind.DETENTION: N_("Detention in force"),
    HitKind.STOLEN_VEHICLE: N_("Stolen vehicle"),
    HitKind.STOLEN_FIREARM: N_("Stolen or lost firearm"),
}

BASIS_LABELS: dict[str, str] = {
    SubjectBasis.CURP: N_("Same CURP"),
    SubjectBasis.NAME_AND_DATE_OF_BIRTH: N_("Same name and date of birth"),
    SubjectBasis.NAME_ONLY: N_("Same name, no full date of birth: may be several people"),
    SubjectBasis.IDENTIFIER: N_("Same identifier"),
    SubjectBasis.RESOLVER: N_("Linked by entity resolution"),
}
