"""`lower-dataflow-to-hls`: a folded, sized `df.graph` → an `hls.top` of library instances.

    %w = df.mvtu %x weights<!bnn.bipolar> ... {pe = 4, simd = 8, popcount, thresholds = ...}
    %f = df.fifo %w {depth = 32}
  becomes
    hls.rom @fc0_weights {element = ui8, shape = array<i64: 4, 32>, storage = "lutram", ...}
    hls.rom @fc0_thresholds {element = si8, shape = array<i64: 4, 16, 1>, ...}
    %s = hls.stream "fc0_out" {depth = 32} : !hls.stream<4>
    hls.instance "mvtu" (%in, %s) {args = {MW = 256, ...}, roms = [@fc0_weights, @fc0_thresholds]}

Each engine becomes one instance whose output is a new stream; a FIFO gives the stream it sits
on its depth (streams without one get depth 2, what an HLS tool gives a stream by default). The
graph's boundary becomes two 64-bit AXI-stream ports with converters to and from the first and
last stream's words; `df.invoke` becomes `hls.invoke`. The words on every stream are those of
the `df` streams (same lanes, same order), so the `df` executor is the specification of the C++.

ROM layouts: weights as `df.MvtuOp.weight_memory` gives them, one entry per
(PE, tile) of SIMD lanes packed as a stream word; thresholds as [PE][MH/PE][steps] for channel
nf·PE + p. Thresholds are clamped to [lo, hi + 1] of the value they compare (the accumulator or
the input): x ≥ T holds for every x in [lo, hi] when T ≤ lo and for none when T > hi, so the
result is unchanged while the threshold type needs no more bits than the accumulator and one.
The accumulator, threshold and comparison types and the weights' storage are what
`prepare-for-emission` recorded on the engines (the lowering prepares a graph that is not).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from bnnc.dialects import bnn, df, hls
from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DictionaryAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    StringAttr,
    SymbolRefAttr,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter
from xdsl.traits import SymbolTable

from bnnc.errors import BnncError
from bnnc.passes.prepare_for_emission import prepare_graph
from bnnc.semantics.packing import AXI_WORD_BITS, pack_rows

DEFAULT_STREAM_DEPTH = 2


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _i(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)


def element_codes(values: np.ndarray, element: Attribute) -> np.ndarray:
    """Numbers → their codes in `element` (up to 64 bits), as uint64: bits for bipolar, two's
    complement otherwise."""
    if bnn.is_bipolar(element):
        return (values > 0).astype(np.uint64)
    bits = bnn.bit_width(element)
    if bits > 64:
        raise BnncError(f"lower-dataflow-to-hls: {element} is wider than the 64 bits bnnc's HLS library handles")
    return values.astype(np.int64).astype(np.uint64) & np.uint64((1 << bits) - 1)


def identifier(name: str) -> str:
    """A C++ identifier from a layer name: other characters become '_'."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return cleaned if cleaned and not cleaned[0].isdigit() else f"_{cleaned}"


@dataclass
class _TopBuilder:
    """Builds the body of one `hls.top` from a `df.graph`, op by op."""

    graph: df.GraphOp
    block: Block

    def __post_init__(self) -> None:
        self.streams: dict[SSAValue, SSAValue] = {}  # df value -> hls stream or port
        self.names: set[str] = set()

    def unique(self, name: str) -> str:
        candidate, i = name, 1
        while candidate in self.names:
            i += 1
            candidate = f"{name}_{i}"
        self.names.add(candidate)
        return candidate

    def add(self, op: Operation) -> Operation:
        self.block.add_op(op)
        return op

    def stream(self, value: SSAValue, name: str) -> SSAValue:
        op = hls.StreamOp.build(
            properties={"stream_name": StringAttr(self.unique(name)), "depth": _i(DEFAULT_STREAM_DEPTH)},
            result_types=[hls.StreamType(value.type.width)],  # type: ignore[attr-defined]
        )
        self.add(op)
        self.streams[value] = op.stream
        return op.stream

    def rom(self, name: str, element: IntegerType, shape: tuple[int, ...], codes: np.ndarray,
            storage: str, partition: tuple[int, ...]) -> SymbolRefAttr:
        """A ROM of `shape` entries from their unsigned codes (entries of up to 64 bits, or
        (…, lanes) codes of `lane_bits` packed by the caller into `codes` words)."""
        name = self.unique(name)
        self.add(hls.RomOp.build(properties={
            "sym_name": StringAttr(name),
            "element": element,
            "shape": DenseArrayBase.from_list(i64, shape),
            "contents": codes,
            "storage": StringAttr(storage),
            "partition": DenseArrayBase.from_list(i64, partition),
        }))
        return SymbolRefAttr(name)

    def instance(self, template: str, reads: list[SSAValue], writes: list[SSAValue],
                 args: dict[str, Attribute | int], roms: list[SymbolRefAttr], layer: StringAttr | None) -> None:
        properties: dict[str, Attribute] = {
            "template": StringAttr(template),
            "args": DictionaryAttr({k: _i(v) if isinstance(v, int) else v for k, v in args.items()}),
            "roms": ArrayAttr(roms),
        }
        if layer is not None:
            properties["layer"] = layer
        self.add(hls.InstanceOp.build(operands=[[*reads, *writes]], properties=properties))

    # ---------------------------------------------------------------------------------------

    def lower(self, op: Operation) -> None:
        lowering = {
            df.InputOp: self.lower_boundary_in, df.OutputOp: self.lower_boundary_out,
            df.FifoOp: self.lower_fifo, df.MvtuOp: self.lower_mvtu, df.SwuOp: self.lower_swu,
            df.PoolOp: self.lower_pool, df.ThresholdOp: self.lower_threshold,
            df.LabelSelectOp: self.lower_label_select, df.DwcOp: self.lower_dwc,
        }.get(type(op))
        if lowering is None:
            raise BnncError(f"lower-dataflow-to-hls: no HLS template for '{op.name}' in a df.graph")
        for result in op.results:
            if (readers := result.uses.get_length()) > 1:
                raise BnncError(
                    f"lower-dataflow-to-hls: the stream out of '{op.name}' feeds {readers} "
                    "ops; an HLS stream has one reader (bnnc's graphs are chains)"
                )
        lowering(op)

    def _name(self, op: Operation, kind: str) -> str:
        layer = op.properties.get("layer")
        return f"{identifier(layer.data)}_{kind}" if isinstance(layer, StringAttr) else kind

    def lower_boundary_in(self, op: df.InputOp) -> None:
        port = self.add(port_op("in_axis", "in", op.output.type)).results[0]
        words = self.stream(op.output, "in_words")
        self.instance("axi_to_stream", [port], [words], boundary_args(op.output.type), [], None)

    def lower_boundary_out(self, op: df.OutputOp) -> None:
        port = self.add(port_op("out_axis", "out", op.input.type)).results[0]
        self.add(boundary_instance("stream_to_axi", self.streams[op.input], port, op.input.type))

    def lower_fifo(self, op: df.FifoOp) -> None:
        if op.depth is None:
            raise BnncError(
                "lower-dataflow-to-hls: a df.fifo has no depth; run size-fifos before lowering to hls"
            )
        stream = self.streams[op.input]
        owner = stream.owner
        assert isinstance(owner, hls.StreamOp)
        # FIFOs in series hold the sum of their depths; the first replaces the default.
        sized = "bnnc.sized" in owner.attributes
        depth = _int(op.depth) + (_int(owner.depth) if sized else 0)
        owner.depth = _i(depth)
        owner.attributes["bnnc.sized"] = builtin.UnitAttr()
        self.streams[op.output] = stream

    def lower_mvtu(self, op: df.MvtuOp) -> None:
        mw, mh, pe, simd = _int(op.mw), _int(op.mh), _int(op.pe), _int(op.simd)
        nf, sf = mh // pe, mw // simd
        name = identifier(op.layer.data) if op.layer is not None else "mvtu"
        w_bits = bnn.bit_width(op.weight_type)
        memory = op.weight_memory()  # (PE, NF·SF, SIMD) numbers
        codes = element_codes(memory, op.weight_type).reshape(pe * nf * sf, simd)
        words = pack_rows(codes, w_bits)
        entry = IntegerType(simd * w_bits, Signedness.UNSIGNED)
        contents = _reshape_words(words, (pe, nf * sf))
        weights = self.rom(f"{name}_weights", entry, (pe, nf * sf), contents, op.weight_storage.data, (0,))  # type: ignore[union-attr]
        lo, hi = op.accumulator_range()
        acc_t = op.acc_type
        out = self.stream(op.output, self._name(op, "mvtu"))
        args: dict[str, Attribute | int] = {
            "MW": mw, "MH": mh, "PE": pe, "SIMD": simd, "MMV": _int(op.mmv), "VECTORS": _int(op.vectors),
            "POPCOUNT": int(op.popcount is not None), "InT": op.input.type.element,
            "WeightT": op.weight_type, "AccT": acc_t, "OutT": op.output.type.element,
        }
        roms = [weights]
        if op.thresholds is None:
            template = "mvtu_acc"
        else:
            template = "mvtu"
            thresholds = self.threshold_rom(name, op.thresholds, mh, pe, lo, hi, acc_t)  # type: ignore[arg-type]
            roms.append(thresholds)
            args |= {"ThrT": acc_t, "STEPS": op.thresholds.get_shape()[1], "OFFSET": _int(op.offset)}
        self.instance(template, [self.streams[op.input]], [out], args, roms, op.layer)

    def threshold_rom(self, name: str, thresholds, channels: int, pe: int, lo: int, hi: int,
                      thr_t: IntegerType):
        if thr_t.width.data > 64:
            raise BnncError(f"lower-dataflow-to-hls: thresholds of {name} need {thr_t}, wider than 64 bits")
        values = bnn.dense_values(thresholds).astype(np.int64)
        values = np.broadcast_to(values, (channels, values.shape[1]))
        values = np.clip(values, lo, hi + 1)  # see the module docstring
        steps = values.shape[1]
        layout = values.reshape(channels // pe, pe, steps).transpose(1, 0, 2)  # [PE][NF][steps]
        codes = element_codes(layout, thr_t).reshape(pe, channels // pe, steps, 1)
        contents = _words_attr(codes)
        return self.rom(f"{name}_thresholds", thr_t, (pe, channels // pe, steps), contents, "lutram", (0, 2))

    def lower_swu(self, op: df.SwuOp) -> None:
        (ih, iw), (oh, ow) = bnn.array_values(op.ifm), bnn.array_values(op.ofm)
        (kh, kw), (sh, sw) = bnn.array_values(op.kernel), bnn.array_values(op.strides)
        top, left, _, _ = bnn.array_values(op.pads)
        element = op.input.type.element
        pad = _int(op.pad_value)
        pad_code = int(element_codes(np.array([pad]), element)[0])
        args: dict[str, Attribute | int] = {
            "ElemT": element, "CHANNELS": _int(op.channels), "IH": ih, "IW": iw, "OH": oh, "OW": ow,
            "KH": kh, "KW": kw, "SH": sh, "SW": sw, "PAD_TOP": top, "PAD_LEFT": left,
            "PAD_VALUE": pad_code, "SIMD": _int(op.simd), "MMV": _int(op.mmv),
        }
        out = self.stream(op.output, self._name(op, "swu"))
        self.instance("swu", [self.streams[op.input]], [out], args, [], op.layer)

    def lower_pool(self, op: df.PoolOp) -> None:
        (ih, iw), (oh, ow) = bnn.array_values(op.ifm), bnn.array_values(op.ofm)
        (kh, kw), (sh, sw) = bnn.array_values(op.kernel), bnn.array_values(op.strides)
        args: dict[str, Attribute | int] = {
            "ElemT": op.input.type.element, "CHANNELS": _int(op.channels), "IH": ih, "IW": iw,
            "OH": oh, "OW": ow, "KH": kh, "KW": kw, "SH": sh, "SW": sw, "PE": _int(op.pe),
        }
        out = self.stream(op.output, self._name(op, "pool"))
        self.instance("pool", [self.streams[op.input]], [out], args, [], op.layer)

    def lower_threshold(self, op: df.ThresholdOp) -> None:
        c, pe = _int(op.channels), _int(op.pe)
        name = identifier(op.layer.data) if op.layer is not None else "threshold"
        lo, hi = bnn.value_range(op.input.type.element)
        thr_t = op.compare_type
        thresholds = self.threshold_rom(name, op.thresholds, c, pe, lo, hi, thr_t)  # type: ignore[arg-type]
        args: dict[str, Attribute | int] = {
            "InT": op.input.type.element, "OutT": op.output.type.element, "ThrT": thr_t,
            "CHANNELS": c, "PIXELS": _int(op.pixels), "PE": pe,
            "STEPS": op.thresholds.get_shape()[1], "OFFSET": _int(op.offset),
        }
        out = self.stream(op.output, self._name(op, "threshold"))
        self.instance("threshold", [self.streams[op.input]], [out], args, [thresholds], op.layer)

    def lower_label_select(self, op: df.LabelSelectOp) -> None:
        args: dict[str, Attribute | int] = {
            "InT": op.input.type.element, "OutT": op.output.type.element,
            "CLASSES": _int(op.classes), "PE": _int(op.pe), "K": _int(op.k),
        }
        out = self.stream(op.output, self._name(op, "label_select"))
        self.instance("label_select", [self.streams[op.input]], [out], args, [], op.layer)

    def lower_dwc(self, op: df.DwcOp) -> None:
        src, dst = op.input.type, op.output.type
        out = self.stream(op.output, self._name(op, "dwc"))
        if src.mmv.data == 1 and dst.mmv.data == 1:
            args: dict[str, Attribute | int] = {
                "ElemT": src.element, "IN_LANES": src.lanes.data, "OUT_LANES": dst.lanes.data,
                "WORDS_IN": src.words.data, "WORDS_OUT": dst.words.data,
            }
            self.instance("dwc", [self.streams[op.input]], [out], args, [], op.layer)
            return
        pixels = _int(op.pixels)  # type: ignore[arg-type]
        args = {
            "ElemT": src.element, "IN_LANES": src.lanes.data, "IN_MMV": src.mmv.data,
            "OUT_LANES": dst.lanes.data, "OUT_MMV": dst.mmv.data, "PIXELS": pixels,
            "VECTOR": src.elements // pixels, "GROUP": math.lcm(src.mmv.data, dst.mmv.data),
        }
        self.instance("dwc_pixels", [self.streams[op.input]], [out], args, [], op.layer)


def port_op(name: str, direction: str, stream: df.StreamType) -> hls.PortOp:
    """An AXI-stream port carrying frames of `stream`'s elements."""
    return hls.PortOp.build(
        properties={
            "port_name": StringAttr(name), "direction": StringAttr(direction),
            "element": stream.element, "elements": _i(stream.elements),
        },
        result_types=[hls.AxisType(AXI_WORD_BITS)],
    )


def boundary_args(stream: df.StreamType) -> dict[str, Attribute | int]:
    return {"ElemT": stream.element, "ELEMENTS": stream.elements, "LANES": stream.lanes.data}


def boundary_instance(template: str, source: SSAValue, target: SSAValue, stream: df.StreamType) -> hls.InstanceOp:
    """A converter between the words of `stream` and the AXI port (`axi_to_stream` or
    `stream_to_axi`), reading `source` and writing `target`."""
    args = {k: _i(v) if isinstance(v, int) else v for k, v in boundary_args(stream).items()}
    return hls.InstanceOp.build(
        operands=[[source, target]],
        properties={"template": StringAttr(template), "args": DictionaryAttr(args), "roms": ArrayAttr([])},
    )


def _words_attr(words: np.ndarray):
    from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr, TensorType

    from bnnc.semantics.packing import ui64

    data = np.ascontiguousarray(words, dtype="<u8")
    return DenseIntOrFPElementsAttr(TensorType(ui64, data.shape), BytesAttr(data.tobytes()))


def _reshape_words(attr, shape: tuple[int, ...]):
    """Packed rows (R, words) → contents of shape `shape` + [words], R = product(shape)."""
    words = np.frombuffer(attr.data.data, dtype="<u8").reshape(*shape, attr.get_shape()[1])
    return _words_attr(words)


def lower_graph(graph: df.GraphOp) -> hls.TopOp:
    prepare_graph(graph)  # the widths and storages this lowering prints (a no-op once prepared)
    target = df.target_of(graph)
    block = Block()
    builder = _TopBuilder(graph, block)
    for op in graph.body.block.ops:
        builder.lower(op)
    for op in block.ops:
        if isinstance(op, hls.StreamOp):
            op.attributes.pop("bnnc.sized", None)
    return hls.TopOp.build(
        properties={
            "sym_name": graph.sym_name,
            "part": target.part,
            "clock_mhz": target.clock_mhz,
        },
        regions=[Region(block)],
    )


@dataclass(frozen=True)
class LowerDataflowToHlsPass(ModulePass):
    """Lower every `df.graph` to an `hls.top` and every `df.invoke` to `hls.invoke`."""

    name = "lower-dataflow-to-hls"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for graph in [g for g in op.ops if isinstance(g, df.GraphOp)]:
            Rewriter.replace_op(graph, lower_graph(graph), [])
        for invoke in [o for o in op.walk() if isinstance(o, df.InvokeOp)]:
            if not isinstance(SymbolTable.lookup_symbol(invoke, invoke.callee), hls.TopOp):
                raise BnncError(f"lower-dataflow-to-hls: df.invoke calls {invoke.callee}, which is not lowered")
            new = hls.InvokeOp.build(
                operands=[list(invoke.inputs)],
                result_types=[[r.type for r in invoke.outputs]],
                properties={"callee": invoke.callee},
                attributes=dict(invoke.attributes),
            )
            Rewriter.replace_op(invoke, new)
