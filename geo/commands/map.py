"""``rangemap map``: every output of the dashboard (maps and data files) from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo._errors import InputError
from geo._outputs import add_force_option, atomic_path, check_outputs
from geo.article_input import read_article_file

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.scenario import Scenario, ScenarioSpec

#: Output options, in the order the files are written.
OUTPUTS: tuple[str, ...] = ("png", "svg", "pdf", "html", "geojson", "kml", "gpkg")
#: How each output is named in the summary lines.
KINDS: dict[str, str] = {
    "png": "PNG",
    "svg": "SVG",
    "pdf": "PDF",
    "html": "HTML",
    "geojson": "GeoJSON",
    "kml": "KML",
    "gpkg": "GeoPackage",
}
#: Largest resolution accepted for ``--dpi`` (a 10×8 in map at 600 dpi is 6000×4800 px).
MAX_DPI = 600

EPILOG = """examples:
  rangemap map --scenario default --png map.png --svg map.svg --pdf map.pdf
  rangemap map article.txt --html map.html --geojson map.geojson
  cat article.txt | rangemap map - --png map.png --dpi 150
  rangemap map --scenario my-scenario.toml --kml map.kml --gpkg map.gpkg
  rangemap map article.txt --html map.html --force      # replace an existing map.html
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``map`` sub-command."""
    parser = subparsers.add_parser(
        "map",
        help="write the maps and data files of an article or scenario",
        description="Build everything the dashboard shows, from an article (FILE, or '-' for "
        "stdin: its weapons and ranges on the bundled scenario's date and launch areas) or "
        "from a scenario TOML file ('--scenario default' is the bundled one), and write it: "
        "static maps (PNG, SVG, PDF), the interactive map (standalone HTML, offline by "
        "default) and the data layers (GeoJSON, KML, GeoPackage; EPSG:4326). Progress goes "
        "to stderr, one line per written file to stdout.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", metavar="FILE", help="article text file, '-' = stdin")
    source.add_argument(
        "--scenario", metavar="PATH", help="scenario TOML file, or 'default' for the bundled one"
    )
    for fmt in OUTPUTS:
        parser.add_argument(f"--{fmt}", metavar="P", type=Path, help=f"write the {KINDS[fmt]}")
    parser.add_argument(
        "--dpi", type=int, default=300, help="resolution of the PNG (default 300; 10×8 in)"
    )
    parser.add_argument(
        "--online-html",
        action="store_true",
        help="link the HTML's scripts from their CDNs (small file, needs a network)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    add_force_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the scenario, write every requested output and return 0."""
    wanted = [fmt for fmt in OUTPUTS if getattr(args, fmt) is not None]
    if not wanted:
        options = " ".join(f"--{fmt}" for fmt in OUTPUTS)
        raise InputError(f"nothing to write: give at least one output ({options})")
    if not 10 <= args.dpi <= MAX_DPI:
        raise InputError(f"--dpi must be between 10 and {MAX_DPI}, got {args.dpi}")
    spec = load_source(args)
    outputs = check_outputs(
        {f"--{fmt}": getattr(args, fmt) for fmt in wanted}, inputs=_inputs(args, spec),
        force=args.force,
    )  # fmt: skip
    total = 1 + len(wanted)
    _progress(args, 1, total, "building the scenario (places, ranges, frontline)")
    from geo.scenario import build_scenario

    scenario = build_scenario(spec)
    for note in scenario.notes:
        _note(args, note)
    writer = _Writer(scenario, args)
    for index, fmt in enumerate(wanted, start=2):
        path = outputs[f"--{fmt}"]
        _progress(args, index, total, f"writing {KINDS[fmt]} {path}")
        summary = writer.write(fmt, path, force=args.force)
        print(f"wrote {path}: {summary}")
    return 0


def load_source(args: argparse.Namespace) -> ScenarioSpec:
    """Return the scenario named by ``args.file`` (article) or ``args.scenario`` (TOML).

    Raises
    ------
    InputError
        If the file cannot be read or is not UTF-8 text, or the scenario is invalid.
    """
    if args.scenario is not None:
        from geo.scenario import default_spec, load_spec

        return default_spec() if args.scenario == "default" else load_spec(args.scenario)
    text = read_article_file(args.file)  # before the heavy imports: bad files fail at once
    name = "stdin" if args.file == "-" else Path(args.file).name
    from geo.scenario import spec_from_article

    return spec_from_article(text, name=name)


# --- helpers ----------------------------------------------------------------------------------


class _Writer:
    """Render a scenario once per kind (static figure, web map) and write files from it."""

    def __init__(self, scenario: Scenario, args: argparse.Namespace) -> None:
        self.scenario = scenario
        self.dpi: int = args.dpi
        self.online_html: bool = args.online_html
        self._figure: Any = None

    def write(self, fmt: str, path: Path, *, force: bool = False) -> str:
        """Write ``fmt`` to ``path`` (atomically, never clobbering) and describe the file."""
        try:
            with atomic_path(path, force=force) as tmp:
                detail = self._write(fmt, tmp)
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
        return f"{detail}, {_size(path)}"

    def _write(self, fmt: str, path: Path) -> str:
        if fmt in ("png", "svg", "pdf"):
            self._write_static(fmt, path)
            return self._static_detail(fmt)
        if fmt == "html":
            return self._write_html(path)
        return self._write_data(fmt, path)

    def _figure_once(self) -> Any:
        if self._figure is None:
            from layers import static_map

            self._figure = static_map.render_scenario(self.scenario, dpi=self.dpi)
        return self._figure

    def _write_static(self, fmt: str, path: Path) -> None:
        from layers import static_map

        static_map.save(self._figure_once(), path, format=fmt)  # type: ignore[arg-type]

    def _static_detail(self, fmt: str) -> str:
        fig = self._figure_once()
        if fmt != "png":
            width, height = fig.get_size_inches()
            return f"{fmt.upper()} {width:g}×{height:g} in"
        width, height = fig.canvas.get_width_height()
        return f"PNG {width}×{height} px at {self.dpi} dpi"

    def _write_html(self, path: Path) -> str:
        from layers import assets, web_map

        offline = not self.online_html
        m = web_map.build_map(self.scenario.layers(), offline=offline)
        page = assets.render_html(
            m,
            offline=offline,
            title=self.scenario.spec.title,
            date=self._date(),
            sources=self.scenario.attribution,
        )
        path.write_text(page, encoding="utf-8")
        return "HTML, " + ("self-contained" if offline else "assets linked from CDNs")

    def _date(self) -> str:
        spec = self.scenario.spec
        return f"frontline of {spec.date}" if spec.frontline else f"as of {spec.date}"

    def _write_data(self, fmt: str, path: Path) -> str:
        from geo import export

        layers = self.scenario.data_layers()
        count = sum(len(gdf) for gdf in layers.values())
        if fmt == "geojson":
            collection = export.feature_collection(layers)
            path.write_text(json.dumps(collection, ensure_ascii=False) + "\n", encoding="utf-8")
        elif fmt == "kml":
            path.write_text(self._kml(layers), encoding="utf-8")
        else:
            export.to_gpkg(layers, path)
        return f"{KINDS[fmt]}, {len(layers)} layers, {count} features"

    def _kml(self, layers: dict[str, gpd.GeoDataFrame]) -> str:
        """Return the KML, styled and named like the map (``layers.style``)."""
        from geo import export
        from layers import style

        return export.to_kml(
            layers,
            name=self.scenario.spec.title,
            styles=style.kml_styles(),
            folders=style.EXPORT_NAMES,
            hidden=style.EXPORT_HIDDEN,
            description=f"{self._date().capitalize()}. Sources: {self.scenario.attribution}",
        )


def _inputs(args: argparse.Namespace, spec: ScenarioSpec) -> list[str | Path | None]:
    """Every file the map is made from: none of them may be overwritten."""
    scenario = args.scenario if args.scenario not in (None, "default") else None
    launch_files = [a[len("file:") :] for a in spec.launch_areas if a.startswith("file:")]
    article = getattr(spec, "article_path", None)
    return [args.file, scenario, article, spec.frontline_file, *launch_files]


def _progress(args: argparse.Namespace, step: int, total: int, message: str) -> None:
    if not args.quiet:
        print(f"[{step}/{total}] {message}…", file=sys.stderr, flush=True)


def _note(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(f"      note: {message}", file=sys.stderr, flush=True)


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024:,.0f} KB" if size < 1024**2 else f"{size / 1024**2:,.1f} MB"
