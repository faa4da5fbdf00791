"""A Virtuoso without `CaseMode = 2` answers ASK as a one-row SELECT of ?__ASK_RETVAL. The
endpoint backend read that as a SELECT whose `.boolean` was None: every ASK (`spacekg query`,
the Python API) was silently "no". Now it is a clear error that names the setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import running_virtuoso

from ingest.errors import StoreError
from ingest.store import EndpointStore

pytestmark = pytest.mark.server


def test_an_ask_answered_as_a_table_is_an_error(tmp_path: Path) -> None:
    with running_virtuoso(tmp_path, case_mode=1) as server:
        store = EndpointStore(server.base + "/sparql")
        with pytest.raises(
            StoreError, match=r"answered the ASK query with a SELECT result.*CaseMode = 2"
        ):
            store.query("ASK { ?s ?p ?o }")
        # the same server answers SELECT normally: only the ASK form is affected
        assert store.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1").rows
        store.close()
