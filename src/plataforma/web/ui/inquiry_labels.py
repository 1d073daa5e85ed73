"""Words the inquiry screen shows: caveats, what to do, and why a record is not a hit.

The English texts live in ``records.hits`` (the API's contract); these are the catalogue
messages the screen translates, one per code, so an officer reads them in Spanish.
"""

from __future__ import annotations

from plataforma.records.hits import Caveat, Guidance, NoHitReason
from plataforma.web.ui.display import N_

CAVEAT_LABELS: dict[str, str] = {
    Caveat.ARMED_AND_DANGEROUS: N_("Armed and dangerous"),
    Caveat.VIOLENT: N_("Violent"),
    Caveat.PROTECTION_ORDER: N_("Protection order"),
}

GUIDANCE_LABELS: dict[str, str] = {
    Guidance.HOLD_AND_CONFIRM_WARRANT: N_(
        "Keep the person at the scene within the law and request confirmation of the warrant "
        "from the owning agency; arrest only once it confirms."
    ),
    Guidance.ENFORCE_PROTECTION_ORDER: N_(
        "Check whether the person is breaking the order's conditions (distance, contact) and "
        "confirm the order with the issuing agency."
    ),
    Guidance.CONFIRM_CUSTODY: N_(
        "The person should be in custody on this detention: confirm with the receiving "
        "authority whether they were released or escaped."
    ),
    Guidance.SECURE_VEHICLE: N_(
        "Do not release the vehicle; confirm the theft report with the owning agency before "
        "seizing it. Occupants are not suspects by this hit alone."
    ),
    Guidance.SECURE_FIREARM: N_(
        "Secure the firearm safely and confirm the report with the owning agency."
    ),
}

NO_HIT_LABELS: dict[str, str] = {
    NoHitReason.NOT_ACTIVE: N_("No longer in force (cancelled or cleared)."),
    NoHitReason.EXPIRED: N_("Expired."),
    NoHitReason.DETENTION_PAST: N_("A past detention: the person is not held on it now."),
    NoHitReason.RECOVERED: N_("Reported stolen and since recovered."),
    NoHitReason.NO_THEFT_REPORT: N_("No theft report."),
    NoHitReason.FIREARM_NOT_STOLEN: N_("Not reported stolen or lost."),
    NoHitReason.NOT_A_HIT_TYPE: N_("Information, not a hit."),
    NoHitReason.NAMED_IN_REPORT: N_("Named in a police report (victim, witness, ...)."),
}

INQUIRY_KIND_LABELS: dict[str, str] = {
    "person": N_("Person"),
    "vehicle": N_("Vehicle"),
    "firearm": N_("Firearm"),
}
