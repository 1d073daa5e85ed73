"""plataforma: an open-source national criminal-information platform."""

__version__ = "0.1.0"
