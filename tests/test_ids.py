"""Ids handed to anonymous callers are unguessable and URL-safe."""

from concierge.ids import looks_like_public_id, new_public_id


def test_public_ids_carry_128_random_bits_and_are_recognised():
    ids = {new_public_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 22 and looks_like_public_id(i) for i in ids)
    assert not looks_like_public_id("../../etc/passwd")
