"""technews report: one self-contained page from a batch output, checked as Chromium draws it."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from technews.cli import app
from technews.report import RELATION_COLORS, ReportError, build_report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARTICLES = EXAMPLES / "articles.jsonl"
runner = CliRunner()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    plain, with_text = folder / "plain.jsonl", folder / "with_text.jsonl"
    assert runner.invoke(app, ["batch", str(ARTICLES), "-o", str(plain)]).exit_code == 0
    assert runner.invoke(app, ["batch", str(ARTICLES), "-o", str(with_text), "--keep-text"]).exit_code == 0
    return {"plain": plain, "with_text": with_text}


@pytest.fixture(scope="module")
def records(outputs) -> list[dict]:
    return [json.loads(line) for line in outputs["with_text"].read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def page(outputs, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "report.html"
    result = runner.invoke(app, ["report", str(outputs["plain"]), "--input", str(ARTICLES), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def names_in(records: list[dict]) -> set[str]:
    return {name for r in records for rel in r["relations"] for name in (rel["head"], rel["tail"])}


def test_the_page_has_a_node_per_name_an_edge_per_relation_and_every_article(page, records):
    html = page.read_text(encoding="utf-8")
    assert html.count('<g class="node">') == len(names_in(records))
    relations = {(rel["head"], rel["relation"], rel["tail"]) for r in records for rel in r["relations"]}
    assert html.count('<a href="#relation-') == len(relations)
    shown = re.findall(r'<section class="article" id="article-\d+">\s*<h3>(.*?)</h3>', html)
    assert shown == [record["id"] for record in records]


def test_texts_kept_in_the_output_give_the_page_the_input_gives(outputs, records):
    given = build_report(outputs["plain"], [str(ARTICLES)])
    kept = build_report(outputs["with_text"])
    made = re.compile(r"made \d{4}-\d\d-\d\d \d\d:\d\d UTC")
    assert made.sub("", given) == made.sub("", kept).replace("with_text.jsonl", "plain.jsonl")


def test_each_edge_links_to_its_evidence_and_the_evidence_to_its_article(page, records):
    html = page.read_text(encoding="utf-8")
    record = next(r for r in records if r["relations"])
    relation = record["relations"][0]
    sentence = record["text"][relation["evidence"]["start"] : relation["evidence"]["end"]].strip()
    row = re.search(
        r'<tr id="(relation-\d+)"><td>' + re.escape(relation["head"]) + r"</td>.*?</tr>", html, re.S
    )
    assert row and f'href="#{row.group(1)}"' in html
    assert f'„{sentence}“ — <a href="#article-1">{record["id"]}</a>' in row.group(0)


def test_without_texts_the_page_says_how_to_get_them(outputs):
    html = build_report(outputs["plain"])
    assert "4 processed articles are not shown" in html and '<section class="article"' not in html
    assert html.count('<g class="node">') > 0  # the graph needs no text


def test_an_input_that_is_not_the_outputs_is_refused(outputs, tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "x-1", "text": "Apple baut das iPhone."}) + "\n", encoding="utf-8")
    with pytest.raises(ReportError, match="does not belong to this output"):
        build_report(outputs["plain"], [str(other)])


def test_a_missing_output_is_exit_2(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "no such output" in result.output


def test_the_page_needs_no_network(page):
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "@import" not in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(*args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with every host name unresolvable, so a page needing the network shows it."""
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_chromium_draws_the_graph_and_the_articles(page, records, tmp_path):
    dom = chromium("--dump-dom", page.as_uri()).stdout
    assert dom.count('class="node"') == len(names_in(records))
    assert "Kopfhörerhersteller" in dom and dom.count('<mark class="entity"') == sum(
        len(r["entities"]) for r in records
    )
    screenshot = tmp_path / "report.png"
    chromium(f"--screenshot={screenshot}", "--window-size=1200,900", page.as_uri())
    image = pytest.importorskip("PIL.Image").open(screenshot).convert("RGB")
    graph = image.crop((0, 150, 1200, 900))  # the graph comes first, under the heading
    colors = graph.getcolors(maxcolors=1 << 20)
    drawn = sum(n for n, rgb in colors if min(rgb) < 235)
    assert drawn > 0.01 * graph.width * graph.height, "the graph area is blank"

    def pixels_near(hex_color: str) -> int:
        target = tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
        return sum(n for n, rgb in colors if max(abs(a - b) for a, b in zip(rgb, target, strict=True)) < 40)

    assert pixels_near("#7aecec") > 200 and pixels_near("#bfeeb7") > 200  # ORG and PRODUCT nodes
    assert pixels_near(RELATION_COLORS["made_by"]) > 20  # made_by edges
