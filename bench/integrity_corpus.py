"""Precision and recall of the photo-reuse check on the generated corpus (tests/integrity/corpus.py),
per kind of copy, and the false flags between distinct photographs that look alike (pages of one
printed form, certificates of one layout). Prints a Markdown table (docs/integrity.md has one run).

    .venv/bin/python bench/integrity_corpus.py [--pages 10 --people 20 --quick]

Each source is stored as a JPEG (q92) the way a photo arrives; each copy is checked against every
stored source, through the same two stages as the bot (coarse hashes, then bot.integrity_match)."""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.integrity_image import PhotoHashes, candidates, examine, query_hashes  # noqa: E402
from bot.integrity_match import check_candidates  # noqa: E402
from tests.integrity import corpus  # noqa: E402

MAX_PIXELS = 10**8


class Gallery:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.groups: list[str] = []
        self.hashes: list[PhotoHashes] = []
        self.prints: list[bytes] = []

    def add(self, name: str, group: str, found) -> None:
        self.names.append(name)
        self.groups.append(group)
        self.hashes.append(PhotoHashes.parse(found.facts.phash, found.facts.phash_crops))
        self.prints.append(found.facts.fingerprint)

    def flagged(self, found, upto: int | None = None) -> tuple[list[int], int]:
        """Gallery indexes the bot would flag for this examined photo; and how many were candidates."""
        hashes = self.hashes[:upto] if upto is not None else self.hashes
        query = query_hashes(found.facts.phash, found.facts.phash_crops, found.facts.oriented)
        near = candidates(query, hashes)
        verdicts = check_candidates(found.facts.fingerprint, found.facts.mirror_fingerprint,
                                    [(i, self.prints[i]) for i in near])
        return [i for i, v in verdicts if v.same], len(near)


def _examine_copy(args):
    kind, source_index, data = args
    return kind, source_index, examine(data, MAX_PIXELS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--templates", type=int, default=3)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--scenes", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="a small corpus, for trying thresholds")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.people, args.scenes = 4, 6, 3
    started = time.time()
    groups = corpus.corpus_sources(args.templates, args.pages, args.people, plans=4, scenes=args.scenes)
    sources = [(name, group, img) for group, items in groups.items() for name, img in items]
    gallery = Gallery()
    for name, group, img in sources:
        gallery.add(name, group, examine(corpus.jpeg(img, 92), MAX_PIXELS))

    # Distinct photographs: each checked against the ones stored before it.
    pairs: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind of pair -> [pairs, flagged]
    for i in range(len(sources)):
        found = examine(corpus.jpeg(sources[i][2], 92), MAX_PIXELS)
        flagged, _ = gallery.flagged(found, upto=i)
        for j in range(i):
            same_group = gallery.groups[j] == gallery.groups[i]
            kind = _pair_kind(gallery.groups[i]) if same_group else "unrelated (different groups)"
            pairs[kind][0] += 1
            pairs[kind][1] += j in flagged
            if j in flagged:
                print(f"  false flag: {sources[i][0]} ~ {sources[j][0]}", file=sys.stderr)

    # Copies of every source, of every kind.
    jobs = [(kind, i, make(img)) for kind, make in corpus.COPIES.items() for i, (_n, _g, img) in enumerate(sources)]
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # kind -> [copies, caught, flags, right flags]
    with ProcessPoolExecutor(2) as pool:
        for kind, i, found in pool.map(_examine_copy, jobs, chunksize=8):
            flagged, _ = gallery.flagged(found)
            row = rows[kind]
            row[0] += 1
            row[1] += i in flagged
            row[2] += len(flagged)
            row[3] += i in flagged
            if i not in flagged:
                print(f"  missed: {kind} of {sources[i][0]}", file=sys.stderr)
            for j in flagged:
                if j != i:
                    print(f"  wrong source: {kind} of {sources[i][0]} ~ {sources[j][0]}", file=sys.stderr)

    print(f"Corpus: {len(sources)} hand-held photographs ({', '.join(f'{g} {len(v)}' for g, v in groups.items())}); "
          f"{len(jobs)} copies; {time.time() - started:.0f} s.\n")
    print("| copy kind | copies | caught (recall) | flags raised | precision |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind, (n, caught, flags, right) in rows.items():
        precision = f"{100 * right / flags:.1f} %" if flags else "–"
        print(f"| {kind} | {n} | {caught} ({100 * caught / n:.1f} %) | {flags} | {precision} |")
    print("\n| distinct photographs | pairs | falsely flagged |")
    print("| --- | ---: | ---: |")
    for kind, (n, flagged) in sorted(pairs.items()):
        print(f"| {kind} | {n} | {flagged} |")


def _pair_kind(group: str) -> str:
    if group.startswith("form:framed"):
        return "pages of one form framed exactly alike (tripod)"
    if group.startswith("form:"):
        return f"different pages of one template ({group[5:]})"
    if group.startswith("cert:"):
        return "different certificates of one layout"
    if group == "plan":
        return "pages of typed training plans"
    return "unrelated scenes"


if __name__ == "__main__":
    main()
