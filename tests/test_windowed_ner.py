"""The statistical recognizer reads long docs window by window, with the same entities."""

import pytest

from technews.pipeline.windowed_ner import WindowedEntityRecognizer

LINES = (
    "Xiaomi stellt in Peking das Mi 11 vor.\n"
    "Leica liefert die Kamera, sagt Lei Jun.\n"
    "Huawei antwortet mit dem Mate 40 Pro in Berlin.\n"
) * 20  # 600 tokens


@pytest.fixture
def ner(nlp, monkeypatch):
    recognizer = nlp.get_pipe("ner")
    assert isinstance(recognizer, WindowedEntityRecognizer)
    monkeypatch.setattr(recognizer, "max_tokens", recognizer.max_tokens)  # restored after
    return recognizer


def entities(nlp, ner, texts: list[str], max_tokens: int) -> list[list[tuple]]:
    ner.max_tokens = max_tokens
    # The NER reads what technews_name_features, the component before it, sets.
    features = nlp.get_pipe("technews_name_features")
    docs = ner.pipe(features(nlp.make_doc(text)) for text in texts)
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def test_windows_are_bounded_cut_at_line_ends_and_cover_the_doc(nlp, ner):
    ner.max_tokens = 50
    doc = nlp.make_doc(LINES)
    windows = list(ner._windows(doc))
    assert len(windows) > 10
    assert all(len(window.doc) <= 50 for window in windows)
    assert [w.offset for w in windows[1:]] == [w.offset + len(w.doc) for w in windows[:-1]]
    assert windows[-1].offset + len(windows[-1].doc) == len(doc)
    assert all(doc[w.offset - 1].text in {"\n", "."} for w in windows[1:])


def test_a_doc_read_in_windows_gets_the_entities_it_gets_read_whole(nlp, ner):
    whole = entities(nlp, ner, [LINES], max_tokens=20_000)
    assert len(whole[0]) > 100
    assert entities(nlp, ner, [LINES], max_tokens=50) == whole


def test_short_and_long_docs_in_one_batch_each_get_their_own_entities(nlp, ner):
    texts = ["Apple kauft Beats.", LINES, "Samsung zeigt das Galaxy S24 in Seoul."]
    alone = [entities(nlp, ner, [text], max_tokens=20_000)[0] for text in texts]
    assert entities(nlp, ner, texts, max_tokens=50) == alone
