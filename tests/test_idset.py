"""IdSet: an exact set of ids whose memory grows with runs of numbered ids, not ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mentorrules.idset import PLAIN, IdSet

# Ids that collide in interesting ways: shared heads, leading zeros, numbers only,
# digits other than ASCII, very long numbers, no number at all.
_heads = st.sampled_from(["", "e", "msg-", "m0", "٣", "x9y"])
_numbers = st.integers(min_value=0, max_value=40)
_ids = st.one_of(
    st.builds(lambda h, n, pad: f"{h}{n:0{pad}d}", _heads, _numbers, st.integers(1, 4)),
    st.sampled_from(["e", "abc", "9" * 19, "1" + "0" * 25, "0", "00", "٣٣", ""]),
    st.text(max_size=4),
)


@given(st.lists(_ids, max_size=200), st.sampled_from([0, 1, 7, 64, PLAIN]))
def test_it_answers_exactly_as_a_set_does(ids: list[str], plain: int) -> None:
    found, model = IdSet(plain), set()
    for ident in ids:
        assert found.add(ident) == (ident not in model)
        model.add(ident)
        assert ident in found
    for probe in [*ids, "e1", "e01", "msg-7", "nothing", "12"]:
        assert (probe in found) == (probe in model)
    assert len(found) == len(model)


def test_ids_counting_up_cost_one_run_whatever_their_number() -> None:
    ids = IdSet()
    for n in range(1, 100_001):
        assert ids.add(f"e{n:07d}")
    assert len(ids) == 100_000
    assert ids.runs == 1
    assert all(i in ids for i in ("e0000001", "e0050000", "e0100000"))
    assert not any(i in ids for i in ("e0100001", "e1", "e00000001"))


def test_gaps_and_late_ids_make_and_merge_runs() -> None:
    ids = IdSet(plain=0)
    for n in (1, 2, 3, 7, 8, 5):
        ids.add(str(n))
    assert ids.runs == 3  # 1-3, 5, 7-8
    assert not ids.add("2")
    ids.add("4")
    ids.add("6")
    assert ids.runs == 1  # 1-8
    assert [str(n) in ids for n in range(10)] == [False] + [True] * 8 + [False]


def test_ids_without_a_number_are_kept_as_they_are() -> None:
    ids = IdSet(plain=0)
    assert ids.add("3f2a9c0e-8d1b-4c51-9e0b-1a2b3c4d5e6f")
    assert not ids.add("3f2a9c0e-8d1b-4c51-9e0b-1a2b3c4d5e6f")
    assert ids.add("3f2a9c0e-8d1b-4c51-9e0b-1a2b3c4d5e6F")
    assert 42 not in ids  # not text: never an id


def test_a_small_set_is_plain_until_it_fills_then_moves_into_runs() -> None:
    ids = IdSet(plain=1000)
    for n in range(999, 0, -1):  # counting down, so the move must sort
        assert ids.add(f"msg-{n:04d}")
    assert ids.runs == 999  # plain: one entry an id
    assert ids.add("uuid-a")
    assert ids.runs == 2  # 1-999 and the id without a number
    assert len(ids) == 1000
    assert not ids.add("msg-0500")
    assert not ids.add("uuid-a")
    assert "msg-0999" in ids
    assert "msg-1000" not in ids
    assert "msg-999" not in ids


def test_room_lends_the_plain_set_until_one_id_before_it_fills() -> None:
    ids = IdSet(plain=4)
    plain, room = ids.room()
    assert room == 3
    plain.add("e1")
    assert "e1" in ids
    assert ids.room()[1] == 2
    for n in (2, 3, 4):
        assert ids.add(f"e{n}")
    assert ids.room() == (set(), 0)  # runs now: add and in only
    assert ids.runs == 1
    assert not ids.add("e1")
