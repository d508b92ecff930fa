"""Throw generated hostile inputs at every input path; count messages, tracebacks and hangs.

Per input path (article text, article files, frontline files, launch polygons, scenario
files, CLI arguments, app URL parameters, app text boxes) it prints how many inputs were
tried, rejected with a message, accepted, ended in a traceback (target 0) or ran over
:data:`HANG_S` seconds (target 0). Then: template payloads evaluated in the rendered map
(target 0), XSS payloads executed in Chromium (target 0) and files overwritten without
``--force`` (target 0).

Every input runs in a forked child with a watchdog, so a hang is counted, not suffered. The
inputs come from ``tests/hostile.py`` (generated, shared with the tests).

    .venv/bin/python bench/robustness.py            # everything (~3-5 min)
    .venv/bin/python bench/robustness.py --no-app --no-browser
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import multiprocessing as mp
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import hostile  # noqa: E402

from geo._errors import RangemapError  # noqa: E402

#: An input that runs longer than this is a hang.
HANG_S = 30.0
#: The dashboard's time budget per step (article, scenario) during the bench, so that one app
#: run (both steps and the page) fits in :data:`HANG_S`; the app stops longer work itself.
APP_BUDGET_S = 12.0
APP = str(ROOT / "app.py")


@dataclass
class Tally:
    """What happened to the inputs of one path."""

    path: str
    tried: int = 0
    rejected: int = 0
    accepted: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    slowest: float = 0.0
    seconds: float = 0.0

    def add(self, label: str, outcome: tuple[str, str, float]) -> None:
        """Count one outcome (kind, detail, seconds)."""
        kind, detail, seconds = outcome
        self.tried += 1
        self.slowest = max(self.slowest, seconds)
        self.seconds += seconds
        if kind == "accepted":
            self.accepted += 1
        elif kind == "rejected":
            self.rejected += 1
        elif kind == "hang":
            self.hangs.append(label)
        else:
            self.tracebacks.append(f"{label}: {detail.strip().splitlines()[-1][:160]}")


def main(argv: list[str] | None = None) -> int:
    """Run every path, print the table and return 1 if any traceback or hang was seen."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-app", action="store_true", help="skip the AppTest paths")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="rangemap-robustness-"))
    os.environ["RANGEMAP_APP_BUDGET_S"] = str(APP_BUDGET_S)
    _warm(app=not args.no_app)
    tallies = [
        _article_texts(),
        _article_files(folder / "articles"),
        _frontline_files(folder / "frontline"),
        _launch_polygons(folder / "polygons"),
        _scenario_files(folder / "scenarios"),
    ]
    cli, overwritten = _cli(folder / "cli")
    tallies.append(cli)
    if not args.no_app:
        tallies += [_app_urls(), _app_text_boxes()]
    evaluated, payloads, html = _templates(folder / "render")
    xss = None if args.no_browser else _chromium(html, folder / "render")
    _print(tallies, evaluated, payloads, xss, overwritten, time.perf_counter() - start)
    bad = any(t.tracebacks or t.hangs for t in tallies) or evaluated or xss or overwritten
    return 1 if bad else 0


# --- running one input ------------------------------------------------------------------------


def isolated(func: Callable[[], Any], *, timeout: float = HANG_S) -> tuple[str, str, float]:
    """Run ``func`` in a forked child; return (kind, detail, seconds).

    ``kind`` is ``accepted``, ``rejected`` (a :class:`RangemapError` or a usage error with a
    message), ``traceback`` (any other exception) or ``hang`` (over ``timeout`` s, killed).
    """
    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(func, sender), daemon=True)
    start = time.perf_counter()
    child.start()
    sender.close()
    ready = receiver.poll(timeout)
    seconds = time.perf_counter() - start
    if not ready:
        child.kill()
        child.join()
        return "hang", f"over {timeout:g} s", seconds
    try:
        kind, detail = receiver.recv()
    except EOFError:
        kind, detail = "traceback", f"child died (exit code {child.exitcode})"
    child.join(5)
    return kind, detail, seconds


def isolated_batch(
    funcs: list[Callable[[], Any]], *, timeout: float = HANG_S
) -> list[tuple[str, str, float]]:
    """Run ``funcs`` one after the other in forked children sharing their caches.

    Each input still has its own watchdog: when one runs over ``timeout`` s (or kills its
    child), it is counted and a new child carries on with the next input.
    """
    outcomes: list[tuple[str, str, float]] = []
    ctx = mp.get_context("fork")
    while len(outcomes) < len(funcs):
        rest = funcs[len(outcomes) :]
        receiver, sender = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_batch_child, args=(rest, sender), daemon=True)
        child.start()
        sender.close()
        for _ in rest:
            start = time.perf_counter()
            if not receiver.poll(timeout):
                child.kill()
                outcomes.append(("hang", f"over {timeout:g} s", time.perf_counter() - start))
                break
            try:
                kind, detail, seconds = receiver.recv()
            except EOFError:
                outcomes.append(("traceback", f"child died ({child.exitcode})", 0.0))
                break
            outcomes.append((kind, detail, seconds))
        child.join(5)
    return outcomes


def _outcome(func: Callable[[], Any]) -> tuple[str, str]:
    try:
        return ("rejected", "") if func() == "rejected" else ("accepted", "")
    except RangemapError as exc:
        return ("rejected", str(exc))
    except BaseException:  # every escape is counted: that is the point
        return ("traceback", traceback.format_exc())


def _child(func: Callable[[], Any], sender: Any) -> None:
    sender.send(_outcome(func))
    sender.close()


def _batch_child(funcs: list[Callable[[], Any]], sender: Any) -> None:
    for func in funcs:
        start = time.perf_counter()
        kind, detail = _outcome(func)
        sender.send((kind, detail, time.perf_counter() - start))
    sender.close()


def _warm(*, app: bool) -> None:
    """Load the data every path needs once, so each forked child starts warm."""
    from geo.places import gazetteer
    from geo.scenario import build_scenario, default_spec

    gazetteer.cities()
    build_scenario(default_spec())
    if app:  # one run fills the app's caches; every forked run then starts warm
        _app_run(timeout=600.0)


# --- the paths --------------------------------------------------------------------------------


def _article_texts() -> Tally:
    from geo.article_input import check_article_text
    from geo.scenario import spec_from_article

    tally = Tally("article text (pasted/stdin)")
    texts = hostile.article_texts()
    payloads = len(hostile.all_payloads())  # every payload is in the rendered map below
    for text in texts[:payloads:3] + texts[payloads:]:
        tally.add(text[:30], isolated(lambda t=text: spec_from_article(check_article_text(t))))
    return tally


def _article_files(folder: Path) -> Tally:
    from geo.article_input import read_article_file
    from geo.scenario import spec_from_article

    tally = Tally("article files")
    for path in hostile.article_files(folder):
        tally.add(str(path), isolated(lambda p=path: spec_from_article(read_article_file(p))))
    return tally


def _frontline_files(folder: Path) -> Tally:
    import warnings

    from geo import frontline

    def load(path: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frontline.load_file(path)

    tally = Tally("frontline files (GeoJSON/KML/KMZ)")
    for path in hostile.geometry_files(folder) + hostile.kml_files(folder):
        tally.add(path.name, isolated(lambda p=path: load(p)))
    return tally


def _launch_polygons(folder: Path) -> Tally:
    from geo.launch import launch_area_from_file

    tally = Tally("launch polygons")
    for path in hostile.geometry_files(folder):
        tally.add(path.name, isolated(lambda p=path: launch_area_from_file(p)))
    return tally


def _scenario_files(folder: Path) -> Tally:
    from geo.scenario import load_spec

    tally = Tally("scenario files")
    for path in hostile.scenario_files(folder):
        tally.add(path.name, isolated(lambda p=path: load_spec(p)))
    return tally


def _cli(folder: Path) -> tuple[Tally, int]:
    """Run hostile command lines; count them and the existing files they changed."""
    from geo import cli

    def run(argv: list[str]) -> str | int:
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli.main(argv)
        except SystemExit as exc:  # argparse usage errors: a message and exit 2
            code = exc.code if isinstance(exc.code, int) else 2
        return 0 if code == 0 else "rejected"

    tally = Tally("CLI arguments")
    argvs = hostile.cli_argvs(folder)
    guarded = _existing_outputs(folder)
    argvs += [[*argv[:-1], str(path)] for path in guarded for argv in _writers(folder)]
    before = {p: _digest(p) for p in [*guarded, folder / "cli-article.txt"]}
    for argv in argvs:
        tally.add(" ".join(argv)[:80], isolated(lambda a=argv: run(a)))
    overwritten = sum(_digest(p) != digest for p, digest in before.items())
    return tally, overwritten


def _existing_outputs(folder: Path) -> list[Path]:
    paths = [folder / f"existing.{ext}" for ext in ("geojson", "html", "kml", "png")]
    for path in paths:
        path.write_bytes(b"precious " + path.suffix.encode())
    link = folder / "link.geojson"
    if not link.is_symlink():
        link.symlink_to(folder / "cli-article.txt")
    return [*paths, link]


def _writers(folder: Path) -> list[list[str]]:
    article = str(folder / "cli-article.txt")
    return [
        ["map", article, "--dpi", "40", "--geojson", "PATH"],
        ["reach", "--from", "50,36", "--range-km", "100", "--output", "PATH"],
    ]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _app_urls() -> Tally:
    tally = Tally("app URL parameters")
    params = hostile.url_params()[::2]  # half of them: each app run takes seconds
    runs = [lambda p=p: _app_run(query=p) for p in params]
    for query, outcome in zip(params, isolated_batch(runs), strict=True):
        tally.add("&".join(f"{k}={v[:20]}" for k, v in query.items()), outcome)
    return tally


def _app_text_boxes() -> Tally:
    """Every payload at once in the article box; samples of them in the one-line boxes."""
    tally = Tally("app text boxes")
    payloads = [p.text for p in hostile.all_payloads()]
    boxes = [("article_text", "Kharkiv was hit. " + " ".join(payloads)),
             ("article_text", "K\u200bharkiv and Ku\u0301rsk were shelled by ATACMS."),
             ("article_text", "\x00" + "Kharkiv " * 200_000)]  # fmt: skip
    boxes += [(key, text) for key in ("add_place", "launch_place") for text in payloads[::20]]
    boxes += [("launch_place", "-33.9,18.4"), ("launch_place", "50°27′N 30°31′E")]
    runs = [lambda b=b: _app_run(box=b) for b in boxes]
    for (key, text), outcome in zip(boxes, isolated_batch(runs), strict=True):
        tally.add(f"{key}={text[:20]}", outcome)
    return tally


def _app_run(
    *,
    query: dict[str, str] | None = None,
    box: tuple[str, str] | None = None,
    timeout: float = HANG_S,
) -> str:
    """Run the app once; an exception shown by Streamlit is a traceback, an st.error a message."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if box is not None:
        widget = at.text_area(key=box[0]) if box[0] == "article_text" else at.text_input(key=box[0])
        widget.input(box[1]).run()
    if at.exception:
        raise RuntimeError(f"app exception: {at.exception[0].message}")
    crashed = [e.value for e in at.error if "Something went wrong" in str(e.value)]
    if crashed:  # the app's last-resort handler: a traceback in disguise
        raise RuntimeError(crashed[0])
    return "rejected" if at.error or at.warning else 0


# --- rendering: template evaluation and XSS in a browser --------------------------------------


def _templates(folder: Path) -> tuple[int, int, str]:
    """Render one map whose every text field holds every payload; count evaluated templates."""
    from dataclasses import replace

    from geo.scenario import ScenarioSpec, WeaponChoice, build_scenario, default_spec
    from layers import assets, web_map

    folder.mkdir(parents=True, exist_ok=True)
    payloads = hostile.all_payloads()
    # Each place's popup quotes the first sentence naming it: three payloads per place.
    groups = [payloads[i : i + 3] for i in range(0, len(payloads), 3)]
    text = (
        "\n".join(
            f"{place} was hit: {' '.join(p.text for p in group)}."
            for place, group in zip(_PLACES, groups, strict=False)
        )
        + "\nATACMS reach 300 km."
    )
    polygon = folder / "{{7*7}} <img src=x onerror=alert(1)>.geojson"
    polygon.write_bytes(dict(hostile.geometry_documents())["ok.geojson"])
    base: ScenarioSpec = default_spec()
    spec = replace(
        base,
        title=" ".join(p.text for p in payloads[:12]),
        article_text=text,
        article_name="{{7*7}}.txt",
        places=(*base.places, *[p.text[:80] for p in payloads[:10]]),
        weapons=(
            *base.weapons,
            WeaponChoice("ATACMS", (120.0,), note=" ".join(p.text for p in payloads[12:30])),
        ),
        launch_areas=(*base.launch_areas, f"file:{polygon}"),
    )
    scenario = build_scenario(spec)
    html = assets.render_html(web_map.build_map(scenario.layers()), offline=True)
    baseline = assets.render_html(web_map.build_map(build_scenario(base).layers()), offline=True)
    evaluated = sum(
        1
        for p in hostile.template_payloads()
        if p.evaluated and p.evaluated in html and p.evaluated not in baseline
    )
    return evaluated, len(payloads), html


_PLACES = ("Kharkiv", "Kursk", "Belgorod", "Sumy", "Odesa", "Kyiv", "Bryansk", "Voronezh",
           "Moscow", "Lviv", "Dnipro", "Zaporizhzhia", "Poltava", "Chernihiv", "Mykolaiv",
           "Kherson", "Lipetsk", "Tula", "Kaluga", "Smolensk", "Oryol", "Taganrog")  # fmt: skip


def _chromium(html: str, folder: Path) -> int:
    """Load the map in headless Chromium, open every popup and tooltip; count executed XSS."""
    from playwright.sync_api import sync_playwright

    page_file = folder / "map.html"
    page_file.write_text(html, encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"]  # fmt: skip
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        page = browser.new_page()
        dialogs: list[str] = []
        outside: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:", "blob:"))
                else (outside.append(route.request.url), route.abort())
            ),
        )
        page.goto(page_file.as_uri())
        page.wait_for_timeout(1000)
        opened = int(page.evaluate(_OPEN_EVERYTHING))
        page.wait_for_timeout(1000)
        executed = int(page.evaluate("window.__xss || 0"))
        shown = page.evaluate(_SHOWN_AS_TEXT)
        browser.close()
    pixels = [u for u in outside if "127.0.0.1:9" in u]
    print(
        f"  Chromium: {opened} popups and tooltips opened; payload text shown literally "
        f"{shown} times; {len(outside)} outside requests blocked",
        file=sys.stderr,
    )
    return executed + len(dialogs) + len(pixels)


_OPEN_EVERYTHING = """() => {
  // Open every popup and tooltip, feature by feature (folium binds them on GeoJson groups),
  // and keep a copy of each one's HTML in the page so any markup in it gets its chance to run.
  const sink = document.createElement("div");
  document.body.appendChild(sink);
  let opened = 0;
  const keep = selector => {
    for (const el of document.querySelectorAll(selector)) {
      sink.insertAdjacentHTML("beforeend", el.innerHTML);
    }
  };
  for (const key of Object.keys(window)) {
    const group = window[key];
    if (!(group && window.L && group instanceof L.Layer)) continue;
    if (!(group._popup || group._tooltip)) continue;
    const children = group.eachLayer ? [] : [group];
    if (group.eachLayer) group.eachLayer(child => children.push(child));
    for (const child of children.slice(0, 400)) {
      const at = child.getLatLng ? child.getLatLng()
        : child.getBounds ? child.getBounds().getCenter() : null;
      if (!at) continue;
      try {
        if (group._popup) { group._openPopup({layer: child, latlng: at}); opened++;
                            keep(".leaflet-popup-content"); }
      } catch (e) {}
      try {
        if (group._tooltip) { group._openTooltip({layer: child, latlng: at}); opened++;
                              keep(".leaflet-tooltip"); }
      } catch (e) {}
    }
  }
  keep(".leaflet-control-layers");
  return opened;
}"""
_SHOWN_AS_TEXT = """() => (document.body.innerText.match(/onerror=|\\{\\{/g) || []).length"""


# --- report -----------------------------------------------------------------------------------


def _print(
    tallies: list[Tally],
    evaluated: int,
    payloads: int,
    xss: int | None,
    overwritten: int,
    seconds: float,
) -> None:
    head = f"{'input path':36} {'tried':>6} {'message':>8} {'accepted':>9} {'traceback':>10} "
    print(head + f"{'hang>30s':>9} {'slowest s':>10} {'total s':>8}")
    for t in tallies:
        print(
            f"{t.path:36} {t.tried:6d} {t.rejected:8d} {t.accepted:9d} {len(t.tracebacks):10d} "
            f"{len(t.hangs):9d} {t.slowest:10.1f} {t.seconds:8.0f}"
        )
    total = sum(t.tried for t in tallies)
    print(f"\ninputs tried: {total}; template/XSS payloads generated: {payloads}")
    print(f"template payloads evaluated in the rendered map: {evaluated}")
    print(f"XSS executed in Chromium: {'skipped' if xss is None else xss}")
    print(f"files overwritten without --force: {overwritten}")
    print(f"(app time budget per step: {APP_BUDGET_S:g} s; a hang is over {HANG_S:g} s)")
    for t in tallies:
        for line in t.tracebacks:
            print(f"  TRACEBACK [{t.path}] {line}")
        for line in t.hangs:
            print(f"  HANG [{t.path}] {line}")
    print(f"\n({seconds:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
