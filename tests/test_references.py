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
