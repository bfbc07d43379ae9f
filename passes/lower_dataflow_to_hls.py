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

Each engine's instance is its op's (`df.EngineOp.hls_instance`: the template, its arguments and
its memories in their layouts, thresholds clamped to [lo, hi + 1] of the value they compare);
this pass only names and places them.
The accumulator, threshold and comparison types and the weights' storage are what
`prepare-for-emission` recorded on the engines (the lowering prepares a graph that is not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bnnc.dialects import df, hls
from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DictionaryAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    SymbolRefAttr,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter
from xdsl.traits import SymbolTable

from bnnc.dialects.df.emission import HlsRom
from bnnc.errors import BnncError
from bnnc.passes.prepare_for_emission import prepare_graph
from bnnc.semantics.packing import AXI_WORD_BITS

DEFAULT_STREAM_DEPTH = 2


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _i(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)


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

    def rom(self, name: str, element: IntegerType, shape: tuple[int, ...], codes: Attribute,
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
            df.InputOp: self.lower_boundary_in, df.OutputOp: self.lower_boundary_out, df.FifoOp: self.lower_fifo,
        }.get(type(op), self.lower_engine if isinstance(op, df.EngineOp) else None)
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

    def lower_engine(self, op: df.EngineOp) -> None:
        """The engine's template instance (`df.EngineOp.hls_instance`), its memories named
        after its layer (or its kind) and its output stream."""
        inst = op.hls_instance()
        layer = op.properties.get("layer")
        base = identifier(layer.data) if isinstance(layer, StringAttr) else inst.kind

        def rom(spec: HlsRom) -> SymbolRefAttr:
            return self.rom(f"{base}_{spec.suffix}", spec.element, spec.shape, spec.contents, spec.storage,
                            spec.partition)

        # the first memory, the output stream, the other memories: the order of bnnc's hls IR
        symbols = [rom(spec) for spec in inst.roms[:1]]
        out = self.stream(op.results[0], self._name(op, inst.kind))
        symbols += [rom(spec) for spec in inst.roms[1:]]
        self.instance(inst.template, [self.streams[op.operands[0]]], [out], inst.args, symbols,
                      layer if isinstance(layer, StringAttr) else None)


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
