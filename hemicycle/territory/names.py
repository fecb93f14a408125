"""French place names with their article: "du Nord", "de la Manche", "de l'Orne".

Pure Python. The COG's ``typeLiaison`` (INSEE's TNCC, "type de nom en clair") says which
article a name takes; the names of communes carry it ("Le Cateau-Cambrésis"), those of
départements and régions do not ("Nord", "Hauts-de-France").
"""

# TNCC → (article the name may start with, what "de" + article becomes)
ARTICLES: dict[int, tuple[str, str]] = {
    0: ("", "de "),
    1: ("", "d'"),
    2: ("Le ", "du "),
    3: ("La ", "de la "),
    4: ("Les ", "des "),
    5: ("L'", "de l'"),
    6: ("Aux ", "des "),
    7: ("Las ", "de las "),
    8: ("Los ", "de los "),
}


def with_de(name: str, tncc: int | None) -> str:
    """ "Nord", 2 → "du Nord"; "Le Cateau-Cambrésis", 2 → "du Cateau-Cambrésis"."""
    article, de = ARTICLES.get(tncc or 0, ARTICLES[0])
    if article and name.lower().startswith(article.lower()):
        name = name[len(article):]
    return de + name
