"""The `draw` management command (pure: reads files, no database)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).parent / "data" / "sortition"
SMALL = ["--categories", str(DATA / "example_small_20" / "categories.csv"),
         "--respondents", str(DATA / "example_small_20" / "respondents.csv")]
FIXTURE = ["--categories", str(DATA / "sortition_algorithms" / "features.csv"),
           "--respondents", str(DATA / "sortition_algorithms" / "candidates.csv")]


def draw(*args: str) -> str:
    out = StringIO()
    call_command("draw", *args, stdout=out)
    return out.getvalue()


def test_json_gives_probabilities_the_minimum_the_panel_and_the_seed():
    result = json.loads(draw(*SMALL, "--size", "20", "--seed", "3 17 22 31 40", "--json"))
    assert len(result["probabilities"]) == 200 and result["probabilities"]["1"] == (
        pytest.approx(0.1, abs=1e-6))
    assert result["min_probability"] == pytest.approx(0.1, abs=1e-6)
    assert len(result["panel"]) == 20 and set(result["panel"]) <= set(result["probabilities"])
    assert result["seed"] == "3 17 22 31 40"
    assert result["algorithm"] == "leximin" and "HiGHS" in result["version"]
    assert len(result["pool_digest"]) == 64 and result["pool_size"] == 200
    assert result["quotas"][0] == {"feature": "gender", "value": "female", "min": 9,
                                   "max": 20, "pool": 100}


def test_the_same_seed_gives_the_same_panel_from_the_command_line():
    args = [*FIXTURE, "--size", "22", "--seed", "bulletin du 12 mars", "--json"]
    first, again = json.loads(draw(*args)), json.loads(draw(*args))
    assert first["panel"] == again["panel"]
    assert first["min_probability"] == pytest.approx(1 / 11, abs=1e-6)


def test_the_summary_is_in_french_and_a_seed_is_made_when_none_is_given():
    out = draw(*SMALL, "--size", "20", "--algorithm", "maximin")
    assert "Vivier : 200 personnes ; panel de 20." in out
    assert "gender = female" in out and "Probabilité de sélection : minimum 10,00 %" in out
    seed = next(line for line in out.splitlines() if line.startswith("Graine : "))
    assert len(seed.removeprefix("Graine : ")) == 32
    assert "Empreinte du vivier (sha256) : " in out and "Panel tiré (20) : " in out


def test_households_are_read_from_the_address_columns():
    result = json.loads(draw(*FIXTURE, "--size", "22", "--seed", "1", "--json",
                             "--household-columns", "primary_address1,primary_zip"))
    assert len(result["panel"]) == 22


def test_infeasible_quotas_fail_with_the_explanation_and_the_relaxation():
    with pytest.raises(CommandError) as raised:
        draw(*SMALL, "--size", "50")
    message = str(raised.value)
    assert message.startswith("Aucun panel de 50 personnes ne respecte les quotas")
    assert "Assouplissement minimal proposé : « female » (gender) : maximum 20 → 30" in message


def test_unreadable_files_fail_cleanly(tmp_path):
    bad = tmp_path / "categories.csv"
    bad.write_text("category,feature,min,max\ngender,female,neuf,20\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ligne 2 : « neuf » n'est pas un nombre entier"):
        draw("--categories", str(bad), "--respondents", SMALL[3], "--size", "20")
    with pytest.raises(CommandError, match="fichier illisible"):
        draw("--categories", str(tmp_path / "absent.csv"), "--respondents", SMALL[3],
             "--size", "20")
