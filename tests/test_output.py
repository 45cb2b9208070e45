"""Relations merged to one per article, pair and type, between entities of the record."""

import spacy

from technews.output import merged_relations
from technews.relation_types import Relation

DOC = spacy.blank("de")("Samsung Galaxy S24 : Billa gehört zu Billa , sagt Rewe .")


def relation(head: tuple[int, int], tail: tuple[int, int], names: tuple[str, str], kind: str) -> Relation:
    return Relation(DOC[slice(*head)], DOC[slice(*tail)], *names, kind, "current", (0, 10), 0.9, "test")


def test_a_relation_of_an_entity_to_itself_is_dropped():
    self_owned = relation((4, 5), (7, 8), ("Billa", "Billa"), "owned_by")
    owned = relation((4, 5), (11, 12), ("Billa", "Rewe"), "owned_by")
    found = merged_relations([self_owned, owned], {"Billa", "Rewe"})
    assert [(r["head"], r["tail"]) for r in found] == [("Billa", "Rewe")]


def test_a_relation_naming_no_entity_of_the_record_is_dropped_but_a_brand_in_a_name_is_kept():
    brand = relation((0, 3), (0, 1), ("Galaxy S24", "Samsung Electronics"), "made_by")
    unnamed = relation((4, 5), (11, 12), ("Billa", "Spar"), "owned_by")
    found = merged_relations([brand, unnamed], {"Galaxy S24", "Billa", "Rewe"})
    assert [(r["head"], r["relation"], r["tail"]) for r in found] == [
        ("Galaxy S24", "made_by", "Samsung Electronics")
    ]
