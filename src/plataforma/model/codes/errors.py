"""The one error every code table raises.

It subclasses `ValueError` so that validators (pydantic, the importer's row checks) treat an
unknown code like any other bad value and report it as `field: problem` without special cases.
"""

from __future__ import annotations

__all__ = ["CodeError"]


class CodeError(ValueError):
    """A value that names no entry of a code table, or names more than one."""
