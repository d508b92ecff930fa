"""Benchmark place extraction on the seed articles against the ``geotext`` baseline.

Prints, for rangemap and geotext, the time per article, throughput (characters per second)
and document-level precision/recall against the gold files in ``../shared/articles/gold``.
Both are scored on surfaces: a found name is correct when it is a gold surface (or, for
rangemap, a gold place by code/distance); a required gold place is recalled when one of its
surfaces was found.  Run ``python bench/places.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from geotext import GeoText
from pyproj import Geod

from geo.places.resolve import places_from_text

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "articles"
GEOD = Geod(ellps="WGS84")
REPEAT = 5


def rangemap_names(text: str) -> set[str]:
    found = places_from_text(text)
    return {s.casefold() for surfaces in found["surfaces"] for s in surfaces}


def geotext_names(text: str) -> set[str]:
    g = GeoText(text)
    return {n.casefold() for n in [*g.cities, *g.countries]}


def score(found: set[str], gold: list[dict[str, object]]) -> tuple[int, int, int, int]:
    """Return (correct found, all found, required recalled, all required)."""
    surfaces = [{str(s).casefold() for s in g["surfaces"]} for g in gold]  # type: ignore[attr-defined]
    correct = sum(1 for name in found if any(name in s for s in surfaces))
    required = [s for g, s in zip(gold, surfaces, strict=True) if g["required"]]
    recalled = sum(1 for s in required if s & found)
    return correct, len(found), recalled, len(required)


def run(name: str, fn: Callable[[str], set[str]], articles: list[tuple[str, list]]) -> None:
    fn(articles[0][0])  # warm up: load the gazetteer once
    totals = [0, 0, 0, 0]
    chars = sum(len(t) for t, _ in articles)
    start = time.perf_counter()
    for _ in range(REPEAT):
        for text, _gold in articles:
            fn(text)
    elapsed = (time.perf_counter() - start) / REPEAT
    for text, gold in articles:
        for i, v in enumerate(score(fn(text), gold)):
            totals[i] += v
    precision = totals[0] / max(totals[1], 1)
    recall = totals[2] / max(totals[3], 1)
    print(
        f"{name:9} {elapsed / len(articles) * 1000:8.1f} ms/article"
        f" {chars / elapsed:12,.0f} chars/s"
        f"   precision {precision:.3f}   recall {recall:.3f}"
    )


def place_level(articles: list[tuple[str, list]]) -> None:
    """Print rangemap's place-level precision/recall (by code, or within tolerance_km)."""
    correct = found = recalled = required = 0
    for text, gold in articles:
        rows = list(places_from_text(text).iterrows())
        hit = [[_is(g, row) for _, row in rows] for g in gold]
        found += len(rows)
        correct += sum(any(h[i] for h in hit) for i in range(len(rows)))
        required += sum(1 for g in gold if g["required"])
        recalled += sum(1 for g, h in zip(gold, hit, strict=True) if g["required"] and any(h))
    print(
        f"rangemap place level (code or tolerance_km): precision {correct / max(found, 1):.3f}"
        f"   recall {recalled / max(required, 1):.3f}   ({found} places found)"
    )


def _is(gold: dict, row: object) -> bool:
    if gold["kind"] in ("country", "continent", "union"):
        return bool(row["code"] == gold["code"])  # type: ignore[index]
    geom = row.geometry  # type: ignore[attr-defined]
    metres = GEOD.inv(gold["lon"], gold["lat"], geom.x, geom.y)[2]
    return bool(metres / 1000.0 <= gold["tolerance_km"])


def fuzzy_false_positives(sample_size: int = 2000) -> None:
    """Count capitalised English dictionary words that fuzzy matching turns into places."""
    try:
        from english_words import get_english_words_set
    except ImportError:  # optional: pip install english-words
        print("fuzzy false positives: skipped (pip install english-words)")
        return
    from geo.places import gazetteer
    from geo.places.extract import fuzzy_candidates

    ix = gazetteer.load_index()
    words = sorted(
        w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()
    )
    sample = [w for w in words[:: max(1, len(words) // sample_size)] if len(w) >= 6]
    sample = [w for w in sample if not ix.candidates(w)]
    raw = [w for w in sample if fuzzy_candidates(w.capitalize())]
    accepted = []
    for w in sample:
        found = places_from_text(f"Officials in Russia and Ukraine said {w.capitalize()} was hit.")
        if set(found["name"]) - {"Russia", "Ukraine"}:
            accepted.append(w)
    print(
        f"fuzzy false positives on {len(sample)} capitalised dictionary words: "
        f"{len(raw)} close to a name ({len(raw) / len(sample):.2%}), "
        f"{len(accepted)} accepted as places in a Russia/Ukraine sentence "
        f"({len(accepted) / len(sample):.2%}): {accepted[:10]}"
    )


#: Figures measured on main before issue 12 (same protocol): (F1, acc@161).
PREVIOUS = {"lgl": (0.735, 0.769), "trnews": (0.836, 0.734)}
CORPORA_EVAL = SHARED.parent / "eval"


def corpus_accuracy(corpus: str) -> None:
    """Print P/R/F1 and acc@161 on an annotated corpus (EUPEG protocol).

    Also prints the precision of the mentions found at confidence >= 0.9, >= 0.5 and of
    all of them (correct: matched to a gold toponym and placed within 161 km of it); when
    confidence predicts correctness, the three fall in that order.
    """
    import sys

    sys.path.insert(0, str(CORPORA_EVAL))
    import corpus_load  # type: ignore[import-not-found]

    tp = npred = ngold = 0
    errors: list[float] = []
    by_conf: list[tuple[float, bool]] = []
    for _, text, gold in corpus_load.load(corpus):
        found = places_from_text(text)
        preds = [
            ((s + e) / 2, row.geometry.y, row.geometry.x, float(row["confidence"]))
            for _, row in found.iterrows()
            for s, e in row["mentions"]
        ]
        npred += len(preds)
        ngold += len(gold)
        correct = [False] * len(preds)
        used: set[int] = set()
        for start, end, _surface, lat, lon in gold:
            mid = (start + end) / 2
            near = [j for j, p in enumerate(preds) if j not in used and abs(p[0] - mid) < 10]
            if not near:
                continue
            j = min(near, key=lambda j: abs(preds[j][0] - mid))
            used.add(j)
            tp += 1
            if lat is not None:
                km = GEOD.inv(lon, lat, preds[j][2], preds[j][1])[2] / 1000.0
                errors.append(km)
                correct[j] = km < 161
        by_conf += [(p[3], ok) for p, ok in zip(preds, correct, strict=True)]
    precision, recall = tp / max(npred, 1), tp / max(ngold, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    acc = sum(e < 161 for e in errors) / max(len(errors), 1)
    was_f1, was_acc = PREVIOUS[corpus]
    print(
        f"{corpus:7} P {precision:.3f} R {recall:.3f} F1 {f1:.3f} (was {was_f1:.3f})"
        f"   acc@161 {acc:.3f} (was {was_acc:.3f})"
    )
    for threshold in (0.9, 0.5, 0.0):  # confidence predicts correctness: a falling column
        kept = [ok for c, ok in by_conf if c >= threshold]
        label = f"at confidence >= {threshold}" if threshold else "of all mentions     "
        print(
            f"        precision {label}: "
            f"{sum(kept) / max(len(kept), 1):.3f} ({len(kept)} of {len(by_conf)} mentions)"
        )


def main() -> None:
    articles = []
    for path in sorted(SHARED.glob("*.txt")):
        gold = json.loads((SHARED / "gold" / f"{path.stem}.json").read_text("utf-8"))
        articles.append((path.read_text("utf-8"), gold["places"]))
    print(f"{len(articles)} articles, {sum(len(t) for t, _ in articles):,} characters")
    t = time.perf_counter()
    places_from_text("Kyiv")
    print(f"rangemap gazetteer load + first answer: {time.perf_counter() - t:.3f} s")
    run("rangemap", rangemap_names, articles)
    run("geotext", geotext_names, articles)
    place_level(articles)
    if CORPORA_EVAL.is_dir():
        for corpus in ("lgl", "trnews"):
            corpus_accuracy(corpus)
    fuzzy_false_positives()


if __name__ == "__main__":
    main()
