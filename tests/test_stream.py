"""technews.pipe: records for a stream of texts or records, lazily and in input order."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import technews
from technews.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles.jsonl"


def example_records() -> list[dict]:
    return [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines()]


def test_records_in_input_order_equal_to_the_batch_command(tmp_path):
    out = tmp_path / "out.jsonl"
    assert CliRunner().invoke(app, ["batch", str(EXAMPLES), "-o", str(out)]).exit_code == 0
    batch = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert list(technews.pipe(example_records(), batch_size=3)) == batch


def test_texts_get_their_position_as_id_and_bad_ones_an_error_record():
    texts = ["Apple hat Beats übernommen.", "  ", {"id": "s", "text": "Samsung zeigt das Galaxy S24."}]
    first, blank, samsung = technews.pipe(texts)
    assert first == {"id": 1, **technews.extract(texts[0])}
    assert blank["id"] == 2 and blank["error"]["reason"] == "empty_text"
    assert samsung["id"] == "s" and "Galaxy S24" in {e["text"] for e in samsung["entities"]}


def test_the_input_is_read_one_batch_ahead_of_what_is_taken():
    taken = []

    def texts():
        for number in range(1, 10**6):
            taken.append(number)
            yield f"Xiaomi zeigt das Xiaomi {number} Ultra."

    records = technews.pipe(texts(), batch_size=4)
    assert next(records)["id"] == 1
    assert len(taken) == 4
    records.close()


@pytest.mark.slow
def test_two_processes_give_the_records_of_one():
    texts = [record["text"] for record in example_records()] * 4
    assert list(technews.pipe(texts, n_process=2, batch_size=2)) == list(technews.pipe(texts))


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="at least 1"):
        next(technews.pipe(["Apple."], batch_size=0))
