# %% [markdown]
# # spacekg from a notebook
#
# Opens a graph, lists the query library, runs two library queries and builds a pandas
# DataFrame. A percent-format script: Jupyter (with Jupytext) and VS Code open it as a
# notebook, and it runs as a plain script too:
#
#     .venv/bin/python docs/notebook_example.py [STORE_FOLDER_OR_ENDPOINT_URL]
#
# Without an argument it opens `$SPACEKG_STORE`, else `data/store` (built by `make build`).

# %%
import os
import sys

import spacekg

# A kernel passes its own flags (`-f kernel.json`): only a plain first argument is a target.
ARGS = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
TARGET = ARGS[0] if ARGS else os.environ.get("SPACEKG_STORE", "data/store")
kg = spacekg.open(TARGET)
print(kg)

# %% [markdown]
# The query library: each query's name, parameters and what it answers.

# %%
for info in kg.queries():
    print(info)

# %% [markdown]
# Who has which counterspace capability. Each IRI comes as `Entity(iri, label)`.

# %%
matrix = kg.query("capability_matrix")
print(f"capability_matrix: {len(matrix)} rows")
for row in matrix:
    actor, capability = row["actor"], row["capability"]
    print(f"  {actor.label} -> {capability.label} ({row['evidenceCount']} evidence) <{actor.iri}>")

# %% [markdown]
# The same rows as a DataFrame: `actor` holds labels, `actor_iri` the IRIs.

# %%
frame = matrix.to_dataframe()
per_actor = frame.groupby("actor")["capability"].count().sort_values(ascending=False)
print("capabilities per actor:")
print(per_actor.to_string())

# %% [markdown]
# A query with a parameter: the states in the graph (`class` is a Python keyword, so it
# takes a trailing underscore).

# %%
states = kg.query("actors_by_type", class_="skg:State")
print(f"actors_by_type(class=skg:State): {len(states)} rows")
print(", ".join(row["actor"].label for row in states))

# %%
kg.close()
