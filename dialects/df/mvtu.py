"""`df.mvtu`, the matrix-vector-threshold unit: everything about the engine."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    UnitAttr,
    i64,
)
from xdsl.ir import Attribute, TypeAttribute
from xdsl.irdl import (
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure

from bnnc.dialects.bnn import (
    bit_width,
    dense_values,
    is_bipolar,
    is_integer,
    is_signed_integer,
    signed_bits,
    value_range,
)
from bnnc.dialects.df.types import StreamType, stream_type, STORAGES
from bnnc.dialects.df.checks import _stream, _int, _expect, _check_weights, _check_thresholds
from bnnc.dialects.df.engine import EngineOp


@irdl_op_definition
class MvtuOp(EngineOp):
    """Matrix-vector-threshold unit: `vectors` input vectors of MW elements per frame, each
    multiplied by the (MH, MW) weight matrix, then thresholded (or the accumulators passed on).

    Input words hold SIMD·MMV elements, output words PE·MMV. Without `thresholds` the outputs
    are the accumulators (popcounts when `popcount`, signed sums otherwise).
    """

    name = "df.mvtu"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    mw = prop_def(IntegerAttr)
    mh = prop_def(IntegerAttr)
    pe = prop_def(IntegerAttr)
    simd = prop_def(IntegerAttr)
    mmv = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    vectors = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    weights = prop_def(DenseIntOrFPElementsAttr)
    weight_type = prop_def(TypeAttribute)
    popcount = opt_prop_def(UnitAttr)
    thresholds = opt_prop_def(DenseIntOrFPElementsAttr)
    offset = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    layer = opt_prop_def(StringAttr)
    acc_type = opt_prop_def(IntegerType)
    """The accumulator's type (also the thresholds'), chosen by `prepare-for-emission`."""
    weight_storage = opt_prop_def(StringAttr)
    """Where the weight memory lives, `lutram` or `bram`, chosen by `prepare-for-emission`."""
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `weights` `<` $weight_type `>` $weights attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe", "simd", "mmv")

    def verify_(self) -> None:
        self.verify_fold()
        mw, mh = _int(self.mw), _int(self.mh)
        _check_weights(self.weights, self.weight_type, mh, mw)
        self.verify_streams()
        in_s, out_s = _stream(self.input), _stream(self.output)
        if self.popcount is not None:
            _expect(
                is_bipolar(in_s.element) and is_bipolar(self.weight_type),
                "popcount accumulation needs bipolar inputs and weights",
            )
        if self.thresholds is not None:
            _check_thresholds(self.thresholds, mh, out_s.element, _int(self.offset))
        else:
            _expect(is_integer(out_s.element), "accumulator outputs must be integers")
        if self.acc_type is not None:
            lo, hi = self.accumulator_range()
            _expect(is_signed_integer(self.acc_type) and signed_bits(lo, hi + 1) <= bit_width(self.acc_type),
                    f"acc_type {self.acc_type} does not hold the accumulator's range [{lo}, {hi + 1}]")
        if self.weight_storage is not None:
            _expect(self.weight_storage.data in STORAGES,
                    f"weight_storage must be one of {', '.join(STORAGES)}, got '{self.weight_storage.data}'")

    def accumulator_range(self) -> tuple[int, int]:
        """The values the accumulator can take: popcounts 0..MW, else MW times the range of one
        product of an input and a weight."""
        mw = _int(self.mw)
        if self.popcount is not None:
            return 0, mw
        (xl, xh), (wl, wh) = value_range(_stream(self.input).element), value_range(self.weight_type)
        products = (xl * wl, xl * wh, xh * wl, xh * wh)
        return mw * min(products), mw * max(products)

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        mw, mh, vectors = _int(self.mw), _int(self.mh), _int(self.vectors)
        return {"pe": (mh, f"MH = {mh} is"), "simd": (mw, f"MW = {mw} is"),
                "mmv": (vectors, f"{vectors} output pixels are")}

    def input_type(self, element: Attribute) -> StreamType:
        lanes = _int(self.simd) * _int(self.mmv)
        return stream_type(element, lanes, _int(self.vectors) * _int(self.mw) // lanes, _int(self.mmv))

    def output_type(self, element: Attribute) -> StreamType:
        lanes = _int(self.pe) * _int(self.mmv)
        return stream_type(element, lanes, _int(self.vectors) * _int(self.mh) // lanes, _int(self.mmv))

    def weight_memory(self):
        """The weight memory as the hardware holds it: (PE, NF·SF, SIMD) weight values.

        Output row r lives in PE r mod PE at tile (r div PE)·SF + sf, lane s holding column
        sf·SIMD + s (DESIGN.md, "Folding"), for NF = MH/PE neuron folds and SF = MW/SIMD synapse
        folds.
        """
        from bnnc.semantics.packing import to_signed, unpack_rows

        mw, mh, pe, simd = _int(self.mw), _int(self.mh), _int(self.pe), _int(self.simd)
        bits = bit_width(self.weight_type)
        codes = unpack_rows(self.weights, mw, bits)
        values = 2 * codes - 1 if is_bipolar(self.weight_type) else to_signed(codes, bits)
        nf, sf = mh // pe, mw // simd
        # values[nf·PE + p, sf·SIMD + s] -> memory[p, nf·SF + sf, s]
        return values.reshape(nf, pe, sf, simd).transpose(1, 0, 2, 3).reshape(pe, nf * sf, simd)

    def memories(self) -> dict[str, object]:
        memories: dict[str, object] = {"weights": self.weight_memory()}
        if self.thresholds is not None:
            memories["thresholds"] = dense_values(self.thresholds)
        return memories

    @property
    def neuron_folds(self) -> int:
        return _int(self.mh) // _int(self.pe)

    @property
    def synapse_folds(self) -> int:
        return _int(self.mw) // _int(self.simd)
