"""Near-duplicate photos are caught and unrelated ones are not, on a corpus the test makes."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from bot.integrity_image import NEAR_DUPLICATE_BITS, PhotoHashes, distance, image_facts, near_duplicate
from bot.media import EvidenceStore
from tests.integrity.corpus import NEAR_DUPLICATES, jpeg, original, with_exif

ORIGINALS = range(12)
UNRELATED = range(100, 140)


def hashes_of(data: bytes) -> PhotoHashes:
    facts = image_facts(data)
    parsed = PhotoHashes.parse(facts.phash, facts.phash_crops)
    assert parsed is not None
    return parsed


@pytest.fixture(scope="module")
def originals() -> dict[int, tuple]:
    return {seed: (img := original(seed), hashes_of(jpeg(img, 92))) for seed in ORIGINALS}


@pytest.mark.parametrize("variant", sorted(NEAR_DUPLICATES))
def test_near_duplicates_of_every_original_are_caught(originals, variant):
    make = NEAR_DUPLICATES[variant]
    missed = {}
    for seed, (img, first) in originals.items():
        copy = hashes_of(make(img))
        if not near_duplicate(copy, first) or not near_duplicate(first, copy):
            missed[seed] = distance(copy, first)
    assert missed == {}, f"{variant}: not recognised (seed: bits apart) {missed}"


def test_unrelated_photos_are_never_taken_for_each_other(originals):
    pictures = [h for _img, h in originals.values()] + [hashes_of(jpeg(original(s), 85)) for s in UNRELATED]
    false_flags = [(i, j, distance(a, b)) for (i, a), (j, b) in itertools.combinations(enumerate(pictures), 2)
                   if near_duplicate(a, b)]
    assert false_flags == []
    closest = min(distance(a, b) for a, b in itertools.combinations(pictures, 2))
    assert closest > NEAR_DUPLICATE_BITS  # the margin the README states


def test_exif_capture_time_and_gps_are_read():
    facts = image_facts(with_exif(original(1), datetime(2023, 4, 1, 8, 15, 0), (35.5012, -112.8408)))
    assert facts.taken_at == datetime(2023, 4, 1, 8, 15, 0)
    assert facts.latitude == pytest.approx(35.5012, abs=1e-4)
    assert facts.longitude == pytest.approx(-112.8408, abs=1e-4)
    bare = image_facts(jpeg(original(1)))
    assert (bare.taken_at, bare.latitude, bare.longitude) == (None, None, None)
    assert len(bare.phash) == 16 and near_duplicate(hashes_of(jpeg(original(1))), PhotoHashes.parse(facts.phash, facts.phash_crops))


def test_the_evidence_store_keeps_the_facts(tmp_path):
    store = EvidenceStore(tmp_path, max_bytes=10_000_000, max_pixels=40_000_000)
    stored = store.store_image(with_exif(original(2), datetime(2023, 5, 10, 9, 0), (35.5, 112.84)))
    assert stored.facts.taken_at == datetime(2023, 5, 10, 9, 0)
    assert stored.facts.phash and len(stored.facts.phash_crops) % 16 == 0 and stored.facts.phash_crops
    assert stored.path.read_bytes()[:2] == b"\xff\xd8"
