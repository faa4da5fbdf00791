"""Synthetic graphs shaped like spacekg's (source documents, entities, facts, evidence) at scale.

Deterministic for a given size, so runs are comparable. Each synthetic source document is one
named graph of ~100 triples: metadata, five entities, six facts with one evidence node each.
"""

from __future__ import annotations

import random

SKG = "https://w3id.org/spacekg/ontology#"
ID = "https://w3id.org/spacekg/id/"
GRAPH = "https://w3id.org/spacekg/graph/source/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TITLE = "http://purl.org/dc/terms/title"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
XSD = "http://www.w3.org/2001/XMLSchema#"

ENTITY_KINDS = [
    ("actor", "State"),
    ("actor", "Organization"),
    ("actor", "MilitaryCommand"),
    ("asset", "Satellite"),
    ("asset", "Constellation"),
    ("capability", "CounterspaceCapability"),
    ("place", "Place"),
]
FACTS = [
    ("hasCapability", "actor", "capability"),
    ("conducted", "actor", "event"),
    ("targeted", "event", "asset"),
    ("threatens", "capability", "asset"),
    ("memberOf", "actor", "actor"),
    ("locatedIn", "actor", "place"),
]


def _iri(value: str) -> str:
    return "<" + value + ">"


def _lit(value: str, datatype: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped + '"' + ("^^<" + XSD + datatype + ">" if datatype else "")


def synthetic_nquads(documents: int, *, entities: int | None = None, seed: int = 7) -> bytes:
    """N-Quads for `documents` synthetic source graphs (~100 triples each)."""
    rng = random.Random(seed)
    pool = entities or max(50, documents // 2)
    lines: list[str] = []
    for d in range(documents):
        docid = f"{d:016x}"
        graph = _iri(GRAPH + docid)
        doc = _iri(ID + "source/" + docid)
        year = 1990 + d % 35

        def quad(s: str, p: str, o: str, graph: str = graph) -> None:
            lines.append(f"{s} {p} {o} {graph} .")

        quad(doc, _iri(RDF_TYPE), _iri(SKG + "SourceDocument"))
        quad(doc, _iri(RDF_TYPE), _iri(SKG + rng.choice(["Policy", "NewsArticle", "Analysis"])))
        quad(doc, _iri(TITLE), _lit(f"Synthetic document {d}"))
        quad(doc, _iri(SKG + "date"), _lit(f"{year}-{1 + d % 12:02d}-{1 + d % 28:02d}", "date"))
        quad(doc, _iri(SKG + "sha256"), _lit(f"{d:064x}"))
        quad(doc, _iri(SKG + "url"), _lit(f"https://example.org/doc/{d}", "anyURI"))
        event = _iri(ID + f"event/synthetic-event-{d}")
        quad(event, _iri(RDF_TYPE), _iri(SKG + rng.choice(["ASATTest", "CyberAttack", "Meeting"])))
        quad(event, _iri(LABEL), _lit(f"synthetic event {d}"))
        quad(event, _iri(SKG + "date"), _lit(f"{year}-{1 + d % 12:02d}-01", "date"))
        chosen: dict[str, str] = {"event": event}
        for kind, cls in rng.sample(ENTITY_KINDS, 5):
            n = rng.randrange(pool)
            entity = _iri(ID + f"{kind}/synthetic-{cls.lower()}-{n}")
            quad(entity, _iri(RDF_TYPE), _iri(SKG + cls))
            quad(entity, _iri(LABEL), _lit(f"{cls} {n}"))
            quad(doc, _iri(SKG + "mentions"), entity)
            chosen.setdefault(kind, entity)
        for f, (prop, s_kind, o_kind) in enumerate(FACTS):
            subject = chosen.get(s_kind) or _iri(ID + f"{s_kind}/synthetic-{s_kind}-0")
            obj = chosen.get(o_kind) or _iri(ID + f"{o_kind}/synthetic-{o_kind}-1")
            quad(subject, _iri(SKG + prop), obj)
            evidence = _iri(ID + f"evidence/{docid}-{f}")
            quad(evidence, _iri(RDF_TYPE), _iri(SKG + "Evidence"))
            quad(evidence, _iri(SKG + "factSubject"), subject)
            quad(evidence, _iri(SKG + "factPredicate"), _iri(SKG + prop))
            quad(evidence, _iri(SKG + "factObject"), obj)
            quad(evidence, _iri(DERIVED), doc)
            quad(evidence, _iri(SKG + "sentence"), _lit(f"Sentence {f} of synthetic document {d}."))
            quad(evidence, _iri(SKG + "startChar"), _lit(str(f * 100), "integer"))
            quad(evidence, _iri(SKG + "endChar"), _lit(str(f * 100 + 60), "integer"))
            quad(evidence, _iri(SKG + "confidence"), _lit(f"0.{5 + rng.randrange(5)}", "decimal"))
            quad(evidence, _iri(SKG + "status"), _lit("asserted"))
            quad(evidence, _iri(SKG + "extractor"), _lit("spacekg.relate"))
    return ("\n".join(lines) + "\n").encode("utf-8")


def documents_for(triples: int) -> int:
    """How many synthetic documents give about `triples` triples."""
    per_document = synthetic_nquads(1).count(b"\n")
    return max(1, triples // per_document)
