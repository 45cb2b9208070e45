"""What the knowledge base and the lexicon say about each token, as features the NER reads.

The rule recognizer (``technews_entities``) decides alone for the names it matches; an
ambiguous name (`Drei`, `Standard`, `Post`) it leaves to the NER. Here every token gets a
small bit set (inside a known organization's, product's, place's or person's name, a
frequent first name, an everyday noun), computed before the NER runs, so that the model
learns from context when a listed name is one and how names it has never seen look
(`technews.NameFeatureEmbed.v1` embeds them). Ambiguous names are matched too: that the
context decides is the point.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.ml.models import MultiHashEmbed
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Embed, Maxout, Model, chain, concatenate, with_array
from thinc.types import Floats2d, Ints1d

from technews.pipeline.knowledge import Knowledge, RuleComponent, require

# One bit per source; a token's feature is their sum (0 to 63).
ORG, PRODUCT, PLACE, PERSON, FIRST_NAME, EVERYDAY_NOUN = (1 << i for i in range(6))
FEATURE_VALUES = 1 << 6
# The tables of ``Knowledge.names`` by bit; a brand is a maker's name, its ORG bit set anyway.
TABLE_BITS = {"org": ORG, "product": PRODUCT, "line": PRODUCT, "place": PLACE, "person": PERSON}


@Language.factory("technews_name_features", assigns=["doc._.name_features"])
def make_name_features(nlp: Language, name: str) -> NameFeatures:
    return NameFeatures(nlp, name)


class NameFeatures(RuleComponent):
    """Sets ``doc._.name_features``: one int per token, the bits above.

    The knowledge comes at ``initialize`` and is saved with the pipeline (see
    ``technews.pipeline.knowledge``)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name

    def set_knowledge(self, knowledge: Knowledge) -> None:
        knowledge = knowledge.with_name_tokens(self.nlp.tokenizer)
        super().set_knowledge(knowledge)
        lexicon = knowledge.lexicon
        self.names = knowledge.names  # ambiguous names included: the NER reads their context
        self.words = {
            FIRST_NAME: lexicon.first_names,
            EVERYDAY_NOUN: lexicon.common_nouns | lexicon.everyday_nouns,
        }

    def __call__(self, doc: Doc) -> Doc:
        require(self.knowledge, self.name)
        doc._.name_features = self.features(doc)
        return doc

    def features(self, doc: Doc) -> list[int]:
        features = [0] * len(doc)
        for (table, _canonical, _rule_matched), start, end in self.names(doc):
            bit = TABLE_BITS.get(table, 0)
            for i in range(start, end):
                features[i] |= bit
        for i, token in enumerate(doc):
            for bit, words in self.words.items():
                if token.text in words:
                    features[i] |= bit
        return features


@registry.architectures("technews.NameFeatureEmbed.v1")
def build_name_feature_embed(
    width: int, rows: list[int], feature_width: int = 16
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's hash embedding of NORM, PREFIX, SUFFIX and SHAPE (``rows`` as its table
    sizes), side by side with an embedding of ``doc._.name_features``, mixed to ``width``.
    A doc without the features (not run through ``technews_name_features``) reads zeros."""
    words = MultiHashEmbed(
        width=width,
        attrs=["NORM", "PREFIX", "SUFFIX", "SHAPE"],
        rows=rows,
        include_static_vectors=False,
    )
    names: Model[list[Doc], list[Floats2d]] = chain(
        name_feature_ids(), with_array(Embed(feature_width, FEATURE_VALUES))
    )
    mix = Maxout(width, width + feature_width, nP=3, normalize=True, dropout=0.0)
    return chain(concatenate(words, names), with_array(mix))


def name_feature_ids() -> Model[list[Doc], list[Ints1d]]:
    return Model("name_feature_ids", _name_feature_ids_forward)


def _name_feature_ids_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints1d], object]:
    ids = []
    for doc in docs:
        features = doc._.name_features
        if features is None or len(features) != len(doc):
            features = [0] * len(doc)
        ids.append(model.ops.asarray1i(features))

    def backprop(d_ids: list[Ints1d]) -> list[Doc]:
        return []

    return ids, backprop
