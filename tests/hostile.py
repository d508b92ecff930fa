"""Hostile inputs, generated: template and XSS payloads, files and arguments an attacker would try.

Shared by the hostile-input tests (``tests/test_hostile_*.py``) and ``bench/robustness.py``.
Nothing here is copied from a list: every payload and file is built by the functions below,
so adding a field or a file type to rangemap means adding one generator, not a fixture.

- :func:`template_payloads` — Jinja2 (and other engines') expressions, each with the text it
  would turn into if evaluated (a product of two unusual numbers, so it never occurs by
  chance);
- :func:`xss_payloads` — HTML/JS/Markdown payloads that set ``window.__xss`` or open a dialog
  if they ever run in a browser;
- ``*_files(folder)`` — hostile files of each kind, written into ``folder``;
- :func:`cli_argvs` — ``rangemap`` command lines with hostile arguments;
- :func:`url_params` — dashboard URL parameters.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Payload:
    """A string an attacker types, and what it turns into if some engine evaluates it."""

    text: str
    evaluated: str | None = None  # None: the payload proves nothing by its output text


def template_payloads() -> list[Payload]:
    """Return at least 20 template-injection payloads (Jinja2 first, other engines after)."""
    out: list[Payload] = []
    pairs = [(7919, 7907), (6133, 6143), (4409, 4421), (3989, 4001), (2213, 2221)]
    for a, b in pairs:
        product = str(a * b)
        out += [
            Payload(f"{{{{{a}*{b}}}}}", product),
            Payload(f"{{{{ {a} * {b} }}}}", product),
            Payload(f"{{% print({a}*{b}) %}}", product),
            Payload(f"{{%- set x = {a}*{b} %}}{{{{x}}}}", product),
        ]
    out += [
        Payload(
            "{{ lipsum.__globals__.os.popen('echo PWNED-$((7000+211))').read() }}", "PWNED-7211"
        ),
        Payload(
            "{{ cycler.__init__.__globals__.os.popen('echo PWNED-$((7000+212))').read() }}",
            "PWNED-7212",
        ),
        Payload("{{ ''.__class__.__mro__[1].__subclasses__() }}", "<class 'type'>"),
        Payload("{{ config }}", "<Config"),
        Payload("{{ self }}", "<TemplateReference"),
        Payload("{# hidden comment 7213 #}visible", None),
        Payload("{% raw %}raw 7214{% endraw %}", None),
        Payload("{{", None),
        Payload("}}{%", None),
        Payload("{% endfor %}", None),
        Payload("{% include '/etc/passwd' %}", "root:"),
        Payload("${7219*7229}", str(7219 * 7229)),
        Payload("#{7237*7243}", str(7237 * 7243)),
        Payload("<%= 7247*7253 %>", str(7247 * 7253)),
        Payload("{{7*'7'}}", "7777777"),
    ]
    return out


def xss_payloads() -> list[Payload]:
    """Return at least 20 HTML/JS/Markdown payloads that set ``window.__xss`` if they run."""
    js = "window.__xss=(window.__xss||0)+1"
    core = [
        f'<img src=x onerror="{js}">',
        f"<script>{js}</script>",
        f'<svg onload="{js}">',
        f"<svg><script>{js}</script></svg>",
        f'"><img src=x onerror="{js}">',
        f"'><script>{js}</script>",
        f"</textarea><script>{js}</script>",
        f"</script><script>{js}</script>",
        f'<iframe srcdoc="<script>parent.{js}</script>"></iframe>',
        f'<details open ontoggle="{js}">',
        f'<body onload="{js}">',
        f'<a href="javascript:{js}">click</a>',
        f'<input autofocus onfocus="{js}">',
        f'<math><mtext><img src=x onerror="{js}"></mtext></math>',
        f'<video><source onerror="{js}"></video>',
        f"javascript:{js}",
        f"\\u003cimg src=x onerror={js}\\u003e",
        f"&lt;img src=x onerror={js}&gt;",
        f'<div style="background:url(javascript:{js})">',
        f"`${{{js}}}`",
        "![pixel](http://127.0.0.1:9/pixel.png)",
        f"[click me](javascript:{js})",
        f"<scr<script>ipt>{js}</scr</script>ipt>",
        f'" onmouseover="{js}" x="',
    ]
    return [Payload(text) for text in core]


def all_payloads() -> list[Payload]:
    """Return every template and XSS payload (at least 30)."""
    return template_payloads() + xss_payloads()


def article_texts() -> list[str]:
    """Return hostile article texts: payloads next to real places, odd characters, floods."""
    texts = [
        f"Missiles hit Kharkiv {p.text} and Kursk. ATACMS reach 300 km." for p in all_payloads()
    ]
    texts += [
        "K\u200bharkiv and Ku\u0301rsk were shelled.",
        "\u202eviksrahK\u202c was shelled.",
        "Kharkiv " * 20_000,
        " ".join(f"Town{i}" for i in range(4000)),
        "\x00binary\x00",
        "",
        "   \n\t",
        "Kharkiv" + "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        "a" * 1_000_001,
        "Kharkiv, " + "(" * 5000 + ")" * 5000,
    ]
    return texts


# --- files ------------------------------------------------------------------------------------


def _polygon(x: float = 36.0, y: float = 50.0, size: float = 0.5) -> dict[str, object]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _fc(*features: object) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _feature(geometry: object, **props: object) -> dict[str, object]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _vrt(source: str) -> str:
    return (
        '<OGRVRTDataSource><OGRVRTLayer name="x">'
        f"<SrcDataSource>{source}</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"
    )


def geometry_documents(*, large: bool = True) -> Iterator[tuple[str, bytes]]:
    """Yield (file name, bytes) of hostile GeoJSON-ish documents (launch polygons, frontlines).

    ``large=False`` leaves out the two slow-to-build files (20,000 features, 600,000 vertices).
    """
    p = _polygon()
    yield "ok.geojson", _fc(_feature(p, name="Kharkiv {{7*7}}")).encode()
    yield "vrt-curl.json", _vrt("/vsicurl/http://127.0.0.1:9/x.csv").encode()
    yield "vrt-passwd.json", _vrt("CSV:/etc/passwd").encode()
    yield "vrt-bom.json", b"\xef\xbb\xbf  " + _vrt("/etc/passwd").encode()
    yield "not-json.geojson", b"this is not json"
    yield "list.geojson", b"[1, 2, 3]"
    yield "nondict-feature.geojson", _fc(1, "x", None).encode()
    yield (
        "nondict-props.geojson",
        _fc({"type": "Feature", "properties": [1], "geometry": p}).encode(),
    )
    yield "infinity.geojson", b'{"type":"Point","coordinates":[Infinity, 1]}'
    yield "nan.geojson", b'{"type":"Polygon","coordinates":[[[NaN,1],[2,2],[3,1],[NaN,1]]]}'
    yield "bigint.geojson", ('{"type":"Point","coordinates":[1' + "0" * 5000 + ", 1]}").encode()
    yield "1e308.geojson", _fc(_feature(_polygon(1e308, 1e308))).encode()
    yield "lon1000.geojson", _fc(_feature(_polygon(1000, 10))).encode()
    yield "lat95.geojson", _fc(_feature(_polygon(10, 95))).encode()
    yield "deep.geojson", ("[" * 100_000 + "]" * 100_000).encode()
    yield "bools.geojson", b'{"type":"Point","coordinates":[true, false]}'
    yield "strings.geojson", b'{"type":"Point","coordinates":["36", "50"]}'
    yield (
        "onepoint-ring.geojson",
        _fc(_feature({"type": "Polygon", "coordinates": [[[1, 1]]]})).encode(),
    )
    yield (
        "zero-area.geojson",
        _fc(
            _feature({"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [3, 3], [1, 1]]]})
        ).encode(),
    )
    yield (
        "antimeridian.geojson",
        _fc(
            _feature(
                {
                    "type": "Polygon",
                    "coordinates": [[[179, 0], [-179, 0], [-179, 2], [179, 2], [179, 0]]],
                }
            )
        ).encode(),
    )
    yield "whole-world.geojson", _fc(_feature(_polygon(-180, -90, 180))).encode()
    if large:
        yield from _large_documents()
    yield (
        "crs-url.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "link", "properties": {"href": "http://127.0.0.1:9/crs"}},
                "features": [_feature(p)],
            }
        ).encode(),
    )
    yield "gpkg-fake.gpkg", b"SQLite format 3\x00" + b"\x00" * 100
    yield "gpkg-text.gpkg", b"not a geopackage at all"
    yield "binary.geojson", bytes(range(256)) * 10
    yield "utf16.geojson", _fc(_feature(p)).encode("utf-16")


def _large_documents() -> Iterator[tuple[str, bytes]]:
    many = [
        _feature(_polygon(30 + (i % 100) * 0.01, 45 + (i // 100) * 0.01, 0.005))
        for i in range(20_000)
    ]
    yield "many-features.geojson", _fc(*many).encode()
    ring = [[36 + 0.5 * (i / 600_000), 50.0 + 0.0001 * (i % 2)] for i in range(600_000)]
    ring += [[36.5, 51], [36, 51], ring[0]]
    yield (
        "many-vertices.geojson",
        _fc(_feature({"type": "Polygon", "coordinates": [ring]})).encode(),
    )


def geometry_files(folder: Path) -> list[Path]:
    """Write :func:`geometry_documents` into ``folder`` (plus symlinks to devices) and list them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in geometry_documents():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    for name, target in (("dev-zero.geojson", "/dev/zero"), ("folder.geojson", "/tmp")):
        link = folder / name
        if not link.exists():
            link.symlink_to(target)
        paths.append(link)
    big = folder / "huge.geojson"
    with big.open("wb") as handle:
        handle.truncate(30_000_000)  # sparse: 30 MB of NUL bytes, over every limit
    paths.append(big)
    return paths


def kml_documents() -> Iterator[tuple[str, bytes]]:
    """Yield (file name, bytes) of hostile KML and KMZ files."""
    head = '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
    tail = "</Document></kml>"
    square = "36,50 36.5,50 36.5,50.5 36,50.5 36,50"
    placemark = (
        "<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{square}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
    )
    yield "ok.kml", (head + placemark.format(name="occupied {{7*7}}") + tail).encode()
    yield (
        "xxe.kml",
        (
            b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>&x;</name></Document></kml>'
        ),
    )
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    yield (
        "laughs.kml",
        (
            f'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY l0 "lol">{laughs}]>'
            '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>&l9;</name></Document></kml>'
        ).encode(),
    )
    yield "nested.kml", (head + "<Folder>" * 3000 + "</Folder>" * 3000 + tail).encode()
    yield (
        "onepoint-line.kml",
        (
            head + "<Placemark><name>line of contact</name><LineString><coordinates>36,50"
            "</coordinates></LineString></Placemark>" + tail
        ).encode(),
    )
    yield "bad-coords.kml", (head + placemark.replace(square, "abc,def 1e999,5") + tail).encode()
    yield "not-xml.kml", b"<kml><unclosed"
    yield "zipbomb.kmz", _zip({"doc.kml": b"<" + b" " * 200_000_000})
    yield "traversal.kmz", _zip({"../../etc/evil.kml": head.encode() + tail.encode()})
    yield "empty.kmz", _zip({})


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def kml_files(folder: Path) -> list[Path]:
    """Write :func:`kml_documents` into ``folder`` and list them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in kml_documents():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def scenario_documents(folder: Path) -> Iterator[tuple[str, str]]:
    """Yield (file name, TOML text) of hostile scenario files (paths point into ``folder``)."""
    weapon = '[[weapons]]\nname = "ATACMS"\n'
    yield "unknown-key.toml", 'colour = "red"\n'
    yield "ranges-string.toml", weapon + 'ranges_km = "9"\n'
    yield "ranges-bool.toml", weapon + "ranges_km = [true]\n"
    yield "ranges-tiny.toml", weapon + "ranges_km = [1e-300]\n"
    yield "ranges-inf.toml", weapon + "ranges_km = [inf]\n"
    yield "ranges-nan.toml", weapon + "ranges_km = [nan]\n"
    yield "ranges-huge.toml", weapon + "ranges_km = [40000]\n"
    yield "standoff-string.toml", 'standoff_km = "5"\n'
    yield "standoff-list.toml", "standoff_km = [5]\n"
    yield "deep.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n"
    yield "deep-tables.toml", "title = " + "{a = " * 40 + "1" + "}" * 40 + "\n"
    yield "article-dir.toml", f'article = "{folder}"\n'
    yield "article-devzero.toml", 'article = "/dev/zero"\n'
    yield "frontline-devzero.toml", 'frontline_file = "/dev/zero"\n'
    yield "frontline-dir.toml", 'frontline_file = "/tmp"\n'
    yield "many-weapons.toml", (weapon + "ranges_km = [100]\n") * 300
    yield "many-ranges.toml", weapon + "ranges_km = [" + ", ".join(["100"] * 2000) + "]\n"
    yield "many-places.toml", "places = [" + ", ".join(['"Kyiv"'] * 5000) + "]\n"
    yield "title-template.toml", "title = \"{{ lipsum.__globals__.os.popen('id').read() }}\"\n"
    yield "not-toml.toml", "title = [unclosed\n"
    yield "binary.toml", "\x00\x01\x02"
    yield "launch-vsi.toml", 'launch_areas = ["file:/vsicurl/http://127.0.0.1:9/x.json"]\n'
    yield "launch-relative.toml", 'launch_areas = ["file:missing-polygon.geojson"]\n'
    yield "date-bad.toml", 'date = "yesterday"\n'
    yield "weapons-not-table.toml", 'weapons = "ATACMS"\n'


def scenario_files(folder: Path) -> list[Path]:
    """Write :func:`scenario_documents` into ``folder`` and list them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in scenario_documents(folder):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def article_files(folder: Path) -> list[Path]:
    """Write hostile article files into ``folder`` (and point at devices) and list them."""
    folder.mkdir(parents=True, exist_ok=True)
    items = {
        "payloads.txt": "\n".join(p.text for p in all_payloads()).encode() + b"\nKharkiv.",
        "latin1.txt": "Kharkiv caf\xe9".encode("latin-1"),
        "binary.txt": bytes(range(256)),
        "empty.txt": b"",
        "bom.txt": b"\xef\xbb\xbfKharkiv was shelled.",
        "huge.txt": b"Kharkiv " * 200_000,
    }
    paths = []
    for name, data in items.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return [*paths, Path("/dev/zero"), Path("/dev/urandom"), Path("/tmp"), folder / "missing.txt"]


def cli_argvs(folder: Path) -> list[list[str]]:
    """Return ``rangemap`` command lines with hostile arguments (files written into ``folder``)."""
    article = folder / "cli-article.txt"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text("Kharkiv and Belgorod were struck by ATACMS.", encoding="utf-8")
    out = folder / "cli-out"
    reach = ["reach", "--range-km", "100", "--from"]
    argvs = [
        [*reach, "-33.9,18.4"],
        [*reach, "50°27′N 30°31′E"],
        [*reach, "50.4, 30.5"],
        [*reach, "95,200"],
        [*reach, "nan,nan"],
        [*reach, "inf,0"],
        [*reach, "{{7*7}}"],
        [*reach, "<script>alert(1)</script>"],
        [*reach, ""],
        [*reach, "x" * 10_000],
        [*reach, "file:/etc/passwd"],
        [*reach, "ukraine-held@9999-99-99"],
        [*reach, "ukraine-held@{{7*7}}"],
        [*reach, "narnia-salient@2024-11-19"],
        [*reach, "region:"],
        ["reach", "--from", "0,-30", "--range-km", "10", "--format", "geojson"],
        ["reach", "--from", "0,-30", "--range-km", "1e-300"],
        ["reach", "--from", "0,-30", "--range-km", "nan"],
        ["reach", "--from", "0,-30", "--range-km", "inf"],
        ["reach", "--from", "0,-30", "--range-km", "-5"],
        ["reach", "--from", "0,-30", "--range-km", "25000"],
        ["reach", "--from", "0,-30", "--range-km", "100", "--min-km", "nan"],
        ["reach", "--from", "0,-30", "--range-km", "100", "--standoff-km", "1e308"],
        [
            "reach",
            "--from",
            "ukraine-held@2024-11-19",
            "--range-km",
            "100",
            "--standoff-km",
            "5000",
        ],
        ["reach", "--from", "0,-30", "--weapon", "{{7*7}}"],
        ["reach", "--from", "0,-30", "--range-km", "100", "--clip", "<b>x</b>"],
        ["reach", "--from", "0,-30", "--range-km", "100", "--places-min-population", "-1"],
        ["reach", "--from", "0,-30", "--range-km", "100", "--output", str(article)],
        ["reach", "--from", "0,-30", "--range-km", "100", "--output", "/dev/null"],
        ["reach", "--from", "0,-30", "--range-km", "100", "--output", "/no/such/dir/x"],
        ["weapons", "/dev/zero"],
        ["weapons", "/tmp"],
        ["weapons", str(folder / "missing.txt")],
        ["places", "/dev/zero"],
        ["places", "/tmp", "--format", "geojson"],
        ["places", "/dev/zero", str(article), "--format", "jsonl"],
        ["frontline", "--date", "{{7*7}}"],
        ["frontline", "--date", "1900-01-01"],
        ["frontline", "--file", "/dev/zero"],
        ["frontline", "--file", "/tmp"],
        ["frontline", "--file", "/vsicurl/http://127.0.0.1:9/x.geojson"],
        ["frontline", "--file", str(article), "--output", str(article), "--force"],
        ["frontline", "history", "--format", "png", "--output", "/dev/null"],
        ["sites", "--type", "{{7*7}}"],
        ["scenario", "/dev/zero"],
        ["scenario", str(article), "--date", "{{7*7}}"],
        ["scenario", str(article), "--date", "99999-01-01"],
        ["app", "--port", "99999"],
        ["inrange", "/dev/zero", "--scenario", "default", "--out", str(out) + ".parquet"],
        ["inrange", str(article), "--scenario", "default", "--out", str(article)],
        ["inrange", str(article), "--scenario", "/dev/zero", "--out", str(out) + ".parquet"],
        ["map", "/dev/zero", "--geojson", str(out) + ".geojson"],
        ["map", "/tmp", "--geojson", str(out) + ".geojson"],
        ["map", str(article), "--geojson", str(article)],
        ["map", str(article), "--geojson", str(out) + ".x", "--kml", str(out) + ".x"],
        ["map", str(article), "--html", "/dev/null"],
        ["map", str(article), "--png", str(out) + ".png", "--dpi", "100000"],
        ["map", str(article), "--png", str(out) + ".png", "--dpi", "-1"],
        ["map", "--scenario", "/dev/zero", "--geojson", str(out) + ".geojson"],
        ["map", "--scenario", str(article), "--geojson", str(out) + ".geojson"],
        ["map", "--scenario", "default", "--geojson", str(folder)],
        ["nosuchcommand"],
        ["map"],
        ["--from", "-33.9,18.4"],
    ]
    return argvs


def url_params() -> list[dict[str, str]]:
    """Return dashboard URL query parameters an attacker would send."""
    pixel = "![x](http://127.0.0.1:9/p.png)"
    many = ",".join(str(100 * i) for i in range(1, 13))
    script = "<script>window.__xss=1</script>"
    values = ["inf", "-inf", "nan", "1e9", "1e-7", "-5", "0", "20000", "9" * 400, "", many,
              pixel, "{{7*7}}", script, "[a](javascript:alert(1))"]  # fmt: skip
    params = [{"atacms": v} for v in values]
    params += [{"date": v} for v in ("{{7*7}}", "1900-01-01", pixel)]
    params += [{"launch": "<img src=x onerror=alert(1)>"}, {"nosuch": "{{7*7}}"}]
    return params
