"""Static maps: projection, furniture, labels, formats and the web-tile fallback.

The scene resembles the default one: the Ukraine/Russia border area, ATACMS rings of 165
and 300 km around a point near Sumy (computed with pyproj.Geod.fwd), a frontline-like
polygon and line, a few places and sites, on the bundled country outlines.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from pathlib import Path

import contextily
import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.affinity
from defusedxml import ElementTree
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image
from pypdf import PdfReader
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo._errors import InputError
from geo.boundaries import countries
from layers import static_map
from layers._imagecompare import compare_images
from layers._static_labels import LABEL_GID, overlaps
from layers._static_layers import TILES_NOTE
from layers.projection import make_scene
from layers.style import STYLES, range_color

GEOD = Geod(ellps="WGS84")
SUMY = (34.80, 50.91)
ATTRIBUTION = "Borders: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0)"


def geodesic_circle(lon: float, lat: float, km: float, n: int = 240) -> BaseGeometry:
    """Return a geodesic circle, split into two parts if it crosses the antimeridian."""
    azimuths = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), azimuths, np.full(n, km * 1e3))
    lons = lon + (np.asarray(lons) - lon + 180.0) % 360.0 - 180.0  # continuous around lon
    circle = Polygon(zip(lons, lats, strict=True))
    west = shapely.affinity.translate(circle.intersection(box(180, -90, 540, 90)), -360.0)
    east = circle.intersection(box(-540, -90, -180, 90))
    inside = circle.intersection(box(-180, -90, 180, 90))
    parts = [g for g in (inside, west, shapely.affinity.translate(east, 360.0)) if not g.is_empty]
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def ranges_layer(lon: float, lat: float, kms: tuple[float, ...]) -> gpd.GeoDataFrame:
    rows = {"weapon": ["ATACMS"] * len(kms), "range_km": list(kms), "min_km": [None] * len(kms)}
    rows |= {"ring": ["max"] * len(kms), "label": [None] * len(kms)}
    circles = [geodesic_circle(lon, lat, km) for km in kms]
    return gpd.GeoDataFrame(rows, geometry=circles, crs=4326)


def places_layer(names: list[str], points: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    n = len(names)
    return gpd.GeoDataFrame(
        {
            "name": names,
            "kind": ["city"] * n,
            "country_code": ["UA"] * n,
            "population": [100_000 * (n - i) for i in range(n)],
            "confidence": [1.0] * n,
            "demonym_only": [False] * n,
        },
        geometry=[Point(p) for p in points],
        crs=4326,
    )


@pytest.fixture(scope="module")
def scene() -> dict[str, gpd.GeoDataFrame]:
    front = gpd.GeoDataFrame(
        {
            "class": ["occupied_since_2022", "line_of_contact"],
            "date": ["2024-11-19"] * 2,
            "source": ["test"] * 2,
            "area_km2": [0.0, 0.0],
        },
        geometry=[
            Polygon([(37.6, 47.0), (39.6, 47.0), (39.6, 49.6), (37.9, 49.6)]),
            LineString([(37.9, 49.6), (37.6, 47.0)]),
        ],
        crs=4326,
    )
    places = places_layer(
        ["Kharkiv", "Kursk", "Belgorod", "Sumy", "Poltava", "$5 Town_x"],
        [(36.25, 50.0), (36.19, 51.73), (36.58, 50.6), SUMY, (34.55, 49.59), (33.2, 51.4)],
    )
    sites = gpd.GeoDataFrame(
        {"name": ["Airfield A", "Airfield B"], "type": ["airfield"] * 2},
        geometry=[Point(36.3, 51.75), Point(40.4, 48.9)],
        crs=4326,
    ).assign(in_range=[True, False], distance_km=[160.0, 480.0])
    return {
        "borders": countries(),
        "occupied_since_2022": front.iloc[[0]],
        "line_of_contact": front.iloc[[1]],
        "ranges": ranges_layer(*SUMY, (165.0, 300.0)),
        "places": places,
        "sites": sites,
    }


@pytest.fixture(scope="module")
def figure(scene: dict[str, gpd.GeoDataFrame]) -> static_map.MapFigure:
    return static_map.render(
        scene, title="Strikes near Sumy", date="2024-11-19", attribution=ATTRIBUTION
    )


@pytest.fixture(scope="module")
def png(figure: static_map.MapFigure) -> Image.Image:
    return Image.open(io.BytesIO(static_map.to_bytes(figure, "png"))).convert("RGB")


def svg_text(data: bytes) -> str:
    root = ElementTree.fromstring(data)
    return " ".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))


def pixels_near(image: Image.Image, color: str, *, tolerance: float = 40.0) -> int:
    target = np.array(to_rgb(color)) * 255.0
    distance = np.abs(np.asarray(image, dtype=float) - target).max(axis=2)
    return int((distance <= tolerance).sum())


def placed_label_boxes(fig: Figure) -> list[tuple[str, object]]:
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    return [
        (t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_gid() == LABEL_GID
    ]


# --- formats ------------------------------------------------------------------------------


def test_png_has_the_asked_size_and_real_content(png: Image.Image) -> None:
    assert png.size == (3000, 2400)  # 10 × 8 in at 300 dpi
    pixels = np.asarray(png, dtype=float)
    assert pixels.std() > 20
    quantised = (pixels // 16).astype(int).reshape(-1, 3) @ np.array([256, 16, 1])
    assert len(np.unique(quantised)) > 50
    assert pixels_near(png, range_color(0), tolerance=25) > 2000  # the ATACMS rings
    assert pixels_near(png, STYLES["sea"].fill_color or "", tolerance=6) > 10_000


@pytest.mark.parametrize(("size_in", "dpi"), [((6.0, 4.5), 100), ((4.0, 4.0), 72)])
def test_png_size_follows_size_and_dpi(
    scene: dict[str, gpd.GeoDataFrame], size_in: tuple[float, float], dpi: int
) -> None:
    fig = static_map.render(scene, title="t", date=None, attribution="a", dpi=dpi, size_in=size_in)
    image = Image.open(io.BytesIO(static_map.to_bytes(fig, "png")))
    assert image.size == (round(size_in[0] * dpi), round(size_in[1] * dpi))


def test_svg_parses_and_keeps_legend_and_labels_as_text(figure: static_map.MapFigure) -> None:
    text = svg_text(static_map.to_bytes(figure, "svg"))
    assert STYLES["occupied_since_2022"].label in text
    assert "ATACMS (165, 300 km)" in text
    assert "$5 Town_x" in text
    assert "Natural Earth (public domain)" in text
    assert "Strikes near Sumy" in text
    for entry in figure.info.legend:
        assert entry in text


def test_pdf_is_one_page_with_searchable_legend(figure: static_map.MapFigure) -> None:
    reader = PdfReader(io.BytesIO(static_map.to_bytes(figure, "pdf")))
    assert len(reader.pages) == 1
    assert "Occupied since" in reader.pages[0].extract_text()


def test_save_writes_files_by_path(figure: static_map.MapFigure, tmp_path: Path) -> None:
    for fmt in static_map.FORMATS:
        target = tmp_path / f"map.{fmt}"
        static_map.save(figure, target, format=fmt)  # type: ignore[arg-type]
        assert target.stat().st_size > 1000


def test_save_refuses_an_unknown_format(figure: static_map.MapFigure) -> None:
    with pytest.raises(InputError, match="format must be one of png, svg, pdf, got 'jpg'"):
        static_map.to_bytes(figure, "jpg")  # type: ignore[arg-type]


# --- projection, scale bar, north arrow, graticule ---------------------------------------------


def test_projection_is_azimuthal_equal_area_centred_on_the_scene(
    figure: static_map.MapFigure,
) -> None:
    crs = figure.info.crs
    assert not crs.equals(CRS.from_epsg(3857))
    operation = crs.coordinate_operation
    assert operation is not None and operation.method_name == "Lambert Azimuthal Equal Area"
    params = {p.name: p.value for p in operation.params}
    west, south, east, north = figure.info.extent
    assert params["Longitude of natural origin"] == pytest.approx((west + east) / 2, abs=1e-4)
    assert params["Latitude of natural origin"] == pytest.approx((south + north) / 2, abs=1e-4)
    assert west < SUMY[0] < east and south < SUMY[1] < north


@pytest.mark.parametrize(
    "extent",
    [(34.0, 50.4, 35.6, 51.4), (30.0, 46.0, 41.0, 54.0), (15.0, 38.0, 55.0, 62.0)],
    ids=["100km", "1000km", "3000km"],
)
def test_scale_bar_states_its_geodesic_length(
    scene: dict[str, gpd.GeoDataFrame], extent: tuple[float, float, float, float]
) -> None:
    fig = static_map.render(scene, title="t", date=None, attribution="a", extent=extent, dpi=72)
    ax = fig.axes[0]
    bar = next(p for p in ax.patches if p.get_gid() == "scale-bar")
    assert isinstance(bar, Rectangle)
    label = next(t for t in ax.texts if t.get_gid() == "scale-bar-label").get_text()
    stated_km = float(re.fullmatch(r"([\d.]+) km", label).group(1))  # type: ignore[union-attr]
    to_lonlat = Transformer.from_crs(fig.info.crs, 4326, always_xy=True)
    (lon0, lon1), (lat0, lat1) = to_lonlat.transform(
        [bar.get_x(), bar.get_x() + bar.get_width()], [bar.get_y(), bar.get_y()]
    )
    measured_km = GEOD.inv(lon0, lat0, lon1, lat1)[2] / 1000.0
    assert measured_km == pytest.approx(stated_km, rel=0.01)
    mantissa = stated_km / 10 ** math.floor(math.log10(stated_km))
    assert mantissa in (1.0, 2.0, 5.0)


def test_north_arrow_points_to_true_north(figure: static_map.MapFigure) -> None:
    ax = figure.axes[0]
    arrow = next(t for t in ax.texts if t.get_gid() == "north-arrow")
    (tip_x, tip_y), (base_x, base_y) = arrow.xy, arrow.xyann  # type: ignore[attr-defined]
    to_lonlat = Transformer.from_crs(figure.info.crs, 4326, always_xy=True)
    to_xy = Transformer.from_crs(4326, figure.info.crs, always_xy=True)
    lon, lat = to_lonlat.transform(base_x, base_y)
    north_x, north_y = to_xy.transform(lon, lat + 0.05)  # a step up the meridian
    expected = math.degrees(math.atan2(north_x - base_x, north_y - base_y))
    drawn = math.degrees(math.atan2(tip_x - base_x, tip_y - base_y))
    assert drawn == pytest.approx(expected, abs=0.2)
    assert abs(drawn) > 1.0  # east of the central meridian, north is not "up"


def test_graticule_labels_the_frame_in_degrees(figure: static_map.MapFigure) -> None:
    ax = figure.axes[0]
    lons = [t.get_text() for t in ax.get_xticklabels()]
    lats = [t.get_text() for t in ax.get_yticklabels()]
    assert figure.info.graticule_step_deg == 2.0
    assert {"32°E", "34°E", "36°E"} <= set(lons)
    assert {"48°N", "50°N", "52°N"} <= set(lats)


def test_clip_window_splits_at_the_antimeridian() -> None:
    scene = make_scene((170.0, 60.0, -170.0, 70.0), aspect=1.25)
    assert scene.window.contains(Point(179.0, 65.0))
    assert scene.window.contains(Point(-179.0, 65.0))
    assert not scene.window.contains(Point(0.0, 65.0))
    operation = scene.crs.coordinate_operation
    assert operation is not None
    params = {p.name: p.value for p in operation.params}
    assert abs(params["Longitude of natural origin"]) == pytest.approx(180.0)


def test_a_scene_across_the_antimeridian_renders_land_on_both_sides() -> None:
    layers = {"borders": countries(), "ranges": ranges_layer(179.5, 65.5, (300.0,))}
    fig = static_map.render(layers, title="Bering", date=None, attribution="a", dpi=60)
    xmin, _, xmax, _ = fig.info.frame
    assert np.isfinite(fig.info.frame).all() and xmax - xmin < 2_000_000
    image = Image.open(io.BytesIO(static_map.to_bytes(fig, "png"))).convert("RGB")
    assert pixels_near(image, STYLES["land"].fill_color or "", tolerance=4) > 20_000


# --- labels ---------------------------------------------------------------------------------


def test_placed_labels_do_not_overlap(figure: static_map.MapFigure) -> None:
    boxes = placed_label_boxes(figure)
    assert len(boxes) >= 8
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not overlaps(box_a, box_b), f"labels {a!r} and {b!r} overlap"


def test_a_crowded_scene_drops_labels_instead_of_piling_them_up(
    scene: dict[str, gpd.GeoDataFrame],
) -> None:
    rng = np.random.default_rng(7)
    points = [(34.5 + dx, 50.7 + dy) for dx, dy in rng.uniform(0.0, 0.6, size=(60, 2))]
    crowded = {**scene, "places": places_layer([f"Village {i}" for i in range(60)], points)}
    fig = static_map.render(crowded, title="t", date=None, attribution="a", dpi=100)
    boxes = placed_label_boxes(fig)
    villages = [name for name, _ in boxes if name.startswith("Village")]
    assert 3 <= len(villages) < 60
    assert "Village 0" in villages  # the most populous goes first
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not overlaps(box_a, box_b), f"labels {a!r} and {b!r} overlap"


def test_capitals_countries_and_sites_in_range_come_before_cities(
    figure: static_map.MapFigure,
) -> None:
    labels = list(figure.info.labels)
    assert labels.index("UKRAINE") < labels.index("Airfield A") < labels.index("Kharkiv")
    assert labels.index("Kharkiv") < labels.index("Kursk")  # larger population first


def test_dollar_and_underscore_are_drawn_literally(scene: dict[str, gpd.GeoDataFrame]) -> None:
    title = "Costs $5 and $x_1$ per_shot"
    fig = static_map.render(scene, title=title, date=None, attribution="a $ b_c", dpi=72)
    svg = svg_text(static_map.to_bytes(fig, "svg"))
    assert title in svg
    assert "$5 Town_x" in fig.info.labels
    assert "$5 Town_x" in svg


def test_country_points_far_away_do_not_stretch_the_default_extent(
    scene: dict[str, gpd.GeoDataFrame],
) -> None:
    russia = places_layer(["Russia"], [(100.0, 60.0)]).assign(kind="country")
    places = gpd.GeoDataFrame(
        [*scene["places"].to_dict("records"), *russia.to_dict("records")], crs=4326
    )
    layers = {key: value for key, value in scene.items() if key != "ranges"}
    fig = static_map.render({**layers, "places": places}, title="t", date=None, attribution="a")
    assert fig.info.extent[2] < 45.0


# --- layer selection, legend, attribution ---------------------------------------------------------


def test_legend_lists_only_present_and_visible_layers(figure: static_map.MapFigure) -> None:
    assert figure.info.legend == (
        STYLES["occupied_since_2022"].label,
        STYLES["line_of_contact"].label,
        "ATACMS (165, 300 km)",
        STYLES["sites_in_range"].label,
        STYLES["sites_out_of_range"].label,
        STYLES["places"].label,
        STYLES["borders"].label,
    )


def test_visible_hides_layers_like_the_dashboard(scene: dict[str, gpd.GeoDataFrame]) -> None:
    visible = static_map.default_visible() - {"ranges", "sites_out_of_range"}
    fig = static_map.render(scene, title="t", date=None, attribution="a", visible=visible, dpi=72)
    assert "ATACMS (165, 300 km)" not in fig.info.legend
    assert STYLES["sites_out_of_range"].label not in fig.info.legend
    image = Image.open(io.BytesIO(static_map.to_bytes(fig, "png"))).convert("RGB")
    assert pixels_near(image, range_color(0), tolerance=25) < 20


@pytest.mark.parametrize(("approximate", "label"), [(True, "First-level regions (approximate)"),
                                                    (False, "First-level regions")])  # fmt: skip
def test_regions_legend_says_approximate_only_when_they_are(
    scene: dict[str, gpd.GeoDataFrame], approximate: bool, label: str
) -> None:
    oblast = gpd.GeoDataFrame(
        {"code": ["UA-59"], "name": ["Sumy Oblast"], "country_code": ["UA"]},
        geometry=[geodesic_circle(*SUMY, 80.0)],
        crs=4326,
    ).assign(approximate=approximate)
    visible = static_map.default_visible() | {"regions"}
    fig = static_map.render(
        {**scene, "regions": oblast}, title="t", date=None, attribution="a", visible=visible, dpi=72
    )
    assert label in fig.info.legend
    assert (
        "First-level regions"
        not in static_map.render(
            {**scene, "regions": oblast}, title="t", date=None, attribution="a", dpi=72
        ).info.legend
    )  # hidden by default, as on the dashboard


def test_title_date_and_attribution_are_printed(figure: static_map.MapFigure) -> None:
    texts = {t.get_gid(): t.get_text() for t in figure.texts}
    assert texts["map-title"] == "Strikes near Sumy"
    assert "2024-11-19" in texts["map-date"]
    assert "Natural Earth (public domain)" in texts["attribution"]
    assert "Lambert azimuthal equal-area" in texts["attribution"]


# --- web tiles ------------------------------------------------------------------------------


def test_tiles_fall_back_to_the_offline_basemap_with_a_note(
    scene: dict[str, gpd.GeoDataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*args: object, **kwargs: object) -> None:
        raise ConnectionError("no network")

    monkeypatch.setattr(contextily, "add_basemap", offline)
    fig = static_map.render(scene, title="t", date=None, attribution="a", tiles=True, dpi=72)
    attribution = next(t.get_text() for t in fig.texts if t.get_gid() == "attribution")
    assert TILES_NOTE in fig.info.notes
    assert TILES_NOTE in attribution.replace("\n", " ")
    image = Image.open(io.BytesIO(static_map.to_bytes(fig, "png"))).convert("RGB")
    assert pixels_near(image, STYLES["land"].fill_color or "", tolerance=4) > 10_000


def test_tiles_replace_land_and_credit_the_provider(
    scene: dict[str, gpd.GeoDataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(contextily, "add_basemap", lambda ax, **kw: calls.append(kw))
    fig = static_map.render(scene, title="t", date=None, attribution="a", tiles=True, dpi=72)
    assert calls and CRS.from_user_input(calls[0]["crs"]).equals(fig.info.crs)
    assert TILES_NOTE not in fig.info.notes
    assert any("CARTO" in note for note in fig.info.notes)


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"visible": ["ranges", "rivers"]}, "unknown layer key\\(s\\) in visible: rivers"),
        ({"visible": "ranges"}, "visible must be a collection"),
        ({"extent": (40.0, 50.0, 41.0, 49.0)}, "south < north"),
        ({"extent": (0.0, 10.0, 200.0, 20.0)}, "longitudes must be within -180..180"),
        ({"dpi": 0}, "dpi must be between"),
        ({"size_in": (10.0, -1.0)}, "size_in must be"),
    ],
)
def test_bad_options_get_clear_errors(
    scene: dict[str, gpd.GeoDataFrame], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        static_map.render(scene, title="t", date=None, attribution="a", **kwargs)  # type: ignore[arg-type]


def test_bad_layers_get_clear_errors(scene: dict[str, gpd.GeoDataFrame]) -> None:
    no_crs = gpd.GeoDataFrame(scene["ranges"].drop(columns="geometry"), geometry=[Point(0, 0)] * 2)
    cases = [
        ({"rivers": scene["places"]}, "unknown layer 'rivers'"),
        ({"ranges": scene["ranges"].drop(columns="ring")}, "lacks column\\(s\\) ring"),
        ({"ranges": scene["ranges"].assign(ring="outer")}, "ring must be one of"),
        ({"ranges": no_crs}, "has no CRS"),
        ({"frontline": scene["places"]}, "needs a 'class' column"),
    ]
    for layers, message in cases:
        with pytest.raises(InputError, match=message):
            static_map.render(
                layers, title="t", date=None, attribution="a", extent=(30, 45, 40, 55)
            )


# --- image regression helper --------------------------------------------------------------------


def test_image_comparison_accepts_itself_and_catches_a_changed_colour(
    png: Image.Image, tmp_path: Path
) -> None:
    small = png.resize((750, 600))
    buffer = io.BytesIO()
    small.save(buffer, format="PNG")
    reference = buffer.getvalue()
    assert compare_images(reference, reference).ok
    changed = np.asarray(small).copy()
    changed[50:225, 75:375] = (255, 0, 255)  # a styling regression over part of the map
    buffer = io.BytesIO()
    Image.fromarray(changed).save(buffer, format="PNG")
    result = compare_images(buffer.getvalue(), reference, diff_dir=tmp_path, name="scene")
    assert not result.ok
    assert result.diff_path is not None and result.diff_path.is_file()
    assert compare_images(reference, _shrunk(png)).message().startswith("image size")


def _shrunk(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.resize((100, 80)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_legend_goes_to_a_corner_where_it_hides_no_ring() -> None:
    # A ring in the lower right corner (the legend's first choice) and nothing elsewhere.
    rings = ranges_layer(40.5, 45.0, (250.0,))
    fig = static_map.render(
        {"ranges": rings}, title="t", date=None, attribution="a", extent=(30, 45, 40, 55), dpi=72
    )
    ax = fig.axes[0]
    legend = ax.get_legend()
    box = legend.get_window_extent(fig.canvas.get_renderer())
    ring_patches = [p for p in ax.patches if 3 <= p.get_zorder() < 20]
    assert ring_patches
    for patch in ring_patches:
        xy = patch.get_transform().transform(patch.get_path().vertices)
        assert not any(box.contains(x, y) for x, y in xy)
