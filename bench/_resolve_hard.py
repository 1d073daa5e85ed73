"""A hard person-resolution set, built here and independent of ``plataforma.synth``'s clerk.

What makes entity resolution hard in Mexican police records, planted on purpose:

* twins: same surnames, same date of birth, same home, different given names;
* father and son of the same full name, born 20-30 years apart, same street;
* many "Juan Hernández López" in one town (distinct people, one name);
* heavy corruption: two to four mistakes per record (typos, dropped or swapped surnames, a
  surname folded into the given names, nicknames, abbreviations, date errors, CURP typos,
  Unicode oddities: combining accents, non-breaking spaces, Ñ written N or NN, case);
* records with almost nothing (a given name alone) that truly belong to someone.

``hard_rows(persons, seed)`` returns the rows (DESIGN §5 columns) and the truth.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import Any

from plataforma.model.values import make_curp

MALE = (
    "José",
    "Juan",
    "Luis",
    "Carlos",
    "Jesús",
    "Francisco",
    "Miguel",
    "Pedro",
    "Jorge",
    "Alejandro",
    "Manuel",
    "Roberto",
    "Ricardo",
    "Eduardo",
    "Fernando",
    "Javier",
    "Sergio",
    "Guillermo",
    "Ignacio",
    "Enrique",
    "Alfonso",
    "Gonzalo",
    "Rafael",
    "Arturo",
    "Raúl",
    "Salvador",
    "Antonio",
    "Héctor",
    "Óscar",
    "Martín",
    "Andrés",
    "Joaquín",
    "Ramón",
    "Ernesto",
    "Gerardo",
    "Alberto",
    "Víctor",
    "Rubén",
    "Hugo",
    "Emiliano",
)
FEMALE = (
    "María",
    "Guadalupe",
    "Juana",
    "Margarita",
    "Verónica",
    "Leticia",
    "Rosa",
    "Patricia",
    "Elizabeth",
    "Alejandra",
    "Gabriela",
    "Concepción",
    "Rosario",
    "Mercedes",
    "Dolores",
    "Teresa",
    "Isabel",
    "Adriana",
    "Claudia",
    "Silvia",
    "Yolanda",
    "Alicia",
    "Araceli",
    "Beatriz",
    "Lucía",
    "Sofía",
    "Ximena",
    "Refugio",
    "Socorro",
    "Carmen",
    "Ana",
    "Laura",
)
SURNAMES = (
    "Hernández",
    "García",
    "López",
    "Martínez",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Reyes",
    "Jiménez",
    "Torres",
    "Díaz",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Castillo",
    "Moreno",
    "Romero",
    "Álvarez",
    "Chávez",
    "Rivera",
    "Juárez",
    "Ramos",
    "Domínguez",
    "Herrera",
    "Medina",
    "Castro",
    "Vargas",
    "Guzmán",
    "Velázquez",
    "Muñoz",
    "Rojas",
    "de la Cruz",
    "del Ángel",
    "Ibáñez",
    "Peña",
    "Núñez",
    "Zarza",
    "Yáñez",
    "Quiñones",
    "Echeverría",
    "Xicoténcatl",
    "Villaseñor",
    "Bañuelos",
)
NICKNAMES = {
    "José": "Pepe",
    "Francisco": "Paco",
    "Guadalupe": "Lupe",
    "Jesús": "Chuy",
    "Ignacio": "Nacho",
    "Concepción": "Conchita",
    "Alfonso": "Poncho",
    "Enrique": "Kike",
    "Rosario": "Chayo",
    "Eduardo": "Lalo",
    "Gonzalo": "Chalo",
    "Refugio": "Cuca",
    "Mercedes": "Meche",
    "Roberto": "Beto",
    "Guillermo": "Memo",
    "Salvador": "Chava",
    "Dolores": "Lola",
    "Antonio": "Toño",
    "Manuel": "Manolo",
    "Socorro": "Coco",
}
STATES = (
    "AS",
    "BC",
    "CH",
    "DF",
    "GT",
    "GR",
    "JC",
    "MC",
    "MN",
    "NL",
    "OC",
    "PL",
    "SL",
    "SR",
    "TS",
    "VZ",
    "YN",
    "ZS",
)
STATE_CODES = {
    "AS": "01",
    "BC": "02",
    "CH": "08",
    "DF": "09",
    "GT": "11",
    "GR": "12",
    "JC": "14",
    "MC": "15",
    "MN": "16",
    "NL": "19",
    "OC": "20",
    "PL": "21",
    "SL": "24",
    "SR": "26",
    "TS": "28",
    "VZ": "30",
    "YN": "31",
    "ZS": "32",
}
ALIASES = (
    "El Güero",
    "El Flaco",
    "El Chino",
    "El Chapo",
    "El Mudo",
    "La Güera",
    "El Tigre",
    "El Compa",
    "El Pelón",
    "El Gordo",
)
TOWN = "14039"  # one town with many namesakes
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_REFERENCE = dt.date(2024, 6, 30)


_SURNAME_WEIGHTS = [1 / (rank + 1) ** 0.9 for rank in range(len(SURNAMES))]


def _surname(rng: random.Random) -> str:
    # Zipf-like: the first surnames are very common (Hernández ~12%), the last ones rare.
    return rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]


def _person(rng: random.Random, pid: int, **fixed: Any) -> dict[str, Any]:
    sex = fixed.get("sex") or rng.choice("HHHM")
    pool = MALE if sex == "H" else FEMALE
    given = fixed.get("given") or (
        rng.choice(pool) + (" " + rng.choice(pool) if rng.random() < 0.35 else "")
    )
    born = fixed.get("born") or _REFERENCE - dt.timedelta(days=rng.randint(16 * 365, 70 * 365))
    state = fixed.get("state") or rng.choice(STATES)
    s1, s2 = fixed.get("s1") or _surname(rng), fixed.get("s2") or _surname(rng)
    return {
        "pid": pid,
        "given": given,
        "s1": s1,
        "s2": s2,
        "sex": sex,
        "born": born,
        "state": state,
        "municipality": fixed.get("municipality")
        or f"{rng.randint(1, 32):02d}{rng.randint(1, 120):03d}",
        "street": fixed.get("street") or f"Calle {rng.choice(SURNAMES)} {rng.randint(1, 3000)}",
        "curp": make_curp(given, s1, s2, born, sex, state, pid),
        "alias": rng.choice(ALIASES) if rng.random() < 0.15 else "",
        "phone": f"55{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.2 else "",
    }


def _population(persons: int, rng: random.Random) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    while len(people) < persons:
        pid = len(people)
        roll = rng.random()
        if roll < 0.06:  # twins
            a = _person(rng, pid)
            pool = MALE if a["sex"] == "H" else FEMALE
            other = rng.choice([g for g in pool if g != a["given"].split()[0]])
            people += [
                a,
                _person(
                    rng,
                    pid + 1,
                    sex=a["sex"],
                    given=other,
                    s1=a["s1"],
                    s2=a["s2"],
                    born=a["born"],
                    state=a["state"],
                    municipality=a["municipality"],
                    street=a["street"],
                ),
            ]
        elif roll < 0.12:  # father and son of one name
            son = _person(rng, pid, sex="H")
            gap = dt.timedelta(days=rng.randint(20 * 365, 30 * 365))
            people += [
                son,
                _person(
                    rng,
                    pid + 1,
                    sex="H",
                    given=son["given"],
                    s1=son["s1"],
                    s2=son["s2"],
                    born=son["born"] - gap,
                    state=son["state"],
                    municipality=son["municipality"],
                    street=son["street"],
                ),
            ]
        elif roll < 0.16:  # namesakes in one town
            people.append(
                _person(
                    rng, pid, sex="H", given="Juan", s1="Hernández", s2="López", municipality=TOWN
                )
            )
        else:
            people.append(_person(rng, pid))
    return people[:persons]


# --- corruption --------------------------------------------------------------------------


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    return text[:i] + rng.choice(_LETTERS) + text[i + 1 :]


def _unicode_oddity(text: str, rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return unicodedata.normalize("NFD", text)  # combining accents
    if kind == 1:
        return text.replace(" ", "\u00a0")
    if kind == 2:
        return text.replace("ñ", rng.choice(["n", "nn"])).replace("Ñ", "N")
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).upper()


def _mistake(r: dict[str, str], rng: random.Random) -> None:
    kind = rng.randrange(13)
    if kind == 0:
        field = rng.choice(["given_name", "first_surname", "second_surname"])
        r[field] = _typo(r[field], rng)
    elif kind == 1:
        r["second_surname"] = ""
    elif kind == 2:
        r["first_surname"], r["second_surname"] = r["second_surname"], r["first_surname"]
    elif kind == 3 and r["second_surname"]:  # a surname folded into the given names
        r["given_name"] = f"{r['given_name']} {r['first_surname']}"
        r["first_surname"], r["second_surname"] = r["second_surname"], ""
    elif kind == 4:
        words = r["given_name"].split()
        words[0] = NICKNAMES.get(words[0], words[0])
        if words[0] in ("María", "José") and len(words) > 1:
            words[0] = "Ma." if words[0] == "María" else "J."
        r["given_name"] = " ".join(words)
    elif kind == 5 and len(r["date_of_birth"]) == 10:
        y, m, d = r["date_of_birth"].split("-")
        if int(d) <= 12:
            r["date_of_birth"] = f"{y}-{d}-{m}"
    elif kind == 6 and len(r["date_of_birth"]) == 10:
        r["date_of_birth"] = (
            str(int(r["date_of_birth"][:4]) + rng.choice([-1, 1])) + r["date_of_birth"][4:]
        )
    elif kind == 7:
        r["date_of_birth"] = rng.choice(["", r["date_of_birth"][:4]])
    elif kind == 8 and r["curp"]:
        i = rng.randrange(4, 17)
        r["curp"] = (
            r["curp"][:i]
            + rng.choice("0123456789" if r["curp"][i].isdigit() else _LETTERS.upper())
            + r["curp"][i + 1 :]
        )
    elif kind == 9:
        for field in ("given_name", "first_surname", "second_surname"):
            r[field] = _unicode_oddity(r[field], rng)
    elif kind == 10:
        r["municipality"] = f"{rng.randint(1, 32):02d}{rng.randint(1, 120):03d}"  # moved
        r["street"] = ""
    elif kind == 11:
        r["sex"] = ""
        r["birth_state"] = ""
    else:
        field = rng.choice(["given_name", "first_surname"])
        r[field] = r[field].lower()


def _record(p: dict[str, Any], k: int, rng: random.Random) -> dict[str, str]:
    r = {
        "record_id": f"H{p['pid']:06d}-{k}",
        "agency": rng.choice(["FGE-JAL", "SSP-CDMX", "FGR", "POL-14039"]),
        "given_name": p["given"],
        "first_surname": p["s1"],
        "second_surname": p["s2"],
        "sex": p["sex"],
        "date_of_birth": p["born"].isoformat(),
        "curp": p["curp"] if rng.random() < 0.45 else "",
        "birth_state": STATE_CODES[p["state"]] if rng.random() < 0.5 else "",
        "municipality": p["municipality"] if rng.random() < 0.8 else "",
        "street": p["street"] if rng.random() < 0.5 else "",
        "alias": p["alias"],
        "document_number": "",
        "phone": p["phone"] if rng.random() < 0.5 else "",
    }
    if rng.random() < 0.02:  # almost nothing: a given name alone
        return {
            **{f: "" for f in r},
            "record_id": r["record_id"],
            "agency": r["agency"],
            "given_name": p["given"].split()[0],
        }
    for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4]) if k else rng.choice([0, 0, 1, 2])):
        _mistake(r, rng)
    return r


def hard_rows(persons: int, seed: int) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Rows in the resolve input layout (shuffled) and the truth (record_id → person)."""
    rng = random.Random(seed)
    rows, truth = [], {}
    for p in _population(persons, rng):
        for k in range(1 + min(7, int(rng.expovariate(0.8)))):
            row = _record(p, k, rng)
            rows.append(row)
            truth[row["record_id"]] = f"P{p['pid']}"
    rng.shuffle(rows)
    return rows, truth
