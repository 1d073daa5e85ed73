"""The particles of compound surnames ("de la Cruz", "van der Berg"), in one list.

Both the CURP (whose initials skip them, as RENAPO's instructions say) and person names (whose
keys keep them attached to their surname and whose fuzzy tokens drop them) need to know what a
particle is; two lists had drifted apart ("EL" and "MAC" in one, "DOS" and "DU" in the other),
so that the same name was split one way and its CURP built another.
"""

from __future__ import annotations

__all__ = ["PARTICLES"]

# RENAPO's list for the CURP (DA, DAS, DE, DEL, DER, DI, DIE, DD, EL, LA, LOS, LAS, LE, LES,
# MAC, MC, VAN, VON, Y) plus the Portuguese and French ones met in Mexican records.
# fmt: off
PARTICLES = frozenset({
    "DA", "DAS", "DD", "DE", "DEL", "DER", "DI", "DIE", "DO", "DOS", "DU", "EL", "LA", "LAS",
    "LE", "LES", "LOS", "MAC", "MC", "VAN", "VON", "Y"
})
# fmt: on
