"""The Ask page's data: widgets for a library query's parameters, and running it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.queries import expand_iri, get_query, run_query

from .actors import organisations
from .doctrine import concepts
from .entities import ACTOR_TYPES, TOP_CLASSES, Entity, entity_index
from .results import Param
from .terms import curie, skg

if TYPE_CHECKING:
    from ingest.store import QueryResult, Store


OBJECT_PROPERTIES = (
    "memberOf",
    "partOf",
    "locatedIn",
    "hasCapability",
    "conducted",
    "threatens",
    "targeted",
    "attributedTo",
    "published",
    "declares",
    "establishes",
    "condemns",
    "operates",
    "mentions",
)


@dataclass(frozen=True)
class ParamChoice:
    """How to ask for one query parameter: a widget kind and its choices (value, label)."""

    name: str
    widget: str  # select | text | date | integer
    options: tuple[tuple[str, str], ...] = ()
    default: str | None = None
    required: bool = False
    help: str = ""


ENTITY_PARAMS = {"actor", "subject", "object", "from", "to", "target"}


def param_choices(store: Store, query_name: str) -> list[ParamChoice]:
    """Widgets for a library query's parameters, with entity choices where a param is an IRI."""
    spec = get_query(query_name)
    out: list[ParamChoice] = []
    index: dict[str, Entity] | None = None
    for param in spec.params:
        default = param.default
        help_text = param.description
        if param.type == "iri":
            if param.name in ("organization", "alliance"):
                options = [(e.iri, f"{e.label} ({e.type_label})") for e in organisations(store)]
            elif param.name == "concept":
                options = [(e.iri, e.label) for e in concepts(store)]
            elif param.name == "class":
                options = [(str(skg(v)), k) for k, v in TOP_CLASSES.items()]
                options += [(str(skg(t)), t) for t in ACTOR_TYPES]
            elif param.name == "predicate":
                options = [(str(skg(p)), p) for p in OBJECT_PROPERTIES]
            else:
                index = entity_index(store) if index is None else index
                entities = sorted(
                    index.values(), key=lambda e: (e.group != "Actor", e.group, e.label.lower())
                )
                if param.name == "actor" and query_name == "capability_matrix":
                    entities = [e for e in entities if e.group == "Actor"]
                options = [(e.iri, f"{e.label} ({e.group.lower()})") for e in entities]
            if default:
                default = str(expand_iri(default))
                if default not in {o[0] for o in options}:
                    options.insert(0, (default, curie(default)))
            out.append(
                ParamChoice(
                    param.name, "select", tuple(options), default, param.required, help_text
                )
            )
        elif param.type == "string" and param.name == "status":
            options = [("asserted", "asserted"), ("review", "review")]
            out.append(ParamChoice(param.name, "select", tuple(options), default, False, help_text))
        elif param.type in ("date", "integer"):
            out.append(ParamChoice(param.name, param.type, (), default, param.required, help_text))
        else:
            out.append(ParamChoice(param.name, "text", (), default, param.required, help_text))
    return out


def run_library_query(store: Store, name: str, params: Mapping[str, Param]) -> QueryResult:
    """Run a library query with form values; blank optional values mean 'any'."""
    given = {k: v for k, v in params.items() if v not in (None, "")}
    return run_query(store, name, given)
