"""Word lists the generator samples from, loaded once as numpy arrays.

Names come from Faker's es_MX provider *data* (its tuples of given names and surnames); we do
not call Faker per field, which is ~100x slower than indexing an array with numpy. Nicknames,
hypocorisms, vehicle and firearm catalogues are ours: short, generic and free of slurs.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
from faker.providers.address.es_MX import Provider as AddressProvider
from faker.providers.person.es_MX import Provider as PersonProvider

StrArray = npt.NDArray[np.str_]

# Apodos as they appear in police reports; "El"/"La" forms are chosen by sex.
MALE_ALIASES = (
    "El Güero",
    "El Flaco",
    "El Gordo",
    "El Chino",
    "El Negro",
    "El Chaparro",
    "El Pelón",
    "El Tuerto",
    "El Zurdo",
    "El Compa",
    "El Primo",
    "El Chavo",
    "El Cholo",
    "El Mudo",
    "El Pollo",
    "El Gallo",
    "El Toro",
    "El Burro",
    "El Conejo",
    "El Tigre",
    "El Lobo",
    "El Alacrán",
    "El Cuervo",
    "El Charro",
    "El Jefe",
    "El Pato",
    "El Ratón",
    "El Oso",
    "El Chivo",
    "El Greñas",
    "El Cabezón",
    "El Ingeniero",
    "El Profe",
    "El Doctor",
    "El Licenciado",
    "El Sombra",
    "El Mecánico",
    "El Gato",
    "El Perico",
    "El Tacos",
)
FEMALE_ALIASES = (
    "La Güera",
    "La Flaca",
    "La Gorda",
    "La Chata",
    "La Negra",
    "La Chaparra",
    "La China",
    "La Jefa",
    "La Muñeca",
    "La Reina",
    "La Güereja",
    "La Tía",
    "La Prima",
    "La Gata",
    "La Patrona",
    "La Chuy",
    "La Peque",
    "La Morena",
    "La Doña",
    "La Licenciada",
)

# Hypocorisms clerks write instead of the registered given name.
HYPOCORISMS = {
    "José": "Pepe",
    "Francisco": "Paco",
    "Guadalupe": "Lupe",
    "Jesús": "Chucho",
    "Ignacio": "Nacho",
    "Concepción": "Conchita",
    "Dolores": "Lola",
    "Enrique": "Quique",
    "Alfredo": "Fredo",
    "Refugio": "Cuco",
    "Rosario": "Chayo",
    "Roberto": "Beto",
    "Alberto": "Beto",
    "Eduardo": "Lalo",
    "Gerardo": "Lalo",
    "Luis": "Güicho",
    "Salvador": "Chava",
    "Manuel": "Manolo",
    "Antonio": "Toño",
    "Alejandro": "Alex",
    "Rodrigo": "Rigo",
    "Cecilia": "Chela",
    "Graciela": "Chela",
    "Socorro": "Coco",
    "Margarita": "Magos",
    "Mercedes": "Meche",
    "Ernesto": "Neto",
    "Feliciano": "Chano",
    "Vicente": "Chente",
    "Isabel": "Chabela",
    "Rafael": "Rafa",
    "Fernando": "Nando",
    "Gregorio": "Goyo",
    "Pedro": "Perico",
    "Daniel": "Dani",
    "Guillermo": "Memo",
}

# Given names RENAPO skips in CURPs and clerks abbreviate ("Ma.", "J.").
ABBREVIATIONS = {"María": "Ma.", "José": "J."}

STREET_HEROES = (
    "Hidalgo",
    "Juárez",
    "Morelos",
    "Allende",
    "Madero",
    "Zaragoza",
    "Guerrero",
    "Independencia",
    "Reforma",
    "Revolución",
    "Constitución",
    "5 de Mayo",
    "16 de Septiembre",
    "20 de Noviembre",
    "Insurgentes",
    "Obregón",
    "Carranza",
    "Zapata",
    "Villa",
    "Cuauhtémoc",
    "Benito Juárez",
    "Lázaro Cárdenas",
    "Niños Héroes",
    "Aldama",
    "Abasolo",
    "Matamoros",
    "Galeana",
    "Bravo",
    "Victoria",
    "Libertad",
    "Pino Suárez",
    "Álvaro Obregón",
    "Juan Escutia",
    "Ocampo",
)

VEHICLE_MODELS = (
    ("Nissan", "Versa", "sedan"),
    ("Nissan", "Tsuru", "sedan"),
    ("Nissan", "NP300", "pickup"),
    ("Nissan", "March", "hatchback"),
    ("Nissan", "Sentra", "sedan"),
    ("Volkswagen", "Jetta", "sedan"),
    ("Volkswagen", "Vento", "sedan"),
    ("Volkswagen", "Pointer", "hatchback"),
    ("Chevrolet", "Aveo", "sedan"),
    ("Chevrolet", "Silverado", "pickup"),
    ("Chevrolet", "Spark", "hatchback"),
    ("Ford", "Lobo", "pickup"),
    ("Ford", "Ranger", "pickup"),
    ("Ford", "Explorer", "suv"),
    ("Toyota", "Hilux", "pickup"),
    ("Toyota", "Corolla", "sedan"),
    ("Honda", "CR-V", "suv"),
    ("Honda", "Civic", "sedan"),
    ("Kia", "Rio", "sedan"),
    ("Mazda", "3", "sedan"),
    ("Dodge", "Ram", "pickup"),
    ("Italika", "FT150", "motorcycle"),
    ("Hyundai", "Grand i10", "hatchback"),
    ("Jeep", "Cherokee", "suv"),
)
VEHICLE_COLOURS = (
    "blanco",
    "gris",
    "plata",
    "negro",
    "rojo",
    "azul",
    "verde",
    "café",
    "vino",
    "arena",
    "amarillo",
    "naranja",
)
FIREARMS = (
    ("Glock", "17", "9mm", "pistola"),
    ("Glock", "19", "9mm", "pistola"),
    ("Beretta", "92FS", "9mm", "pistola"),
    ("Smith & Wesson", "M&P", ".40", "pistola"),
    ("Colt", "1911", ".45", "pistola"),
    ("Colt", "AR-15", ".223", "rifle"),
    ("Pietro Beretta", "Px4", "9mm", "pistola"),
    ("Taurus", "PT92", "9mm", "pistola"),
    ("Ruger", "10/22", ".22", "rifle"),
    ("Norinco", "AK-47", "7.62x39mm", "fusil de asalto"),
    ("Barrett", "M82", ".50", "rifle"),
    ("Remington", "870", "12GA", "escopeta"),
    ("FN Herstal", "Five-seveN", "5.7x28mm", "pistola"),
    ("Sig Sauer", "P226", "9mm", "pistola"),
)
DRUGS = (
    ("cristal (metanfetamina)", "g"),
    ("marihuana", "kg"),
    ("cocaína", "g"),
    ("fentanilo", "g"),
    ("heroína", "g"),
    ("pastillas psicotrópicas", "units"),
    ("plantas de amapola", "plants"),
    ("plantas de marihuana", "plants"),
)
RANKS = ("Policía", "Policía Tercero", "Policía Segundo", "Policía Primero", "Suboficial")
RELATIONSHIPS = ("madre", "padre", "esposa", "esposo", "hermana", "hermano", "hija", "abogado")
BUILDS = ("delgada", "media", "robusta", "atlética")
HAIR = ("negro corto", "negro largo", "castaño", "rapado", "canoso", "teñido rubio")
MARKS = (
    "tatuaje en antebrazo derecho",
    "cicatriz en ceja izquierda",
    "tatuaje en cuello",
    "lunar en mejilla",
    "tatuaje de la Virgen en espalda",
    "cicatriz en abdomen",
)


@cache
def given_names(sex: str) -> StrArray:
    """Faker es_MX given names for ``sex`` ("H" or "M"), as an array to index."""
    names = PersonProvider.first_names_male if sex == "H" else PersonProvider.first_names_female
    return np.array(sorted(set(names)))


@cache
def surnames() -> StrArray:
    return np.array(sorted(set(PersonProvider.last_names)))


@cache
def street_names() -> StrArray:
    """Street names as Mexican addresses read: a prefix and a hero, date or surname."""
    prefixes = [
        p
        for p in AddressProvider.street_prefixes
        if p in ("Avenida", "Calle", "Privada", "Calzada", "Boulevard", "Cerrada", "Prolongación")
    ]
    people = list(STREET_HEROES) + list(PersonProvider.last_names[:120])
    return np.array(sorted({f"{p} {n}" for p in prefixes for n in people}))


def aliases(sex: str) -> StrArray:
    return np.array(MALE_ALIASES if sex == "H" else FEMALE_ALIASES)
