"""Certificate OCR (bot/ocr.py) on the generated certificate cards (tests/integrity/corpus.py): how
often the number, name and validity are read exactly, seconds per card, peak memory. Each card is
photographed by hand (tilt, keystone, light, noise) and sent as a JPEG, as phones do; the variants
are what people send too. Runs the engine in this process with the settings of the image workers
(one thread). Prints a Markdown table (docs/integrity.md has one run).

    .venv/bin/python bench/ocr_certificates.py [--people 20]"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot import ocr  # noqa: E402
from tests.integrity import corpus  # noqa: E402

VARIANTS = {
    "hand-held photo, JPEG q80": lambda img: corpus.jpeg(img, 80),
    "WeCom-like 1280 px q70 of a 2x photo": lambda img: corpus.jpeg(
        corpus.resized(corpus.resized(img, 2.0), 0.625), 70),
    "phone screenshot of the photo": lambda img: corpus.png(corpus.screenshot(img)),
    "turned 180°": lambda img: corpus.jpeg(corpus.rotated(img, 180), 80),
    "turned 90°": lambda img: corpus.jpeg(corpus.rotated(img, 90), 80),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args()
    if not ocr.available():
        sys.exit("the 'ocr' extra is not installed")
    started = time.perf_counter()
    ocr._get_engine()
    load = time.perf_counter() - started
    rows = []
    for variant, encode in VARIANTS.items():
        seconds, number, name, valid = [], 0, 0, 0
        for person in range(args.people):
            card, said = corpus.certificate_card(person)
            data = encode(corpus.photograph(card, corpus.framing(f"ocr{person}")))
            t = time.perf_counter()
            read = ocr.read_certificate(data)
            seconds.append(time.perf_counter() - t)
            number += read.number == said["number"]
            name += read.name == said["name"]
            valid += read.valid_until == said["valid"]
        n = args.people
        rows.append(f"| {variant} | {number}/{n} | {name}/{n} | {valid}/{n} | "
                    f"{statistics.median(seconds):.1f} | {max(seconds):.1f} |")
        print(rows[-1], flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nengine loaded in {load:.1f} s; peak memory of the process {peak:.0f} MB\n")
    print("| photo | number exact | name exact | validity exact | s per card (median) | s (max) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
