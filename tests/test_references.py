"""technews_references on the tiny knowledge base."""

import pytest

from tests.conftest import tiny_pipeline


@pytest.fixture(scope="module")
def nlp():
    return tiny_pipeline("technews_entities", "technews_canonical", "technews_references")


def references(nlp, text):
    doc = nlp(text)
    return [(doc[r.start : r.end].text, r.targets) for r in doc._.references]


def test_nationality_picks_the_organization_from_that_country(nlp):
    text = "Leica baut Kameras. Huawei hatte eine Kooperation mit dem deutschen Hersteller."
    assert references(nlp, text) == [("dem deutschen Hersteller", ("Leica",))]


def test_sector_picks_the_organization_of_that_trade(nlp):
    text = "Xiaomi und Leica reden. Der Kamerahersteller schweigt."
    assert references(nlp, text) == [("Der Kamerahersteller", ("Leica",))]


def test_both_companies_are_the_last_two_named(nlp):
    text = "Leica und Xiaomi reden. Jetzt haben beide Firmen unterschrieben."
    assert references(nlp, text) == [("beide Firmen", ("Xiaomi", "Leica"))]


def test_a_bare_description_is_the_subject_of_an_earlier_sentence(nlp):
    text = "Xiaomi verhandelt mit Leica. Das Unternehmen schweigt."
    assert references(nlp, text) == [("Das Unternehmen", ("Xiaomi",))]


def test_an_apposition_names_itself(nlp):
    assert references(nlp, "Huawei ist groß. Der deutsche Kamerahersteller Leica auch.") == []


def test_no_reference_without_a_fitting_organization(nlp):
    assert references(nlp, "Huawei ist groß. Der deutsche Hersteller schweigt.") == []


def kinds(nlp, text):
    doc = nlp(text)
    return [(doc[r.start : r.end].text, r.targets, r.label, r.kind) for r in doc._.references]


def test_a_product_description_stands_for_the_product_named_last(nlp):
    text = "Samsung zeigt das Galaxy S24. Das neue Gerät kostet 900 Euro."
    assert kinds(nlp, text) == [("Das neue Gerät", ("Galaxy S24",), "PRODUCT", "description")]


def test_a_pronoun_stands_for_the_nearest_name_before_it(nlp):
    text = "Google entwirft das Pixel 8 selbst. Gefertigt wird es von Samsung."
    assert kinds(nlp, text) == [("es", ("Pixel 8",), "PRODUCT", "pronoun")]


def test_a_possessive_stands_for_an_organization(nlp):
    text = "Apple lobt das iPhone 15 und seinen Zulieferer."
    assert kinds(nlp, text) == [("seinen", ("Apple",), "ORG", "pronoun")]


def test_a_pronoun_with_no_name_before_it_stands_for_nothing(nlp):
    assert kinds(nlp, "Es regnet. Er geht nach Hause.") == []
