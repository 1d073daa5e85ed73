"""Subject names and NATS-style wildcards, shared by both buses.

``*`` matches one token, ``>`` the rest (one or more tokens), as on NATS, so a pattern means
the same on the in-process bus as on the broker.
"""

from __future__ import annotations

from functools import lru_cache

#: The first token of the record events' subjects as the outbox writes them.
RECORD_ROOT = "plataforma"


@lru_cache(maxsize=4096)
def matches(pattern: str, subject: str) -> bool:
    """Whether ``subject`` matches the NATS-style ``pattern``."""
    wanted = pattern.split(".")
    tokens = subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(tokens) > index
        if index >= len(tokens) or (token != "*" and token != tokens[index]):
            return False
    return len(wanted) == len(tokens)
