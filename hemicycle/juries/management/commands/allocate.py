"""`hemicycle allocate FILE.pb`: run an allocation rule on a Pabulib file.

    hemicycle allocate Poland_Wieliczka_2023_Green_Budget.pb
    hemicycle allocate FILE.pb --rule mes --completion add1-greedy --explain
    hemicycle allocate FILE.pb --rule greedy --json
"""

import json
from fractions import Fraction

from django.core.management.base import BaseCommand, CommandError

from hemicycle.juries import budgeting, pabulib


def number(value):
    """JSON number: an int when whole, else a float (money, shares)."""
    if value is None:
        return None
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


class Command(BaseCommand):
    help = ("Allocate a participatory budget from a Pabulib .pb file (approval, cumulative, "
            "scoring, ordinal or choose-1 ballots) and print the funded projects.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="a Pabulib .pb file")
        parser.add_argument("--rule", choices=["auto", "greedy", "mes"], default="auto",
                            help="auto (default): the rule the file's META names, else greedy")
        parser.add_argument("--completion", choices=["none", "add1", "add1-greedy"],
                            default=None, help="for mes: Add1 by default")
        parser.add_argument("--exhaustive", action="store_true",
                            help="for mes: also stop Add1 once nothing fits (pabutools)")
        parser.add_argument("--include", action="append", default=[], metavar="PROJECT",
                            help="fund this project whatever the votes (repeatable)")
        parser.add_argument("--exclude", action="append", default=[], metavar="PROJECT",
                            help="never fund this project (repeatable)")
        parser.add_argument("--explain", action="store_true",
                            help="one sentence per project: why it was or was not funded")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        try:
            pb = pabulib.read(options["file"])
            election = pabulib.election_from_pb(pb)
        except pabulib.PabulibError as error:
            raise CommandError(str(error)) from error
        rule, settings = self.rule(pb, options)
        try:
            outcome = budgeting.allocate(election, rule, include=options["include"],
                                         exclude=options["exclude"], **settings)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(self.as_json(pb, election, outcome, options),
                                         ensure_ascii=False))
        else:
            self.summary(pb, election, outcome, options["explain"])

    def rule(self, pb: pabulib.PbFile, options) -> tuple[str, dict]:
        official = pabulib.official_rule(pb)
        if options["rule"] == "auto":
            rule, settings = official or ("greedy", {})
        else:
            rule = options["rule"]
            settings = official[1] if official and official[0] == rule else {}
        if rule == "mes":
            if options["completion"]:
                settings["completion"] = options["completion"]
            settings["exhaustive"] = options["exhaustive"]
        elif options["completion"] or options["exhaustive"]:
            raise CommandError("--completion et --exhaustive ne valent que pour --rule mes")
        return rule, settings

    def as_json(self, pb, election, outcome, options) -> dict:
        funded = set(outcome.selected) | set(outcome.partial)
        return {
            "file": options["file"],
            "rule": outcome.rule,
            "budget": number(election.budget),
            "cost": number(outcome.cost(election)),
            "selected": outcome.selected,
            "partial": {p: number(v) for p, v in outcome.partial.items()},
            "voter_budget": number(outcome.voter_budget),
            "official_selected": pb.selected(),
            "note": outcome.note,
            "projects": [{
                "id": pid, "name": project.name, "cost": number(project.cost),
                "funded": pid in funded, "reason": outcome.reasons[pid].code,
                "explanation": budgeting.explain(election, outcome, pid),
            } for pid, project in election.projects.items()],
        }

    def summary(self, pb, election, outcome, explain: bool) -> None:
        cur = election.currency
        cost = outcome.cost(election)
        self.stdout.write(f"Règle : {outcome.rule} — enveloppe "
                          f"{budgeting.money(election.budget, cur)}, dépensé "
                          f"{budgeting.money(cost, cur)}, "
                          f"{len(outcome.selected) + len(outcome.partial)} projets financés")
        if outcome.voter_budget is not None:
            self.stdout.write(f"Part par électeur : {budgeting.money(outcome.voter_budget, cur)}")
        if outcome.note:
            self.stdout.write(outcome.note.capitalize())
        for pid in [*outcome.selected, *outcome.partial]:
            project = election.projects[pid]
            amount = outcome.partial.get(pid, project.cost)
            self.stdout.write(f"  {pid} · {project.name or '(sans nom)'} · "
                              f"{budgeting.money(amount, cur)}")
        official = pb.selected()
        if official is not None:
            same = set(official) == set(outcome.selected)
            self.stdout.write("Résultat officiel : " + ("identique" if same else "différent"))
        if explain:
            self.stdout.write("Explications :")
            for pid in election.projects:
                self.stdout.write(f"  {pid} : {budgeting.explain(election, outcome, pid)}")
