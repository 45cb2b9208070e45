"""The command line, run as users run it."""

import json
from pathlib import Path

from typer.testing import CliRunner

from technews.cli import app
from tests.conftest import SEED

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()


def test_extract_prints_json_for_a_file():
    result = runner.invoke(app, ["extract", str(EXAMPLES / "beats_apple.txt")])
    assert result.exit_code == 0
    output = json.loads(result.stdout)
    assert {("Beats", "owned_by", "Apple")} <= {
        (r["head"], r["relation"], r["tail"]) for r in output["relations"]
    }
    assert any(e["text"] == "Tim Cook" and e["label"] == "PER" for e in output["entities"])


def test_extract_reads_standard_input():
    result = runner.invoke(app, ["extract", "-"], input="Huawei zeigt das Mate 40 Pro.")
    assert result.exit_code == 0
    assert [e["text"] for e in json.loads(result.stdout)["entities"]] == ["Huawei", "Mate 40 Pro"]


def test_extract_pretty_prints_tables():
    result = runner.invoke(app, ["extract", "--pretty", "-"], input="Huawei zeigt das Mate 40 Pro.")
    assert result.exit_code == 0
    assert "Entities" in result.stdout and "made_by" in result.stdout


def test_extract_reads_html_and_every_batch_format(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Huawei zeigt das Mate 40 Pro.</p></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    assert [e["text"] for e in json.loads(result.stdout)["entities"]] == ["Huawei", "Mate 40 Pro"]
    dump = EXAMPLES / "articles.jsonl"
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["batch", str(dump), "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["extract", str(dump)])
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()
    ]


def test_extract_of_a_dump_with_a_bad_article_prints_its_error_record_and_exits_3(tmp_path):
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"id": "a", "text": "Apple kauft Beats."}\n{"id": "b", "text": ""}\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(dump)])
    assert result.exit_code == 3
    assert [json.loads(line).get("error", {}).get("reason") for line in result.stdout.splitlines()] == [
        None,
        "empty_text",
    ]


def test_missing_file_is_a_message_not_a_traceback():
    result = runner.invoke(app, ["extract", "no/such/file.txt"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr and "Traceback" not in result.output


def test_empty_input_is_a_message_not_a_traceback():
    result = runner.invoke(app, ["extract", "-"], input="  \n ")
    assert result.exit_code == 1
    assert "empty" in result.stderr and "Traceback" not in result.output


def test_binary_file_is_refused(tmp_path):
    binary = tmp_path / "article.txt"
    binary.write_bytes(b"\xff\xfe\x00Xiaomi")
    result = runner.invoke(app, ["extract", str(binary)])
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr


def test_evaluate_runs_the_pipeline_on_gold_texts():
    result = runner.invoke(app, ["evaluate", "--json", str(SEED / "leica_xiaomi.gold.jsonl")])
    assert result.exit_code == 0
    scores = json.loads(result.stdout)
    assert scores["entities_micro"]["f1"] == 1.0


def test_evaluate_scores_a_prediction_file(tmp_path):
    gold = (SEED / "leica_xiaomi.gold.jsonl").read_text(encoding="utf-8")
    article = json.loads(gold)
    article["entities"] = article["entities"][1:]  # one entity fewer
    predicted = tmp_path / "predicted.jsonl"
    predicted.write_text(json.dumps(article), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(SEED / "leica_xiaomi.gold.jsonl"), str(predicted)])
    assert result.exit_code == 0
    assert "ORG" in result.stdout and "0.955" in result.stdout  # ORG recall 21/22


def test_evaluate_reports_a_broken_line(tmp_path):
    broken = tmp_path / "gold.jsonl"
    broken.write_text('{"id": 1}\n{not json\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(broken), str(broken)])
    assert result.exit_code == 1
    assert ":2:" in result.stderr


def test_evaluate_with_gold_entities_measures_the_relations_alone():
    gold = str(SEED / "leica_xiaomi.gold.jsonl")
    result = runner.invoke(app, ["evaluate", "--json", "--gold-entities", gold])
    assert result.exit_code == 0
    scores = json.loads(result.stdout)
    assert scores["entities_micro"]["f1"] == 1.0 and scores["relations_micro"]["f1"] == 1.0
    refused = runner.invoke(app, ["evaluate", "--gold-entities", gold, gold])
    assert refused.exit_code == 2 and "--gold-entities" in refused.stderr
