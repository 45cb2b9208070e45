"""`technews package`: the model wheel loads by name outside the checkout."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import technews
from technews.cli import app

pytestmark = pytest.mark.slow

LOAD = """
import json, spacy
nlp = spacy.load("de_technews")
doc = nlp("Apples Tochter Beats zeigt neue Kopfhörer.")
print(json.dumps({
    "ents": [ent.text for ent in doc.ents],
    "relations": [[r.head_name, r.relation, r.tail_name] for r in doc._.relations],
    "meta": nlp.meta,
}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """`technews package`'s wheel installed, without its dependencies (technews is this
    checkout's), into a folder of its own."""
    work = tmp_path_factory.mktemp("package")
    scores = work / "dev.json"
    scores.write_text(json.dumps({"ORG": {"f1": 0.5}}), encoding="utf-8")
    result = CliRunner().invoke(app, ["package", str(work / "dist"), "--scores", str(scores)])
    assert result.exit_code == 0, result.output
    (wheel,) = (work / "dist").glob("de_technews-*.whl")
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    return work, target


def run_outside_checkout(installed, *args: str) -> str:
    work, target = installed
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, *args], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_packaged_model_loads_by_name_and_extracts(installed):
    found = json.loads(run_outside_checkout(installed, "-c", LOAD))
    assert found["ents"] == ["Apples", "Beats"]
    assert found["relations"] == [["Beats", "owned_by", "Apple"]]
    meta = found["meta"]
    assert meta["name"] == "technews" and meta["version"] == technews.__version__
    assert f"technews>={technews.__version__}" in meta["requirements"]
    assert meta["performance"] == {"dev": {"ORG": {"f1": 0.5}}}
    assert {source["license"] for source in meta["sources"] if "license" in source} >= {"CC BY 4.0"}


def test_spacy_info_lists_the_packaged_model(installed):
    assert "de_technews" in run_outside_checkout(installed, "-m", "spacy", "info")
