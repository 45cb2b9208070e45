"""Candidates and features of the relation scorer, on the tiny knowledge base."""

import pytest

from technews.pipeline.relation_features import (
    MAX_LATER_ORGS,
    ORG_ORG,
    PRODUCT_ORG,
    ArticleContext,
    candidates,
    features,
)
from tests.conftest import tiny_pipeline


@pytest.fixture(scope="module")
def nlp():
    return tiny_pipeline(
        "technews_entities", "technews_canonical", "technews_references", "technews_relations"
    )


def context_of(nlp, text):
    rules = nlp.get_pipe("technews_relations")
    return ArticleContext(nlp(text), rules.kb, rules.triggers, rules.knowledge.lexicon)


def pairs(context, max_distance=1):
    found = candidates(context, max_distance)
    return {(c.kind, c.head.span.text, c.head.name, c.tail.span.text) for c in found}


def test_a_product_pairs_with_an_organization_in_the_next_sentence_and_through_a_pronoun(nlp):
    found = pairs(context_of(nlp, "Google entwirft das Pixel 8 selbst. Gefertigt wird es von Samsung."))
    assert (PRODUCT_ORG, "Pixel 8", "Pixel 8", "Samsung") in found
    assert (PRODUCT_ORG, "es", "Pixel 8", "Samsung") in found
    assert (PRODUCT_ORG, "Pixel 8", "Pixel 8", "Google") in found


def test_organizations_pair_in_both_orders_within_the_distance_only(nlp):
    text = "Xiaomi lobt Leica. Das Wetter ist gut. Der Himmel ist blau. Huawei schweigt."
    found = {(head, tail) for kind, _, head, tail in pairs(context_of(nlp, text)) if kind == ORG_ORG}
    assert found == {("Xiaomi", "Leica"), ("Leica", "Xiaomi")}


def test_two_of_one_pair_of_companies_are_never_paired_through_it(nlp):
    text = "Leica und Xiaomi reden lange. Jetzt haben beide Firmen mit Huawei unterschrieben."
    found = {(span, head, tail) for kind, span, head, tail in pairs(context_of(nlp, text)) if kind == ORG_ORG}
    assert not {f for f in found if f[0] == "beide Firmen" and f[2] in ("Leica", "Xiaomi")}
    assert ("beide Firmen", "Xiaomi", "Huawei") in found


def test_features_carry_the_rules_verdict_knowledge_and_context(nlp):
    context = context_of(nlp, "Xiaomi kooperiert mit Leica. Das Xiaomi 12 und Samsung sind neu.")
    by_pair = {(c.head.name, c.tail.span.text): set(features(context, c)) for c in candidates(context, 1)}
    partners = by_pair[("Xiaomi", "Leica")]
    assert {
        "org_org|rule=partner_of:trigger",
        "org_org|trigger_at=partner_of:symmetric:between:head_first",
    } <= partners
    assert "product_org|kb_maker" in by_pair[("Xiaomi 12", "Xiaomi")]
    assert "product_org|between=coordination" in by_pair[("Xiaomi 12", "Samsung")]
    assert "product_org|kb_other_maker" in by_pair[("Xiaomi 12", "Samsung")]


def test_candidates_grow_linearly_with_a_sentence_that_lists_hundreds_of_organizations(nlp):
    # No full stop: one sentence naming 400 organizations. Each pairs with a bounded number.
    text = "Xiaomi, Leica, Huawei und Apple kooperieren, " * 100
    context = context_of(nlp, text)
    org_pairs = [c for c in candidates(context, max_distance=1) if c.kind == ORG_ORG]
    assert len(context.organizations) == 400
    assert len(org_pairs) <= 2 * MAX_LATER_ORGS * len(context.organizations)
    assert {(c.head.name, c.tail.name) for c in org_pairs} >= {("Xiaomi", "Leica"), ("Apple", "Huawei")}


def test_a_triggers_direction_is_read_together_with_the_order_of_the_pair(nlp):
    # `A übernimmt B`: the owner comes first, so only B -> A agrees with the trigger.
    context = context_of(nlp, "Apple übernimmt Beats.")
    by_pair = {(c.head.name, c.tail.name): set(features(context, c)) for c in candidates(context, 1)}
    assert "org_org|trigger_order=owned_by:owner_first:tail_first" in by_pair[("Beats", "Apple")]
    assert "org_org|trigger_order=owned_by:owner_first:head_first" in by_pair[("Apple", "Beats")]


def test_the_verb_at_the_end_of_the_clause_is_a_feature_by_form_and_stem(nlp):
    # German puts the verb last in a subordinate clause and after the object in the perfect.
    context = context_of(nlp, "Bekannt ist, dass Apple Beats gekauft hat, sagt Huawei.")
    by_pair = {(c.head.name, c.tail.name): set(features(context, c)) for c in candidates(context, 1)}
    beats = by_pair[("Beats", "Apple")]
    assert {"org_org|after_pair=gekauft:tail_first", "org_org|after_pair_stem=kauft:tail_first"} <= beats
    assert "org_org|before_pair=dass:tail_first" in beats
    assert not any(f.startswith("org_org|after_pair=sagt") for f in beats)  # the clause ended
