"""The `hls` dialect: the accelerator as the C++ an HLS tool compiles.

One `hls.top` is the top function: its AXI-stream ports (`hls.port`), the streams between the
engines with their FIFO depths (`hls.stream`), the parameter memories (`hls.rom`) and one
`hls.instance` per call of a template of bnnc's HLS library, in dataflow order. Pragmas are
attributes of these ops (the stream's `depth`, the ROM's `storage` and `partition`, the ports'
interface), never ops of their own, and the `hls-cpp` target prints them without changing IR.

Values are word streams: `!hls.stream<W>` is `hls::stream<ap_uint<W>>`, `!hls.axis<W>` an
AXI-stream port of W-bit words with TLAST. Which element types a word holds, and how many, is
in the instance's template arguments; the words are exactly those of the `df` streams they come
from (DESIGN.md, "Stream words"), so the `df` executor defines what every stream must carry.

The host part of the network calls the accelerator with `hls.invoke`, as it calls a `df.graph`
with `df.invoke`: the input frame is packed into AXI words (`bnnc.semantics.packing.to_axi_words`), the
top runs, and the output words are unpacked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from bnnc.dialects.bnn import array_values, bit_width, is_bipolar, is_integer
from bnnc.dialects.df import ENGINES
from bnnc.dialects.df.emission import HlsTemplate, int_arg, type_bits
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FloatAttr,
    IntAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    SymbolNameConstraint,
    SymbolRefAttr,
    TensorType,
)
from xdsl.ir import Attribute, Dialect, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    lazy_traits_def,
    opt_prop_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.traits import (
    HasParent,
    IsolatedFromAbove,
    NoTerminator,
    SymbolOpInterface,
    SymbolTable,
)
from xdsl.utils.exceptions import VerifyException


class _WordType(ParametrizedAttribute, TypeAttribute):
    """A type of `width`-bit words, printed `<W>`."""

    width: IntAttr

    def __init__(self, width: int):
        super().__init__(IntAttr(width))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        with parser.in_angle_brackets():
            width = parser.parse_integer(allow_boolean=False, allow_negative=False)
        return (IntAttr(width),)

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<{self.width.data}>")

    def verify(self) -> None:
        if self.width.data < 1:
            raise VerifyException(f"{self.name} needs a positive width, got {self.width.data}")


@irdl_attr_definition
class StreamType(_WordType):
    """`hls::stream<ap_uint<W>>` between two engines."""

    name = "hls.stream"


@irdl_attr_definition
class AxisType(_WordType):
    """An AXI-stream port of W-bit words with TLAST at the end of every frame."""

    name = "hls.axis"


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise VerifyException(message)


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _expect_identifier(name: str, what: str) -> None:
    _expect(_IDENTIFIER.fullmatch(name) is not None, f"{what} '{name}' is not a C++ identifier")


# --------------------------------------------------------------------------------------------
# The template library's signatures


Template = HlsTemplate  # the signature of a template (`df.emission.HlsTemplate`)
AXI_WIDTH = 64


def _boundary_widths(into: bool):
    """axi_to_stream reads 64-bit AXI words and writes LANES elements; stream_to_axi the reverse."""
    def widths(args: dict[str, Attribute]) -> list[int]:
        words = [AXI_WIDTH, int_arg(args, "LANES") * type_bits(args, "ElemT")]
        return words if into else words[::-1]
    return widths


TEMPLATES: dict[str, Template] = {
    # AXI words (64 bits, whole elements each) <-> the words of the first / last df stream
    "axi_to_stream": Template(("ElemT", "ELEMENTS", "LANES"), _boundary_widths(True)),
    "stream_to_axi": Template(("ElemT", "ELEMENTS", "LANES"), _boundary_widths(False)),
    # every engine's own templates (`df.EngineOp.HLS_TEMPLATES`)
    **{name: template for engine in ENGINES for name, template in engine.HLS_TEMPLATES.items()},
}

STORAGES = ("bram", "lutram", "auto")
_BOUNDARY = ("axi_to_stream", "stream_to_axi")


def stream_widths(template: str, args: dict[str, Attribute]) -> list[int]:
    """The word widths of the streams a template instance reads and writes, from its arguments."""
    return TEMPLATES[template].stream_widths(args)


def rom_shapes(template: str, args: dict[str, Attribute]) -> list[tuple[tuple[int, ...], int]]:
    """(shape, entry bits) of each ROM a template instance takes, from its arguments."""
    return TEMPLATES[template].rom_shapes(args)


# --------------------------------------------------------------------------------------------
# Ops


@irdl_op_definition
class TopOp(IRDLOperation):
    """The top function: a DATAFLOW region of ports, streams, ROMs and instances.

    `part` and `clock_mhz` are what the HLS project is synthesized for; every instance also
    receives the number of frames to process, an AXI-lite register of the top.
    """

    name = "hls.top"
    sym_name = prop_def(SymbolNameConstraint())
    part = prop_def(StringAttr)
    clock_mhz = prop_def(FloatAttr)
    body = region_def("single_block")
    traits = traits_def(SymbolOpInterface(), SymbolTable(), IsolatedFromAbove(), NoTerminator())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$sym_name attr-dict-with-keyword $body"

    def verify_(self) -> None:
        _expect(self.clock_mhz.value.data > 0, "the clock must be positive")
        ports = [op for op in self.body.block.ops if isinstance(op, PortOp)]
        directions = sorted(op.direction.data for op in ports)
        _expect(directions == ["in", "out"], f"a top needs one input and one output port, has {directions}")
        for op in self.body.block.ops:
            _expect(
                isinstance(op, PortOp | StreamOp | RomOp | InstanceOp),
                f"'{op.name}' is not allowed in hls.top",
            )
        names = [op.port_name.data if isinstance(op, PortOp) else op.stream_name.data
                 for op in self.body.block.ops if isinstance(op, PortOp | StreamOp)]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        _expect(not duplicates, f"stream and port names repeat: {', '.join(duplicates)}")
        readers: dict[object, int] = {}
        writers: dict[object, int] = {}
        for op in self.body.block.ops:
            if isinstance(op, InstanceOp):
                reads = TEMPLATES[op.template.data].reads
                for i, v in enumerate(op.streams):
                    (readers if i < reads else writers)[v] = (readers if i < reads else writers).get(v, 0) + 1
        for op in self.body.block.ops:
            if isinstance(op, PortOp | StreamOp):
                value, what = op.results[0], op.describe()
                r, w = readers.get(value, 0), writers.get(value, 0)
                if isinstance(op, PortOp):
                    expected = (1, 0) if op.direction.data == "in" else (0, 1)
                else:
                    expected = (1, 1)
                _expect(
                    (r, w) == expected,
                    f"{what} is read {r} and written {w} time(s); expected {expected[0]} and {expected[1]}",
                )

    def port(self, direction: str) -> PortOp:
        return next(op for op in self.body.block.ops if isinstance(op, PortOp) and op.direction.data == direction)


@irdl_op_definition
class PortOp(IRDLOperation):
    """An AXI-stream port of the top (`#pragma HLS INTERFACE axis`).

    A frame is `elements` values of type `element`, packed whole into the port's words
    (`bnnc.semantics.packing.to_axi_words`); TLAST marks a frame's last word.
    """

    name = "hls.port"
    port_name = prop_def(StringAttr)
    direction = prop_def(StringAttr)
    element = prop_def(TypeAttribute)
    elements = prop_def(IntegerAttr)
    port = result_def(AxisType)
    traits = lazy_traits_def(lambda: (HasParent(TopOp),))
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$port_name attr-dict `:` type($port)"

    def verify_(self) -> None:
        _expect_identifier(self.port_name.data, "port name")
        _expect(self.direction.data in ("in", "out"), f"a port is 'in' or 'out', got '{self.direction.data}'")
        _expect(is_bipolar(self.element) or is_integer(self.element), f"port elements must be bipolar or integers, got {self.element}")
        _expect(bit_width(self.element) <= self.port.type.width.data,
                f"{self.element} does not fit a {self.port.type.width.data}-bit AXI word")
        _expect(_int(self.elements) >= 1, "a frame has at least one element")

    def describe(self) -> str:
        return f"port '{self.port_name.data}'"


@irdl_op_definition
class StreamOp(IRDLOperation):
    """A stream between two instances, a FIFO of `depth` words (`#pragma HLS STREAM`)."""

    name = "hls.stream"
    stream_name = prop_def(StringAttr)
    depth = prop_def(IntegerAttr)
    stream = result_def(StreamType)
    traits = lazy_traits_def(lambda: (HasParent(TopOp),))
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$stream_name attr-dict `:` type($stream)"

    def verify_(self) -> None:
        _expect_identifier(self.stream_name.data, "stream name")
        _expect(_int(self.depth) >= 1, f"stream '{self.stream_name.data}' needs a positive depth")

    def describe(self) -> str:
        return f"stream '{self.stream_name.data}'"


@irdl_op_definition
class RomOp(IRDLOperation):
    """A parameter memory: an array of `shape` entries of type `element` (uiN or siN).

    `contents` holds the entries as 64-bit words, least significant word first, in a tensor of
    shape `shape` + [words per entry]; signed entries are two's complement in their N bits.
    `storage` picks BRAM or LUTRAM (`#pragma HLS BIND_STORAGE`, `RESOURCE` for Vivado HLS);
    `partition` lists the dimensions split into separate memories (`ARRAY_PARTITION complete`),
    one per processing element for weights.
    """

    name = "hls.rom"
    sym_name = prop_def(SymbolNameConstraint())
    element = prop_def(IntegerType)
    shape = prop_def(DenseArrayBase)
    contents = prop_def(DenseIntOrFPElementsAttr)
    storage = prop_def(StringAttr)
    partition = prop_def(DenseArrayBase)
    traits = lazy_traits_def(lambda: (HasParent(TopOp), SymbolOpInterface()))
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$sym_name attr-dict"

    def verify_(self) -> None:
        shape = array_values(self.shape)
        _expect(bool(shape) and min(shape) >= 1, f"a ROM needs positive dimensions, got {list(shape)}")
        _expect(self.storage.data in STORAGES, f"storage must be one of {', '.join(STORAGES)}, got '{self.storage.data}'")
        words = -(-self.element.width.data // 64)
        content_type = self.contents.type
        _expect(
            isinstance(content_type, TensorType)
            and isinstance(content_type.element_type, IntegerType)
            and content_type.element_type.width.data == 64,
            "ROM contents must be a tensor of 64-bit words",
        )
        expected = [*shape, words]
        _expect(
            list(self.contents.get_shape()) == expected,
            f"ROM contents have shape {list(self.contents.get_shape())}, expected {expected}",
        )
        _expect_identifier(self.sym_name.data, "ROM name")
        partition = array_values(self.partition)
        _expect(len(set(partition)) == len(partition), f"partition dimensions repeat: {list(partition)}")
        for dim in partition:
            _expect(0 <= dim < len(shape), f"partition dimension {dim} is outside the ROM's {len(shape)} dimensions")
        spare = words * 64 - self.element.width.data
        if spare:
            top_words = np.frombuffer(self.contents.data.data, dtype="<u8").reshape(-1, words)[:, -1]
            _expect(not bool((top_words >> np.uint64(64 - spare)).any()),
                    f"ROM entries do not fit {self.element.width.data} bits")

    @property
    def dims(self) -> tuple[int, ...]:
        return tuple(array_values(self.shape))


@irdl_op_definition
class InstanceOp(IRDLOperation):
    """A call of a library template: `template<args>(streams..., roms..., frames)`."""

    name = "hls.instance"
    template = prop_def(StringAttr)
    args = prop_def(DictionaryAttr)
    roms = prop_def(ArrayAttr[SymbolRefAttr], default_value=ArrayAttr(()))
    layer = opt_prop_def(StringAttr)
    streams = var_operand_def()
    traits = lazy_traits_def(lambda: (HasParent(TopOp),))
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$template `(` $streams `)` attr-dict `:` type($streams)"

    def verify_(self) -> None:
        name = self.template.data
        template = TEMPLATES.get(name)
        _expect(template is not None, f"unknown template '{name}'; the library has {', '.join(sorted(TEMPLATES))}")
        assert template is not None
        given = set(self.args.data)
        missing, extra = [p for p in template.params if p not in given], sorted(given - set(template.params))
        _expect(not missing and not extra, f"'{name}' takes {', '.join(template.params)}; missing {missing}, unknown {extra}")
        for param in template.params:
            value = self.args.data[param]
            if Template.is_type_param(param):
                _expect(
                    is_bipolar(value) or is_integer(value),
                    f"'{name}' argument {param} must be an element type, got {value}",
                )
            else:
                _expect(isinstance(value, IntegerAttr), f"'{name}' argument {param} must be an integer, got {value}")
        count = template.reads + template.writes
        _expect(
            len(self.streams) == count,
            f"'{name}' takes {count} streams ({template.reads} read, then {template.writes} written), got {len(self.streams)}",
        )
        _expect(len(self.roms) == len(template.roms), f"'{name}' takes the ROMs {list(template.roms)}, got {len(self.roms)}")
        widths = stream_widths(name, self.args.data)
        for i, (value, width) in enumerate(zip(self.streams, widths, strict=True)):
            kind = AxisType if name in _BOUNDARY and (i == 0) == (name == "axi_to_stream") else StreamType
            _expect(
                isinstance(value.type, kind) and value.type.width.data == width,
                f"'{name}' {'reads' if i < template.reads else 'writes'} {kind.name}<{width}> here "
                f"(from its arguments), got {value.type}",
            )
            owner = value.owner
            if isinstance(owner, PortOp):
                _expect(
                    _int(owner.elements) == self.int_arg("ELEMENTS") and owner.element == self.arg("ElemT"),
                    f"'{name}' moves frames of {self.int_arg('ELEMENTS')} x {self.arg('ElemT')}, but "
                    f"{owner.describe()} carries {_int(owner.elements)} x {owner.element}",
                )
        top = self.parent_op()
        for ref, (shape, bits) in zip(self.roms, rom_shapes(name, self.args.data), strict=True):
            rom = SymbolTable.lookup_symbol(top, ref) if top is not None else None
            _expect(isinstance(rom, RomOp), f"'{name}' refers to {ref}, which is not an hls.rom of this top")
            assert isinstance(rom, RomOp)
            _expect(
                rom.dims == shape and rom.element.width.data == bits,
                f"'{name}' needs {ref} of {list(shape)} entries of {bits} bits (from its arguments), "
                f"got {list(rom.dims)} of {rom.element.width.data}",
            )

    def arg(self, name: str) -> Attribute:
        return self.args.data[name]

    def int_arg(self, name: str) -> int:
        value = self.args.data[name]
        assert isinstance(value, IntegerAttr)
        return _int(value)

    @property
    def inputs(self):
        return self.streams[: TEMPLATES[self.template.data].reads]

    @property
    def outputs(self):
        return self.streams[TEMPLATES[self.template.data].reads :]


@irdl_op_definition
class InvokeOp(IRDLOperation):
    """Run an `hls.top` on a batch tensor from the host, as `df.invoke` runs a `df.graph`."""

    name = "hls.invoke"
    callee = prop_def(SymbolRefAttr)
    inputs = var_operand_def(TensorType)
    outputs = var_result_def(TensorType)
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$callee `(` $inputs `)` attr-dict `:` functional-type($inputs, $outputs)"

    def verify_(self) -> None:
        top = SymbolTable.lookup_symbol(self, self.callee)
        _expect(isinstance(top, TopOp), f"no hls.top named {self.callee}")
        _expect(len(self.inputs) == 1 and len(self.outputs) == 1, "a top takes one tensor and gives one")
        assert isinstance(top, TopOp)
        for tensor, port in ((self.inputs[0].type, top.port("in")), (self.outputs[0].type, top.port("out"))):
            element = tensor.element_type  # type: ignore[attr-defined]
            _expect(
                is_bipolar(element) == is_bipolar(port.element) and (is_bipolar(element) or is_integer(element)),
                f"the tensor's elements {element} do not match {port.describe()}'s {port.element}",
            )
            _expect(tensor.get_num_dims() >= 2, f"{tensor} has no batch dimension (dimension 0 is the batch)")  # type: ignore[attr-defined]
            elements = math.prod(tensor.get_shape()[1:])  # type: ignore[attr-defined]
            _expect(
                elements == _int(port.elements),
                f"the tensor {tensor} does not hold one frame of {port.describe()} ({_int(port.elements)} elements)",
            )


HLS = Dialect(
    "hls",
    [TopOp, PortOp, StreamOp, RomOp, InstanceOp, InvokeOp],
    [StreamType, AxisType],
)
