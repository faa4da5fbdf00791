"""`spacekg export --format stix`: the bundle to a file or stdout, the summary to stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from .cli_common import err
from .errors import SpacekgError
from .stix import export_stix
from .store import Store


def write_stix(store: Store, output: Path | None) -> None:
    """Build the bundle first, so a failure leaves no half-written file."""
    result = export_stix(store)
    text = result.serialize()
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SpacekgError(
                f"cannot write the bundle ({exc.strerror})", str(output), "check the path"
            ) from exc
        err.print(f"wrote {output}", markup=False)
    for line in result.summary.lines():
        err.print(line, markup=False)
