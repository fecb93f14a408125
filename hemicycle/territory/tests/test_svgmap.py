from hemicycle.lib.svgmap import Shape, render

SQUARE = {"type": "Polygon", "coordinates": [[[3, 50], [3.1, 50], [3.1, 50.1], [3, 50.1], [3, 50]]]}


def test_a_map_of_links_is_a_group_and_escapes_labels():
    svg = render([Shape(SQUARE, label="<Lille>", href="/c/1/?a=1&b=2")], title="Nord")
    assert 'role="group"' in svg and "&lt;Lille&gt;" in svg and "&amp;b=2" in svg
    assert render([Shape(SQUARE, label="x")]).count('role="img"') == 1


def test_empty_geometries_are_skipped():
    empty = {"type": "MultiPolygon", "coordinates": []}
    assert render([Shape(empty, label="rien")]) == ""
    svg = render([Shape(empty, label="rien"), Shape(SQUARE, label="carré")])
    assert "rien" not in svg and "carré" in svg


def test_points_on_the_same_pixel_are_drawn_once():
    ring = [[3, 50], [3.1, 50], [3.1, 50.1], [3.1000001, 50.1], [3, 50.1], [3, 50]]
    svg = render([Shape({"type": "Polygon", "coordinates": [ring]}, label="x")])
    assert svg.count(" L") == 4
