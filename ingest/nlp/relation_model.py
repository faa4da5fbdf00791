"""The relation classifier's thinc model: two spans' vectors and what lies between them -> scores.

Input is `(docs, pairs, features)`: the documents, the candidate pairs of each (from
`candidates.candidate_pairs`) and each pair's fixed features (`candidates.pair_features`).
Each pair becomes one row: the mean token vector of the head, of the child, of the tokens
between them and of the tokens on the dependency path between them (zeros when there are
none), then the fixed features; a hidden ReLU layer and one logistic output per property
follow, so a pair may hold several properties at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Logistic, Model, Relu, chain
from thinc.types import Floats2d

from .candidates import Pair

PairInput = tuple[Sequence[Doc], Sequence[Sequence[Pair]], Sequence[Floats2d]]


@registry.architectures("spacekg.RelationModel.v1")
def relation_model(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int = 64,
    dropout: float = 0.2,
    nO: int | None = None,
) -> Model[PairInput, Floats2d]:
    """Pooled pair rows -> ReLU -> one logistic score per property (`nO` set from the labels)."""
    pool: Model[PairInput, Floats2d] = Model(
        "spacekg_pair_pool",
        _pool_forward,
        init=_pool_init,
        layers=[tok2vec],
        refs={"tok2vec": tok2vec},
    )
    output = Linear(nO=nO)
    model = chain(pool, Relu(nO=hidden_width, dropout=dropout), output, Logistic())
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("output_layer", output)
    return model


def _pool_init(model: Model, X: PairInput | None = None, Y: Floats2d | None = None) -> None:
    if X is not None:
        model.layers[0].initialize(X=list(X[0]))


def _between(pair: Pair) -> tuple[int, int]:
    first, second = sorted((pair.head, pair.child), key=lambda s: s.start)
    return first.end, second.start


def _pool_forward(
    model: Model, inputs: PairInput, is_train: bool
) -> tuple[Floats2d, Callable[[Floats2d], PairInput]]:
    docs, pairs, features = inputs
    tokvecs, backprop_tokvecs = model.layers[0](list(docs), is_train)
    width = tokvecs[0].shape[1] if tokvecs else model.layers[0].get_dim("nO")
    n_features = features[0].shape[1] if features else 0
    rows = []
    for vecs, doc_pairs, doc_features in zip(tokvecs, pairs, features, strict=True):
        for k, pair in enumerate(doc_pairs):
            lo, hi = _between(pair)
            zeros = numpy.zeros(width, dtype="f")
            between = vecs[lo:hi].mean(axis=0) if hi > lo else zeros
            path = vecs[list(pair.path)].mean(axis=0) if pair.path else zeros
            rows.append(
                numpy.concatenate(
                    [
                        vecs[pair.head.start : pair.head.end].mean(axis=0),
                        vecs[pair.child.start : pair.child.end].mean(axis=0),
                        between,
                        path,
                        doc_features[k],
                    ]
                )
            )
    shape = (len(rows), 4 * width + n_features)
    output = model.ops.asarray2f(numpy.vstack(rows)) if rows else model.ops.alloc2f(*shape)

    def backprop(d_output: Floats2d) -> PairInput:
        d_tokvecs = [model.ops.alloc2f(*vecs.shape) for vecs in tokvecs]
        row = 0
        for d_vecs, doc_pairs in zip(d_tokvecs, pairs, strict=True):
            for pair in doc_pairs:
                grad = d_output[row]
                head, child = pair.head, pair.child
                d_vecs[head.start : head.end] += grad[:width] / len(head)
                d_vecs[child.start : child.end] += grad[width : 2 * width] / len(child)
                lo, hi = _between(pair)
                if hi > lo:
                    d_vecs[lo:hi] += grad[2 * width : 3 * width] / (hi - lo)
                if pair.path:
                    d_vecs[list(pair.path)] += grad[3 * width : 4 * width] / len(pair.path)
                row += 1
        backprop_tokvecs(d_tokvecs)
        return inputs

    return output, backprop
