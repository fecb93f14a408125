import json
import secrets

from django.core.management.base import BaseCommand, CommandError

from hemicycle.juries import sortition
from hemicycle.juries.sortition_io import CsvError, read_instance


class Command(BaseCommand):
    help = ("Tirage au sort d'un panel à partir de fichiers CSV, reproductible : "
            "draw --categories C.csv --respondents R.csv --size K [--algorithm leximin] "
            "[--seed S] [--json]. Formats : Panelot (category,feature,min,max ; répondants "
            "sans identifiant, numérotés) ou sortition-algorithms (feature,value,min,max ; "
            "personnes avec une colonne d'identifiant).")

    def add_arguments(self, parser):
        parser.add_argument("--categories", required=True, help="quotas (CSV)")
        parser.add_argument("--respondents", required=True, help="volontaires (CSV)")
        parser.add_argument("--size", type=int, required=True, help="taille du panel")
        parser.add_argument("--algorithm", default="leximin", choices=sortition.ALGORITHMS)
        parser.add_argument("--seed", help="graine publique (tirée au hasard si absente)")
        parser.add_argument("--id-column", help="colonne des identifiants")
        parser.add_argument("--household-columns", default="",
                            help="colonnes de l'adresse, séparées par des virgules : une "
                                 "personne au plus par foyer")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def progress(self, fixed: int, total: int) -> None:
        """LEXIMIN's levels on stderr (stdout stays clean for --json)."""
        self.stderr.write(f"\rProfils fixés : {fixed}/{total}", ending="")
        if fixed >= total:
            self.stderr.write("")

    def handle(self, *args, **options):
        if options["size"] < 1:
            raise CommandError("--size doit être un entier positif.")
        households = tuple(c.strip() for c in options["household_columns"].split(",")
                           if c.strip())
        try:
            instance = read_instance(options["categories"], options["respondents"],
                                     options["size"], id_column=options["id_column"],
                                     household_columns=households)
            distribution = sortition.probabilities(instance, options["algorithm"],
                                                   progress=self.progress)
        except CsvError as error:
            raise CommandError(str(error)) from error
        except sortition.InfeasibleQuotas as error:
            problem = error.infeasibility
            lines = [problem.explanation]
            if problem.changes:
                lines.append("Assouplissement minimal proposé : " + " ; ".join(problem.changes))
            raise CommandError("\n".join(lines)) from error
        seed = options["seed"] if options["seed"] is not None else secrets.token_hex(16)
        panel = sortition.draw(distribution, seed)
        if options["json"]:
            self.stdout.write(json.dumps(report(instance, distribution, panel, seed),
                                         ensure_ascii=False, indent=1))
        else:
            self.stdout.write(summary(instance, distribution, panel, seed))


def report(instance, distribution, panel, seed) -> dict:
    """Everything needed to check the draw: quotas, probabilities, seed, digest."""
    probabilities = distribution.probabilities.values()
    return {
        "probabilities": distribution.probabilities,
        "min_probability": min(probabilities),
        "max_probability": max(probabilities),
        "panel": panel,
        "seed": seed,
        "algorithm": distribution.algorithm,
        "version": distribution.version,
        "pool_digest": distribution.digest,
        "pool_size": len(instance.people),
        "size": instance.k,
        "quotas": [{"feature": f, "value": v, "min": lo, "max": hi, "pool": pool_count(
            instance, f, v)} for (f, v), (lo, hi) in instance.quotas.items()],
        "lottery_panels": len(distribution.panels),
    }


def pool_count(instance, feature, value) -> int:
    return sum(p.features.get(feature) == value for p in instance.people)


def summary(instance, distribution, panel, seed) -> str:
    def percent(p: float) -> str:
        return f"{100 * p:.2f} %".replace(".", ",")

    probabilities = distribution.probabilities.values()
    lines = [
        f"Vivier : {len(instance.people)} personnes ; panel de {instance.k}.",
        f"Algorithme : {distribution.algorithm} ({distribution.version}).",
        "Quotas (min – max, dans le vivier) :",
    ]
    width = max(len(f"{f} = {v}") for f, v in instance.quotas)
    for (f, v), (lo, hi) in instance.quotas.items():
        lines.append(f"  {f'{f} = {v}':<{width}}  {lo:>3} – {hi:<3}  "
                     f"({pool_count(instance, f, v)})")
    lines += [
        f"Probabilité de sélection : minimum {percent(min(probabilities))}, "
        f"maximum {percent(max(probabilities))}.",
        f"Graine : {seed}",
        f"Empreinte du vivier (sha256) : {distribution.digest}",
        f"Panel tiré ({len(panel)}) : " + ", ".join(panel),
    ]
    return "\n".join(lines)
