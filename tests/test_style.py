"""The code stays ruff-clean, formatted and mypy-clean (both come with the test extra),
and the pipeline stands apart from evaluation and output."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    command = [sys.executable, "-m", "ruff", "check", "src", "scripts", "tests", "bench"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing():
    command = [sys.executable, "-m", "ruff", "format", "--check", "src", "scripts", "tests", "bench"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pipeline_imports_neither_the_evaluation_nor_the_output_format():
    # Components stand on their own: evaluation and records are built on top of them.
    for module in (ROOT / "src" / "technews" / "pipeline").glob("*.py"):
        imported = {
            node.module
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom)
        }
        assert not imported & {"technews.output", "technews.scoring"}, module.name
