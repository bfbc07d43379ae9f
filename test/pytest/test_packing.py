import numpy as np
import pytest

from bnnc.semantics.packing import pack_rows, to_signed, unpack_rows, words_per_row


@pytest.mark.parametrize(("cols", "bits"), [(1, 1), (64, 1), (65, 1), (784, 1), (10, 2), (33, 8)])
def test_pack_unpack_round_trip(cols, bits):
    rng = np.random.default_rng(cols * bits)
    codes = rng.integers(0, 1 << bits, size=(6, cols))
    attr = pack_rows(codes, bits)
    assert attr.get_shape() == (6, words_per_row(cols, bits))
    np.testing.assert_array_equal(unpack_rows(attr, cols, bits), codes)


def test_element_order_is_least_significant_first():
    # element i occupies bits [i*w, (i+1)*w) of the row (DESIGN.md, stream words)
    attr = pack_rows(np.array([[1, 0, 3]]), 2)
    word = int(np.frombuffer(attr.data.data, dtype=np.uint64)[0])
    assert word == 0b11_00_01


def test_signed_codes_are_twos_complement():
    attr = pack_rows(np.array([[-1, 0, 1, -2]]), 2)
    np.testing.assert_array_equal(to_signed(unpack_rows(attr, 4, 2), 2), [[-1, 0, 1, -2]])
