"""The `allocate` management command (pure: reads a file, no database)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).parent / "data" / "pb"


def allocate(*args: str) -> str:
    out = StringIO()
    call_command("allocate", *args, stdout=out)
    return out.getvalue()


def test_json_gives_the_selected_projects_their_cost_and_the_budget():
    result = json.loads(allocate(str(DATA / "Netherlands_Assen_2024.pb"), "--json"))
    assert result["rule"] == "mes+add1"  # the rule named by the file's META
    assert sorted(result["selected"]) == sorted(result["official_selected"])
    assert result["budget"] == 100000 and result["cost"] == 76700
    assert {p["id"] for p in result["projects"] if p["funded"]} == set(result["selected"])
    assert all(p["explanation"] for p in result["projects"])


def test_rule_and_completion_can_be_chosen():
    path = str(DATA / "Poland_Warszawa_2019_Sielce.pb")
    greedy = json.loads(allocate(path, "--json"))
    assert greedy["rule"] == "greedy" and greedy["voter_budget"] is None
    mes = json.loads(allocate(path, "--rule", "mes", "--completion", "none", "--json"))
    assert mes["rule"] == "mes" and mes["cost"] <= mes["budget"]
    assert set(mes["selected"]) != set(greedy["selected"])


def test_the_summary_is_french_and_explains_each_project_on_request():
    out = allocate(str(DATA / "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_"
                           "Bellefontaine.pb"), "--explain", "--exclude", "185")
    assert out.startswith("Règle : greedy — enveloppe 400\u202f000\u00a0€")
    assert "185 : Écarté par une décision motivée" in out
    assert "Financé : 1er du classement" in out


def test_a_malformed_or_missing_file_is_a_command_error(tmp_path):
    broken = tmp_path / "broken.pb"
    broken.write_text("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;dix\n"
                      "VOTES\nvoter_id;vote\n1;1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ligne 6 : le coût du projet « 1 »"):
        allocate(str(broken))
    with pytest.raises(CommandError, match="introuvable"):
        allocate(str(tmp_path / "absent.pb"))
    with pytest.raises(CommandError, match="que pour --rule mes"):
        allocate(str(DATA / "Poland_Warszawa_2019_Sielce.pb"), "--rule", "greedy",
                 "--completion", "add1")
