"""Model numbers that end a sentence: `Apple zeigt das iPhone 15.` ends in `15` and `.`.

German tokenization keeps `15.` whole as an ordinal (`am 15. Juli`); after a product line
or a brand that makes products, and before a new sentence, it is a model number and a
full stop. This component runs before the sentencizer, so that the tokens are settled
before sentences are set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from technews.lexicon import ProductGrammarWords
from technews.pipeline.knowledge import Knowledge, RuleComponent, require


@Language.factory("technews_model_numbers")
def make_model_number_splitter(nlp: Language, name: str) -> ModelNumberSplitter:
    return ModelNumberSplitter(name)


class ModelNumberSplitter(RuleComponent):
    """Splits `15.` into `15` `.` after the last word of a known line or maker."""

    def __init__(self, name: str) -> None:
        self.name = name

    def set_knowledge(self, knowledge: Knowledge) -> None:
        super().set_knowledge(knowledge)
        kb = knowledge.kb
        self.words = knowledge.lexicon.product_grammar_words
        self.name_ends = frozenset(name.split()[-1] for name in [*kb.product_lines, *kb.makers()])

    def __call__(self, doc: Doc) -> Doc:
        require(self.knowledge, self.name)
        to_split = [
            token
            for token in doc[1:]
            if token.text.endswith(".")
            and len(token) > 1
            and ends_name(token.text[:-1], doc[token.i - 1].text, self.name_ends, self.words)
            and (token.i + 1 == len(doc) or not doc[token.i + 1].is_lower)
        ]
        with doc.retokenize() as retokenizer:
            for token in to_split:
                retokenizer.split(token, [token.text[:-1], "."], heads=[(token, 0), (token, 0)])
        return doc


def ends_name(number: str, before: str, name_ends: frozenset[str], words: ProductGrammarWords) -> bool:
    """`15` after `iPhone`, `10565` after `Build`: the number is part of a product name."""
    if before in words.numbered_suffixes:
        return number.isdigit()
    return before in name_ends and words.is_model(number)
