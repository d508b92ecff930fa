"""Speed of place extraction (issue 14): articles/s per core, cost per character, start-up.

Run ``python bench/places_speed.py [--before COMMIT]`` from the project root. In one run it
prints, for rangemap as it is (and, with ``--before``, for rangemap at an older commit,
exported with ``git archive`` to a temporary folder), each measured in a fresh process:

- articles/s per core (CPU time, best of 3 passes after a warm-up pass) on the LGL and
  TR-News news articles of ``../shared/corpora`` (read only): the records path
  (``place_records``, used by the CLI and corpus mode) and the GeoDataFrame path
  (``places_from_text``); geotext, the issue's baseline, on the same articles;
- cost per character (µs per 1,000 characters) of articles of 2.5k–3.5k characters and of
  one 200k-character article made of distinct news articles, and their ratio;
- CPU time of ``rangemap places small.txt`` (best of 5), the gazetteer index's load time in
  a fresh process and its size on disk;
- with ``--before``: after/before ratios, and whether the mentions found are identical
  (the old extractor's mentions against the new extractor run on the old tree's index).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
SMALL_TEXT = "Drones hit Kharkiv and the Kursk region overnight, officials in Kyiv said.\n"


def corpus_texts() -> list[str]:
    """Return the texts of the LGL and TR-News articles, in file order."""
    texts = []
    for name in ("lgl.xml", "TR-News.xml"):
        root = ET.parse(CORPORA / name).getroot()
        texts += [a.findtext("text") or "" for a in root.iter("article")]
    return [t for t in texts if t.strip()]


def cpu_best(fn: Any, items: list[str], *, repeat: int = 3) -> float:
    """Return the best CPU time of ``repeat`` passes of ``fn`` over ``items``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - start)
    return best


# ----------------------------------------------------------------------------- one tree


def measure(tree: Path, dump: Path | None, *, repeat: int = 3) -> dict[str, Any]:
    """Measure the tree whose ``geo`` package is first on ``sys.path`` (in this process)."""
    from geo.places import gazetteer, resolve

    records = getattr(resolve, "place_records", resolve.places_from_text)
    texts = corpus_texts()
    gazetteer.load_index()
    for text in texts:  # warm-up: every memo filled as in a long run
        records(text)
    out: dict[str, Any] = {"articles": len(texts), "chars": sum(map(len, texts))}
    out["records_s"] = cpu_best(records, texts, repeat=repeat)
    out["frame_s"] = cpu_best(resolve.places_from_text, texts, repeat=1)
    small = [t for t in texts if 2_500 <= len(t) <= 3_500]
    big = _big_article(texts, 200_000)
    out["big_chars"] = len(big)
    # Interleaved passes, best of each: both sizes see the same machine load.
    small_s, big_s = float("inf"), float("inf")
    for _ in range(repeat + 2):
        small_s = min(small_s, cpu_best(records, small, repeat=1))
        big_s = min(big_s, cpu_best(records, [big], repeat=1))
    out["small_us_per_kchar"] = small_s / sum(map(len, small)) * 1e9
    out["big_us_per_kchar"] = big_s / len(big) * 1e9
    if dump is not None:
        _dump_mentions([*texts, big], dump)
    return out


def _big_article(texts: list[str], size: int) -> str:
    parts: list[str] = []
    total = 0
    for text in texts:
        if total >= size:
            break
        parts.append(text)
        total += len(text) + 2
    return "\n\n".join(parts)


def _dump_mentions(texts: list[str], path: Path) -> None:
    """Write the index's content and every text's mentions (for the identity check)."""
    from geo.places import gazetteer
    from geo.places.extract import find_mentions

    ix = gazetteer.load_index()
    columns = {}
    for c in ("name", "kind", "country", "code", "admin1", "geonameid", "population"):
        columns[c] = list(getattr(ix, c))
    for c in ("lat", "lon", "capital"):
        columns[c] = getattr(ix, c).tolist()
    names = {}
    for key in ix.keys:
        names[key] = dict(ix.candidates(key))
    mentions = [[m.__dict__ for m in find_mentions(t, index=ix)] for t in texts]
    index = {"columns": columns, "names": names, "fuzzy": list(ix.fuzzy_names)}
    path.write_bytes(pickle.dumps((index, texts, mentions)))


def start_up(tree: Path) -> dict[str, float]:
    """Return CPU seconds of ``rangemap places small.txt`` (best of 5) and of the index load."""
    # As installed, Python keeps compiled bytecode (``__pycache__``); this sandbox sets
    # PYTHONDONTWRITEBYTECODE, which recompiles every module of ours at every start.
    env = {k: v for k, v in _env(tree).items() if k != "PYTHONDONTWRITEBYTECODE"}
    no_pyc = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text(SMALL_TEXT, encoding="utf-8")
        cli = [sys.executable, "-c", _CONSOLE_SCRIPT, "places", str(small)]
        alone = [sys.executable, "-c", _PLACES_ALONE, str(small)]
        for cmd in (cli, alone):  # builds the cache and the bytecode
            subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=tmp)
        best = min(_child_cpu(cli, env, tmp) for _ in range(7))
        best_no_pyc = min(_child_cpu(cli, no_pyc, tmp) for _ in range(5))
        best_alone = min(_child_cpu(alone, env, tmp) for _ in range(5))
    code = (
        "import time, numpy, resource\n"
        "from geo.places import gazetteer\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t = time.process_time(); gazetteer.load_index(); t = time.process_time() - t\n"
        "grow = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss\n"
        "print(t, grow / 1024)\n"
    )
    with tempfile.TemporaryDirectory() as tmp:  # not the project root: PYTHONPATH decides
        loads = [
            subprocess.run(
                [sys.executable, "-c", code],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                cwd=tmp,
            ).stdout.split()
            for _ in range(3)
        ]
    load, rss = min((float(a), float(b)) for a, b in loads)
    return {
        "cli_cpu": best,
        "cli_cpu_no_pyc": best_no_pyc,
        "alone_cpu": best_alone,
        "index_load_cpu": load,
        "index_rss_mb": rss,
        "cache_mb": _cache_mb(pickled=not (tree / "geo" / "places" / "_cache.py").exists()),
    }


#: What the ``rangemap`` console script runs.
_CONSOLE_SCRIPT = "import sys; from geo.cli import main; sys.exit(main())"

#: ``rangemap places FILE`` with only the places command registered (no other commands).
_PLACES_ALONE = (
    "import argparse, sys\n"
    "from geo.commands import places\n"
    "parser = argparse.ArgumentParser(); places.register(parser.add_subparsers())\n"
    "args = parser.parse_args(['places', sys.argv[1]]); sys.exit(args.func(args))\n"
)


def _child_cpu(cmd: list[str], env: dict[str, str], cwd: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _cache_mb(*, pickled: bool) -> float:
    """Return the size of the newest gazetteer cache entry (pickle file or folder) in MB."""
    folder = Path(os.environ.get("RANGEMAP_CACHE_DIR") or Path.home() / ".cache" / "rangemap")
    found = [p for p in folder.glob("gazetteer-*") if p.name.endswith(".pkl") == pickled]
    entries = sorted(found, key=lambda p: p.stat().st_mtime)
    if not entries:
        return float("nan")
    newest = entries[-1]
    files = [newest] if newest.is_file() else list(newest.iterdir())
    return sum(f.stat().st_size for f in files) / 1e6


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "RANGEMAP_DATA_DIR": str(tree / "data")}


def run_tree(tree: Path, *, dump: Path | None = None, repeat: int = 3) -> dict[str, Any]:
    """Measure a tree in a fresh process, then its start-up; return every number."""
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        cmd = [sys.executable, __file__, "--measure", str(tree), "--result", tmp.name]
        cmd += ["--repeat", str(repeat)]
        if dump is not None:
            cmd += ["--dump", str(dump)]
        subprocess.run(cmd, env=_env(tree), check=True)
        numbers: dict[str, Any] = json.loads(Path(tmp.name).read_text())
    return numbers | start_up(tree)


# ----------------------------------------------------------------------------- report


def geotext_rate(texts: list[str]) -> float:
    """Return geotext's articles/s per core on the texts (the issue's baseline)."""
    from geotext import GeoText

    GeoText(texts[0])
    return len(texts) / cpu_best(GeoText, texts)


def identical_mentions(dump: Path) -> tuple[int, int]:
    """Return (texts, texts whose mentions differ): new extractor on the old index."""
    from geo.places import gazetteer
    from geo.places.extract import find_mentions

    index, texts, old = pickle.loads(dump.read_bytes())  # our own file, written just now
    ix = gazetteer.Index.from_arrays(
        *gazetteer.pack(index["columns"], index["names"], index["fuzzy"])
    )
    differ = sum(
        [m.__dict__ for m in find_mentions(t, index=ix)] != want
        for t, want in zip(texts, old, strict=True)
    )
    return len(texts), differ


def report(name: str, n: dict[str, Any]) -> None:
    """Print one tree's numbers."""
    print(
        f"{name:7} records path {n['articles'] / n['records_s']:7.1f} articles/s/core "
        f"({n['chars'] / n['records_s']:,.0f} chars/s); GeoDataFrame path "
        f"{n['articles'] / n['frame_s']:6.1f} articles/s/core"
    )
    ratio = n["big_us_per_kchar"] / n["small_us_per_kchar"]
    print(
        f"{'':7} cost per 1,000 chars: 3k articles {n['small_us_per_kchar']:7.0f} µs, "
        f"{n['big_chars'] / 1000:.0f}k article {n['big_us_per_kchar']:7.0f} µs "
        f"(ratio {ratio:.2f}, target <= 1.5)"
    )
    print(
        f"{'':7} `rangemap places small.txt` {n['cli_cpu']:.3f} s CPU (target <= 0.35), "
        f"{n['alone_cpu']:.3f} s with only the places command registered, "
        f"{n.get('cli_cpu_no_pyc', float('nan')):.3f} s without bytecode files"
    )
    print(
        f"{'':7} index load {n['index_load_cpu'] * 1000:.0f} ms CPU, "
        f"+{n['index_rss_mb']:.0f} MB peak RSS, newest cache entry {n['cache_mb']:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", metavar="COMMIT", help="also measure this older commit")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3, help="passes per timing (best kept)")
    args = parser.parse_args()
    if args.measure is not None:  # child: measure the tree on sys.path
        sys.path.insert(0, str(args.measure))
        args.result.write_text(json.dumps(measure(args.measure, args.dump, repeat=args.repeat)))
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (ratios are fairer)")
    texts = corpus_texts()
    print(f"{len(texts)} LGL + TR-News articles, {sum(map(len, texts)):,} characters")
    rate = geotext_rate(texts)
    print(f"geotext {rate:7.1f} articles/s/core (baseline)")
    after = run_tree(ROOT, repeat=args.repeat)
    report("now", after)
    now_rate = after["articles"] / after["records_s"]
    print(f"{'':7} records path / geotext: {now_rate / rate:.2f}")
    if args.before:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp)
            archive = subprocess.run(
                ["git", "archive", args.before, "geo", "data"], cwd=ROOT, capture_output=True
            )
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            dump = tree / "mentions.pickle"
            before = run_tree(tree, dump=dump, repeat=args.repeat)
            report("before", before)
            old_rate = before["articles"] / before["records_s"]
            print(
                f"{'':7} now/before: records path {now_rate / old_rate:.2f}x, "
                f"CLI CPU {before['cli_cpu'] / after['cli_cpu']:.2f}x less, "
                f"index load {before['index_load_cpu'] / after['index_load_cpu']:.1f}x less"
            )
            total, differ = identical_mentions(dump)
            print(f"{'':7} mentions identical on {total - differ}/{total} texts (old index)")


if __name__ == "__main__":
    main()
