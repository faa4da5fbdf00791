"""View models for the explorer app: library query results shaped into plain rows and graphs.

The app (app.py and app_pages/) only draws; everything it shows is computed here from
`ingest.queries` and `ingest.pipeline`, so it can be tested and benchmarked without Streamlit.
Functions take the store as their first argument and return plain Python values (str, int,
float, lists, dicts, dataclasses) that pickle cheaply into Streamlit's data cache. There is no
SPARQL text here. Import from the module that holds what you need; this package re-exports
nothing.

- `terms`: IRIs, short names, labels, class words, markdown escaping, dates
- `origins`: where facts come from (curated, asserted, inferred, review) and their evidence
- `results`: running queries once per store version, rows as plain values, display tables
- `entities`: the index of individuals, an entity's card, the label search
- `overview`, `actors`, `threats`, `doctrine`, `documents`, `ask`, `add`: each page's data
  (`actors` also holds an actor's facts, neighbourhood and timeline)
- `graphs`: Graphviz DOT text and relations read from a query result
- `highlight`: recognised entities in a text as escaped displaCy HTML
"""
