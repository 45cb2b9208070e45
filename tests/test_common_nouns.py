"""technews.training.common_nouns and the list it built."""

from technews.lexicon import default_lexicon
from technews.training.common_nouns import common_nouns as learn_common_nouns
from technews.training.corpus import Annotated


def test_nouns_outside_names_are_learnt_and_names_are_not():
    items = [
        Annotated("Im Jahr machte Robo hohe Umsätze und Gewinne.", [(14, 18, "ORG")]),
        Annotated("Bei Robo stiegen die Umsätze, sagte Anna Berger.", [(4, 8, "ORG"), (36, 47, "PER")]),
        Annotated("Gewinne. Anna lachte.", [(9, 13, "PER")]),
    ]
    # `Gewinne` once inside a sentence, once at its start: not enough; `Robo` and `Anna` are names.
    assert learn_common_nouns(items) == ["Umsätze"]


def test_a_word_more_often_in_names_than_outside_is_no_common_noun():
    items = [Annotated("Er sah die Post und die Post.", [])] + [
        Annotated("Die Deutsche Post wächst.", [(4, 17, "ORG")]) for _ in range(2)
    ]
    assert learn_common_nouns(items, ratio=2) == []


def test_the_shipped_list_holds_everyday_nouns_and_no_company():
    nouns = default_lexicon().common_nouns
    assert {"Umsätze", "Anfang", "Milliarden"} <= nouns
    assert not {"Samsung", "Apple", "Huawei", "Xiaomi"} & nouns
