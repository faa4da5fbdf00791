"""spacekg: a knowledge graph of NATO space doctrine, space-security actors and threats.

The package is the library that both the CLI (`ingest.cli`) and the app (`app.py`) call.
"""

__version__ = "0.1.0"
