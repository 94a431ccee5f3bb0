"""`tawthiq estimate` end to end: the JSON contract the checks read, errors, plots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tawthiq.cli import main
from tests.estimate.conftest import DATA, dataset_path

FIELDS = {"observed", "estimate", "ci_95", "method", "model", "diagnostics", "warnings"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["estimate", *args])
    return result.exit_code, result.output


def test_loglinear_json_contract(tmp_path: Path, reference: dict) -> None:
    out = tmp_path / "out.json"
    code, text = run(str(dataset_path("kosovo")), "--method", "loglinear", "--model", "all-pairs", "--json", str(out))
    assert code == 0, text
    assert "14,402" in text
    payload = json.loads(out.read_text())
    assert set(payload) >= FIELDS
    assert payload["method"] == "loglinear" and payload["model"] == "all-pairs"
    assert payload["observed"] == 4400
    assert payload["estimate"] == pytest.approx(reference["kosovo"]["loglinear_all_pairs"]["estimate"], rel=1e-3)
    assert len(payload["ci_95"]) == 2 and all(isinstance(x, float) for x in payload["ci_95"])
    assert isinstance(payload["warnings"], list)


def test_lcmcr_json_has_sampler_diagnostics_and_plot(tmp_path: Path) -> None:
    out, png = tmp_path / "out.json", tmp_path / "posterior.png"
    code, text = run(
        str(dataset_path("HIV")), "--method", "lcmcr", "--seed", "1", "--chains", "2", "--iterations", "4000",
        "--burnin", "500", "--json", str(out), "--plot", str(png),
    )  # fmt: skip
    assert code == 0, text
    payload = json.loads(out.read_text())
    assert payload["method"] == "lcmcr"
    assert {"rhat", "ess"} <= set(payload["diagnostics"])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_by_stratum_with_svg_plot(tmp_path: Path) -> None:
    out, svg = tmp_path / "by.json", tmp_path / "by.svg"
    code, text = run(
        str(DATA / "strata.csv"), "--method", "loglinear", "--model", "independence", "--by", "governorate",
        "--json", str(out), "--plot", str(svg),
    )  # fmt: skip
    assert code == 0, text
    payload = json.loads(out.read_text())
    assert payload["by"] == "governorate"
    assert payload["estimate"] == pytest.approx(sum(s["estimate"] for s in payload["strata"]), rel=1e-6)
    assert "<svg" in svg.read_text()


def test_two_lists_default_to_chapman(tmp_path: Path) -> None:
    csv = tmp_path / "two.csv"
    csv.write_text("a,b,count\n1,0,40\n0,1,30\n1,1,20\n")
    code, text = run(str(csv))
    assert code == 0, text
    assert "chapman" in text


@pytest.mark.parametrize(
    ("content", "problem"),
    [("a,b,c\n1,0,1\n", "no `count` column"), ("a,b,count\n1,0,-3\n", "negative")],
)
def test_bad_csv_is_one_error_line_and_exit_1(tmp_path: Path, content: str, problem: str) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(content)
    code, text = run(str(csv), "--method", "loglinear")
    assert code == 1
    assert text.startswith(f"error: {csv}: ")
    assert problem in text


def test_refuses_to_overwrite_output(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("{}")
    code, text = run(str(dataset_path("HIV")), "--method", "loglinear", "--json", str(out))
    assert code == 1 and "already exists" in text
    assert out.read_text() == "{}"


def test_an_empty_file_or_an_earlier_estimate_is_replaced(tmp_path: Path) -> None:
    """A caller that made the file to receive the result (mktemp), or reruns into the same file, gets the result;
    nothing that held other data is touched without --overwrite."""
    out = tmp_path / "out.json"
    out.touch()
    code, _ = run(str(dataset_path("HIV")), "--method", "loglinear", "--model", "independence", "--json", str(out))
    assert code == 0 and json.loads(out.read_text())["model"] == "independence"
    code, _ = run(str(dataset_path("kosovo")), "--method", "loglinear", "--model", "all-pairs", "--json", str(out))
    result = json.loads(out.read_text())
    assert code == 0 and result["model"] == "all-pairs" and result["source"].endswith("kosovo.csv")
    plot = tmp_path / "figure.png"
    plot.write_bytes(b"not ours")
    code, text = run(str(dataset_path("HIV")), "--method", "loglinear", "--json", str(out), "--plot", str(plot))
    assert code == 1 and "figure.png: already exists" in text and plot.read_bytes() == b"not ours"
    code, _ = run(str(dataset_path("HIV")), "--method", "loglinear", "--model", "independence",
                  "--json", str(out), "--overwrite")  # fmt: skip
    assert code == 0 and json.loads(out.read_text())["model"] == "independence"


def test_chapman_on_four_lists_is_a_clear_error() -> None:
    code, text = run(str(dataset_path("kosovo")), "--method", "chapman")
    assert code == 1 and "exactly two lists" in text


def test_bma_json_contract_matches_dga(tmp_path: Path, reference: dict) -> None:
    out = tmp_path / "bma.json"
    code, text = run(str(dataset_path("kosovo")), "--method", "bma", "--json", str(out))
    assert code == 0, text
    payload = json.loads(out.read_text())
    assert set(payload) >= FIELDS
    assert payload["method"] == "bma"
    assert payload["estimate"] == pytest.approx(reference["kosovo"]["dga_bma"]["median"], rel=0.01)
    assert payload["diagnostics"]["top_models"][0]["weight"] > 0.9


def test_stepwise_from_the_cli(tmp_path: Path, reference: dict) -> None:
    out = tmp_path / "stepwise.json"
    code, text = run(
        str(dataset_path("HIV")), "--method", "loglinear", "--model", "stepwise", "--bootstrap", "200",
        "--seed", "3", "--json", str(out),
    )  # fmt: skip
    assert code == 0, text
    payload = json.loads(out.read_text())
    assert payload["model"] == "stepwise" and payload["diagnostics"]["bootstrap"] == 200
    assert payload["estimate"] == pytest.approx(reference["HIV"]["loglinear_stepwise_sparse"]["estimate"], rel=0.01)


def test_bma_refuses_six_lists_with_one_line(tmp_path: Path) -> None:
    code, text = run(str(dataset_path("UKdat")), "--method", "bma")
    assert code != 0
    assert "3 to 5 lists" in text
