"""Code tables: states, municipalities and crime types, as data files with resolvers.

Records name places and crimes the way people write them ("CDMX", "9", "Cancún",
"Robo a casa habitación"); the resolvers here turn those into the codes the platform stores
(2-digit INEGI state, 5-digit INEGI municipality, SESNSP subtipo in snake_case) and raise
`CodeError` when a value names nothing, or more than one thing.

The tables ship in `data/` and describe Mexico. A deployment replaces any of them by putting a
CSV with the same columns in `$PLATAFORMA_DATA_DIR/codes/` (`states.csv`,
`municipalities.csv`, `municipality_aliases.csv`, `crime_types.csv`, `crime_modalities.csv`):
that is how the full INEGI municipal catalogue is installed (`load_catalogue` then
`install_catalogue`), and how another country configures its own states and crimes.
Each table is read once per process; `reset_cache` forgets them.
"""

from plataforma.model.codes._data import reset_cache
from plataforma.model.codes._text import slugify
from plataforma.model.codes.catalogue import (
    import_catalogue,
    install_catalogue,
    load_catalogue,
    parse_catalogue,
)
from plataforma.model.codes.crime_types import (
    CrimeType,
    Modality,
    Severity,
    all_crime_types,
    modalities_of,
    resolve_crime_type,
)
from plataforma.model.codes.errors import CodeError
from plataforma.model.codes.municipalities import (
    Municipality,
    all_municipalities,
    municipalities_of,
    resolve_municipality,
)
from plataforma.model.codes.states import (
    CURP_BORN_ABROAD,
    State,
    all_states,
    resolve_state,
    state_by_curp,
)

__all__ = [
    "CURP_BORN_ABROAD",
    "CodeError",
    "CrimeType",
    "Modality",
    "Municipality",
    "Severity",
    "State",
    "all_crime_types",
    "all_municipalities",
    "all_states",
    "import_catalogue",
    "install_catalogue",
    "load_catalogue",
    "modalities_of",
    "municipalities_of",
    "parse_catalogue",
    "reset_cache",
    "resolve_crime_type",
    "resolve_municipality",
    "resolve_state",
    "slugify",
    "state_by_curp",
]
