"""Near-duplicate photos are caught and unrelated ones are not, on a corpus the test makes."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from bot.integrity_image import NEAR_DUPLICATE_BITS, PhotoHashes, distance, examine, image_facts, near_duplicate
from bot.media import EvidenceStore, MediaRejected
from tests.integrity.corpus import NEAR_DUPLICATES, jpeg, original, png, with_exif

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


async def test_the_evidence_store_keeps_the_facts(tmp_path):
    store = EvidenceStore(tmp_path, max_bytes=10_000_000, max_pixels=40_000_000)
    stored = await store.store_image(with_exif(original(2), datetime(2023, 5, 10, 9, 0), (35.5, 112.84)))
    assert stored.facts.taken_at == datetime(2023, 5, 10, 9, 0)
    assert stored.facts.phash and len(stored.facts.phash_crops) % 16 == 0 and stored.facts.phash_crops
    assert (await store.read(stored.key))[:2] == b"\xff\xd8"


def test_a_truncated_photo_still_gets_its_hashes_and_exif():
    """A reused JPEG with its end cut off is not let through without facts (issue 15)."""
    whole = with_exif(original(3), datetime(2023, 5, 10, 9, 0), (35.5, 112.84))
    for cut in (2, 500, len(whole) // 3):
        found = examine(whole[:-cut], max_pixels=40_000_000)
        assert found.rejected is None and found.truncated and found.format == "JPEG"
        assert found.facts.taken_at == datetime(2023, 5, 10, 9, 0) and found.facts.latitude
        assert near_duplicate(PhotoHashes.parse(found.facts.phash, found.facts.phash_crops), hashes_of(whole)) \
            or cut > 500
    cut_png = png(original(3))
    found = examine(cut_png[: len(cut_png) * 2 // 3], max_pixels=40_000_000)
    assert found.rejected is None and found.truncated and found.facts.phash
    assert examine(b"\xff\xd8\xff\xe0 not really", max_pixels=40_000_000).rejected == "not_image"
    assert examine(jpeg(original(3)), max_pixels=1000).rejected == "too_many_pixels"
    assert not examine(whole, max_pixels=40_000_000).truncated


async def test_the_store_refuses_what_cannot_be_decoded(tmp_path):
    store = EvidenceStore(tmp_path, max_bytes=10_000_000, max_pixels=40_000_000)
    with pytest.raises(MediaRejected) as refused:
        await store.store_image(b"GIF89a" + b"\0" * 40)
    assert refused.value.reason == "not_image"
    stored = await store.store_image(jpeg(original(4))[:-2])
    assert stored.facts.phash and stored.width == 640
