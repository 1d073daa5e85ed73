"""How often each crime happens, and when: the rhythms the trend analysis should find.

Frequencies follow the shape of SESNSP's fuero común incidence (family violence, robberies
and injuries lead; homicide and extortion are rarer; kidnapping and feminicide rarest). Each
crime type follows one of a few temporal profiles: street robbery peaks in the evening rush,
burglary in working hours while houses are empty, family violence on weekend nights.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from plataforma.model.codes import all_crime_types
from plataforma.synth.rng import FloatArray

# Relative frequency per 100 incidents; types not listed weigh 0.1.
FREQUENCY = {
    "violencia_familiar": 14.0,
    "otros_robos": 9.0,
    "lesiones_dolosas": 7.0,
    "robo_a_negocio": 6.5,
    "robo_a_transeunte_en_via_publica": 6.0,
    "amenazas": 6.0,
    "narcomenudeo": 5.5,
    "robo_de_vehiculo_automotor": 5.0,
    "fraude": 5.0,
    "dano_a_la_propiedad": 5.0,
    "robo_a_casa_habitacion": 4.0,
    "robo_de_autopartes": 3.0,
    "lesiones_culposas": 2.5,
    "otros_delitos_del_fuero_comun": 2.5,
    "homicidio_doloso": 1.5,
    "abuso_de_confianza": 1.5,
    "despojo": 1.5,
    "incumplimiento_de_obligaciones_de_asistencia_familiar": 1.5,
    "abuso_sexual": 1.2,
    "homicidio_culposo": 1.0,
    "robo_en_transporte_publico_colectivo": 1.0,
    "robo_a_transeunte_en_espacio_abierto_al_publico": 1.0,
    "allanamiento_de_morada": 0.8,
    "extorsion": 0.7,
    "violacion_simple": 0.6,
    "acoso_sexual": 0.6,
    "robo_a_transportista": 0.6,
    "robo_en_transporte_individual": 0.6,
    "falsificacion": 0.4,
    "robo_de_ganado": 0.3,
    "feminicidio": 0.06,
    "secuestro": 0.04,
    "trata_de_personas": 0.03,
}

PROFILE_OF = {
    "street": (
        "robo_a_transeunte",
        "robo_en_transporte",
        "robo_de_autopartes",
        "robo_de_vehiculo",
        "robo_a_transportista",
        "otros_robos",
    ),
    "home": ("robo_a_casa", "allanamiento", "despojo", "dano_a_la_propiedad"),
    "business": ("robo_a_negocio", "robo_a_institucion", "robo_de_maquinaria"),
    "family": (
        "violencia",
        "lesiones",
        "amenazas",
        "abuso_sexual",
        "violacion",
        "acoso",
        "incumplimiento",
        "hostigamiento",
    ),
    "night": ("homicidio", "feminicidio", "secuestro", "trata", "rapto"),
    "office": ("fraude", "extorsion", "abuso_de_confianza", "falsificacion", "falsedad"),
    "drugs": ("narcomenudeo",),
}

# Hour-of-day shapes (24 values, local time) and weekday shapes (Monday first).
_HOURS = {
    "street": [2, 1.5, 1, 1, 1, 1.5, 3, 5, 5, 4, 4, 4, 4, 4.5, 5, 5, 5.5, 6.5, 8, 9, 9, 7, 5, 3],
    "home": [1, 1, 1, 1, 1, 1, 1.5, 2, 4, 6, 7, 7, 7, 7, 6.5, 6, 5, 4, 3, 2.5, 2, 1.5, 1, 1],
    "business": [
        1,
        0.5,
        0.5,
        0.5,
        0.5,
        0.5,
        1,
        2,
        4,
        5,
        6,
        6,
        6,
        6,
        6,
        6,
        6.5,
        7,
        7.5,
        7,
        6,
        4,
        2.5,
        1.5,
    ],
    "family": [6, 5, 4, 3, 2, 1.5, 1.5, 2, 2.5, 3, 3, 3, 3, 3.5, 3.5, 4, 4, 4.5, 5, 6, 7, 8, 8, 7],
    "night": [7, 7, 6, 5, 4, 3, 2, 2, 2, 2, 2, 2, 2.5, 2.5, 3, 3, 3.5, 4, 5, 6, 7, 8, 8, 8],
    "office": [
        0.3,
        0.2,
        0.2,
        0.2,
        0.2,
        0.3,
        0.5,
        1,
        3,
        6,
        8,
        8,
        8,
        8,
        7,
        7,
        6,
        5,
        3,
        2,
        1,
        1,
        0.5,
        0.4,
    ],
    "drugs": [5, 4, 3, 2, 1, 1, 1, 1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4, 5, 6, 7, 8, 8, 8, 7, 6],
}
_WEEK_WORK = [1.06, 1.05, 1.05, 1.05, 1.1, 0.9, 0.79]
_WEEK_LEISURE = [0.85, 0.82, 0.85, 0.9, 1.05, 1.3, 1.33]
_WEEKDAYS = {
    "street": _WEEK_WORK,
    "home": _WEEK_WORK,
    "business": _WEEK_WORK,
    "office": _WEEK_WORK,
    "family": _WEEK_LEISURE,
    "night": _WEEK_LEISURE,
    "drugs": _WEEK_LEISURE,
}
# Month shapes (January first): hot months raise violence; December raises robbery and
# family violence (bonuses, parties), January and February are quiet.
_SEASON_DEFAULT = [0.92, 0.88, 0.98, 1.0, 1.07, 1.04, 1.0, 1.0, 0.97, 1.0, 1.0, 1.1]
_SEASON_FAMILY = [1.08, 0.9, 0.95, 0.95, 1.02, 1.0, 0.98, 0.98, 0.97, 1.0, 1.02, 1.18]


@dataclass(frozen=True)
class CrimeMix:
    codes: tuple[str, ...]
    weights: FloatArray
    profiles: tuple[str, ...]


def profile_of(code: str) -> str:
    for profile, prefixes in PROFILE_OF.items():
        if code.startswith(prefixes):
            return profile
    return "office"


@cache
def crime_mix() -> CrimeMix:
    """Every packaged crime type with its frequency and temporal profile."""
    codes = tuple(c.code for c in all_crime_types())
    weights = np.array([FREQUENCY.get(code, 0.1) for code in codes])
    return CrimeMix(codes, weights, tuple(profile_of(code) for code in codes))


def hour_weights(profile: str) -> FloatArray:
    hours = np.array(_HOURS[profile], dtype=np.float64)
    normalised: FloatArray = hours / hours.sum()
    return normalised


def weekday_weights(profile: str) -> FloatArray:
    return np.array(_WEEKDAYS[profile], dtype=np.float64)


def month_weights(profile: str) -> FloatArray:
    return np.array(_SEASON_FAMILY if profile == "family" else _SEASON_DEFAULT, dtype=np.float64)
