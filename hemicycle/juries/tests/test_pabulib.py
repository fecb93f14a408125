"""The .pb reader and writer (pure: no database)."""

from fractions import Fraction
from pathlib import Path

import pytest

from hemicycle.juries import budgeting, pabulib

DATA = Path(__file__).parent / "data" / "pb"
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "pb"
FILES = sorted(DATA.glob("*.pb"))

SMALL = """META
key;value
description;Test
country;France
num_projects;2
num_votes;2
budget;100.5
vote_type;cumulative
rule;greedy
PROJECTS
project_id;cost;name;extra
a;40;"Parc ; jeux";x
b;60.25;Piste;y
VOTES
voter_id;vote;points;age
1;a,b;2,1;30
2;b;3;
"""


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem[:40])
def test_it_reads_every_test_file_with_its_counts(path):
    pb = pabulib.read(path)
    election = pabulib.election_from_pb(pb)
    assert len(election.projects) == int(pb.meta["num_projects"])
    assert len(election.ballots) == int(pb.meta["num_votes"])
    support = election.support()
    if "votes" in pb.project_columns:  # the file's own count of voters per project
        assert all(support[p] == int(row["votes"]) for p, row in pb.projects.items())
    if "score" in pb.project_columns:  # points, or Borda points of rankings
        score = election.score()
        assert all(score[p] == int(row["score"]) for p, row in pb.projects.items())


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared data set is not checked out")
@pytest.mark.parametrize("name", sorted(p.name for p in SHARED.glob("*.pb"))
                         if SHARED.is_dir() else [])
def test_it_reads_every_file_of_the_shared_set(name):
    pb = pabulib.read(SHARED / name)
    election = pabulib.election_from_pb(pb)
    assert len(election.ballots) == int(pb.meta["num_votes"])


def test_it_keeps_extra_columns_quoted_fields_and_decimal_amounts():
    pb = pabulib.parse(SMALL)
    assert pb.projects["a"]["name"] == "Parc ; jeux"
    assert pb.project_columns == ["project_id", "cost", "name", "extra"]
    election = pabulib.election_from_pb(pb)
    assert election.budget == Fraction(201, 2)
    assert election.projects["b"].cost == Fraction(241, 4)
    assert election.ballots == [{"a": 2, "b": 1}, {"b": 3}]
    assert election.kind == "cumulative"


def test_a_file_written_then_read_is_the_same():
    pb = pabulib.parse(SMALL)
    again = pabulib.parse(pabulib.dumps(pb))
    assert (again.meta, again.projects, again.votes) == (pb.meta, pb.projects, pb.votes)
    real = pabulib.read(DATA / "Netherlands_Assen_2024.pb")
    assert pabulib.parse(pabulib.dumps(real)).votes == real.votes


def test_a_campaign_exported_as_pb_reads_back_as_the_same_election(tmp_path):
    election = budgeting.Election(
        budget=1000, currency="EUR", kind="approval",
        projects={"p1": budgeting.Project("p1", 600, "Bancs"),
                  "p2": budgeting.Project("p2", Fraction(801, 2), "Arbres; haies")},
        ballots=[{"p1": 1}, {"p1": 1, "p2": 1}, {"p2": 1}])
    pb = pabulib.pb_from_election(election, {"description": "Budget participatif",
                                             "unit": "Lille"})
    pabulib.write(pb, tmp_path / "export.pb")
    back = pabulib.election_from_pb(pabulib.read(tmp_path / "export.pb"))
    assert back.projects == election.projects
    assert back.ballots == election.ballots
    assert back.budget == 1000


def test_rankings_get_borda_points_from_their_own_length():
    text = SMALL.replace("vote_type;cumulative", "vote_type;ordinal\nmax_length;3")
    election = pabulib.election_from_pb(pabulib.parse(text))
    assert election.ballots == [{"a": 2, "b": 1}, {"b": 1}]


def test_the_official_rule_maps_to_the_engine():
    def rule(name, extra=""):
        return pabulib.official_rule(pabulib.parse(SMALL.replace("rule;greedy",
                                                                 f"rule;{name}{extra}")))
    assert rule("greedy") == ("greedy", {})
    assert rule("greedy-no-skip") == ("greedy", {"skip": False})
    assert rule("greedy-threshold", "\nmin_project_score_threshold;126") == (
        "greedy", {"threshold": 126})
    assert rule("equalshares/add1") == ("mes", {"completion": "add1", "comparison": False})
    assert rule("equalshares/add1-comparison")[1]["comparison"] is True
    assert rule("unknown") is None


@pytest.mark.parametrize(("broken", "message"), [
    (SMALL.replace("META\n", ""), "commencer par la section META"),
    (SMALL.replace("VOTES\n", "").replace("voter_id;vote;points;age\n", ""),
     "section VOTES absente"),
    (SMALL.replace("b;60.25", "b;soixante"), "ligne 13 : le coût du projet « b »"),
    (SMALL.replace("2;b;3;", "2;z;3;"), "ligne 17 : le vote de « 2 » cite un projet inconnu"),
    (SMALL.replace("1;a,b;2,1;30", "1;a,b;2;30"), "ligne 16 : le vote de « 1 » a 2 projets"),
    (SMALL.replace("b;60.25;Piste;y", "a;60.25;Piste;y"), "ligne 13 : identifiant « a » en double"),
    (SMALL.replace("vote_type;cumulative", "vote_type;quadratic"), "type de vote inconnu"),
    (SMALL.replace("budget;100.5\n", ""), "pas de clé « budget »"),
    (SMALL.replace("project_id;cost;name;extra", "project_id;prix;name;extra"),
     "ligne 11 : l'en-tête de PROJECTS n'a pas de colonne « cost »"),
    (SMALL.replace("a;40;", "a;-40;"), "est négatif"),
])
def test_a_malformed_file_is_a_french_error_with_its_line(broken, message):
    with pytest.raises(pabulib.PabulibError, match=message):
        pabulib.election_from_pb(pabulib.parse(broken))


def test_an_unreadable_file_is_a_pabulib_error(tmp_path):
    with pytest.raises(pabulib.PabulibError, match="introuvable"):
        pabulib.read(tmp_path / "absent.pb")
    latin = tmp_path / "latin.pb"
    latin.write_bytes(SMALL.replace("Piste", "Pist\u00e9").encode("latin-1"))
    with pytest.raises(pabulib.PabulibError, match="UTF-8"):
        pabulib.read(latin)
    assert issubclass(pabulib.PabulibError, ValueError)
