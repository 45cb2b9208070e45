"""technews.training.relations: the scorer learns what its examples show."""

from technews.kb import load_knowledge_base
from technews.training.relations import SCORER, examples, relation_f1, train_scorer
from tests.conftest import TINY_KB, tiny_pipeline


def entity(start, name, label):
    return {"start": start, "end": start + len(name), "label": label, "text": name, "canonical": name}


def article(text, product, maker):
    start = text.index(product)
    org_start = text.index(maker)
    return {
        "text": text,
        "entities": [
            entity(start, product, "PRODUCT"),
            entity(org_start, maker, "ORG"),
        ],
        "relations": [{"head": product, "relation": "made_by", "tail": maker, "status": "current"}],
        "annotated": ["product_org", "org_org"],
    }


def test_the_scorer_learns_a_maker_named_only_in_the_next_sentence():
    nlp = tiny_pipeline(
        "technews_entities",
        "technews_canonical",
        "technews_references",
        "technews_relations",
        SCORER,
    )
    # A contract manufacturer named in the next sentence: no rule of the tiny pipeline sees it.
    train = [
        article(f"Das Pixel {n} ist da. Samsung fertigt es in Vietnam.", f"Pixel {n}", "Samsung")
        for n in range(1, 11)
    ]
    held_out = [article("Das Pixel 11 ist da. Samsung fertigt es in Vietnam.", "Pixel 11", "Samsung")]
    train_examples, held_out_examples = examples(nlp, train), examples(nlp, held_out)
    scorer = nlp.get_pipe(SCORER)
    scorer.initialize(lambda: train_examples, knowledge_base=load_knowledge_base(TINY_KB))
    assert not held_out_examples[0].predicted._.relations
    assert relation_f1(scorer, held_out_examples) == 0.0
    history = train_scorer(nlp, train_examples, held_out_examples, max_epochs=5)
    assert history[-1][1] == 1.0
    found = nlp("Das Pixel 40 ist da. Samsung fertigt es in Vietnam.")._.relations
    assert {(r.head_name, r.relation, r.tail_name, r.rule) for r in found} == {
        ("Pixel 40", "made_by", "Samsung", "model")
    }
