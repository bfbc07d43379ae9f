"""The cost model against the published BNN-PYNQ foldings, the BRAM table and device files."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    StringAttr,
    TensorType,
    UnitAttr,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue

from bnnc.backends.report import ReportTarget
from bnnc.analysis.cost_model import (bram18_count, estimate_graph, memory_cost, mvtu_cost, node_cost,
                                      weight_memory_cost)
from bnnc import devices
from bnnc.devices import Device, known_devices, load_device
from bnnc.dialects import df
from bnnc.dialects.bnn import bipolar
from bnnc.errors import BnncError
from bnnc.semantics.packing import pack_rows

ZC706 = load_device("zc706")
si8 = IntegerType(8, Signedness.SIGNED)


def _i(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)


def _a(*values: int) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, values)


class Pipeline:
    """Builds a verified `df.graph` engine by engine, each reading the previous one's stream."""

    def __init__(self, shape: tuple[int, ...], element: Attribute, lanes: int):
        self.block = Block()
        self.graph = df.GraphOp.build(properties={"sym_name": StringAttr("net")}, regions=[Region(self.block)])
        self.value = self._add(df.InputOp, lanes, element, math.prod(shape), None, shape=_a(*shape)).results[0]

    def _add(self, cls: type[Operation], lanes: int, element: Attribute, elements: int,
             operand: SSAValue | None, **props: Attribute) -> Operation:
        stream = df.StreamType(element, lanes, elements // lanes)
        op = cls.build(operands=[] if operand is None else [operand], result_types=[stream], properties=props)
        self.block.add_op(op)
        return op

    def add(self, cls: type[Operation], lanes: int, element: Attribute | None = None,
            elements: int | None = None, **props: Attribute) -> Operation:
        t = self.value.type
        assert isinstance(t, df.StreamType)
        op = self._add(cls, lanes, element or t.element, elements or t.elements, self.value, **props)
        self.value = op.results[0]
        return op

    def lanes(self, lanes: int) -> None:
        """Insert a width converter unless the stream already has `lanes` lanes."""
        assert isinstance(self.value.type, df.StreamType)
        if self.value.type.lanes.data != lanes:
            self.add(df.DwcOp, lanes)

    def mvtu(self, mw: int, mh: int, pe: int, simd: int, vectors: int = 1, thresholds: bool = True) -> df.MvtuOp:
        self.lanes(simd)
        assert isinstance(self.value.type, df.StreamType)
        props: dict[str, Attribute] = {
            "mw": _i(mw), "mh": _i(mh), "pe": _i(pe), "simd": _i(simd), "vectors": _i(vectors),
            "weights": pack_rows(np.zeros((mh, mw), dtype=np.int64), 1), "weight_type": bipolar,
        }
        if self.value.type.element == bipolar:
            props["popcount"] = UnitAttr()
        if thresholds:
            raw = BytesAttr(np.zeros(mh, dtype="<i8").tobytes())
            props["thresholds"] = DenseIntOrFPElementsAttr(TensorType(i64, (mh, 1)), raw)
        out = bipolar if thresholds else i32
        op = self.add(df.MvtuOp, pe, out, vectors * mh, **props)
        assert isinstance(op, df.MvtuOp)
        return op

    def conv(self, dim: int, channels: int, mh: int, pe: int, simd: int) -> df.MvtuOp:
        """A 3x3, stride 1, unpadded convolution: sliding window, then MVTU."""
        self.lanes(simd)
        out = dim - 2
        self.add(df.SwuOp, simd, elements=out * out * 9 * channels, channels=_i(channels),
                 ifm=_a(dim, dim), ofm=_a(out, out), kernel=_a(3, 3), strides=_a(1, 1),
                 pads=_a(0, 0, 0, 0), simd=_i(simd))
        return self.mvtu(9 * channels, mh, pe, simd, vectors=out * out)

    def pool(self, dim: int, channels: int) -> None:
        """A 2x2, stride 2 max-pool at the stream's current width."""
        assert isinstance(self.value.type, df.StreamType)
        pe = self.value.type.lanes.data
        self.add(df.PoolOp, pe, elements=(dim // 2) ** 2 * channels, channels=_i(channels),
                 ifm=_a(dim, dim), ofm=_a(dim // 2, dim // 2), kernel=_a(2, 2), strides=_a(2, 2), pe=_i(pe))

    def finish(self, shape: tuple[int, ...]) -> df.GraphOp:
        self.block.add_op(df.OutputOp.build(operands=[self.value], properties={"shape": _a(*shape)}))
        self.graph.verify()
        return self.graph


# BNN-PYNQ CNV-w1a1 (REFERENCE.md, "A reference folding"): cycles per frame of conv0 ... fc8.
CNV_CYCLES = [32400, 28224, 20736, 28800, 20736, 18432, 32768, 32768, 8192]


def cnv() -> tuple[df.GraphOp, list[df.MvtuOp]]:
    p = Pipeline((32, 32, 3), si8, 3)
    layers = [p.conv(32, 3, 64, 16, 3), p.conv(30, 64, 64, 32, 32)]
    p.pool(28, 64)
    layers += [p.conv(14, 64, 128, 16, 32), p.conv(12, 128, 128, 16, 32)]
    p.pool(10, 128)
    layers += [p.conv(5, 128, 256, 4, 32), p.conv(3, 256, 256, 1, 32)]
    layers += [p.mvtu(256, 512, 1, 4), p.mvtu(512, 512, 1, 8)]
    layers.append(p.mvtu(512, 64, 4, 1, thresholds=False))  # fc8: 10 outputs padded to 64
    return p.finish((64,)), layers


def test_cnv_reference_folding_cycles():
    graph, layers = cnv()
    assert [mvtu_cost(op, ZC706).cycles for op in layers] == CNV_CYCLES
    est = estimate_graph(graph, ZC706, 200.0)
    assert est.total.cycles == 32768
    engines = [n for n in est.nodes if n.op is not None]  # not the AXI ports
    assert est.bottleneck == "#" + str(next(i for i, n in enumerate(engines) if n.op is layers[6]))
    # 200 MHz / 32,768 cycles = 6,103.5 FPS: REFERENCE.md's 6,104 is that value rounded.
    assert est.fps == 200e6 / 32768 and round(est.fps) == 6104 and math.floor(est.fps) == 6103
    assert est.latency_cycles == sum(n.cost.cycles for n in est.nodes)  # a linear pipeline


def test_cnv_weight_memories():
    _, layers = cnv()
    costs = [mvtu_cost(op, ZC706) for op in layers]
    # depth MW·MH/(PE·SIMD) x width PE·SIMD: conv0 36 x 48 and conv1 36 x 1024 fit LUTRAM;
    # conv2 144 x 512 -> soft logic, 3·512 LUTs (cheaper than 15 RAMB18 at memory_libmap's costs;
    # Yosys builds a 144 x 256 ROM from 1,632 LUT and no block RAM); conv3 288 x 512 ->
    # 1·⌈512/36⌉; conv4 2304 x 128 -> 5 rows of 2 RAMB36 in
    # 512 x 72 (Yosys: 9 RAMB36E1 at this shape); conv5 18432 x 32 -> 9 rows of 2 RAMB36 in 2K x 18;
    # fc6 32768 x 4 -> 4 RAMB36 in 32K x 1; fc7 32768 x 8 -> 8; fc8 8192 x 4 -> 1 RAMB36 (the layout
    # of least memory_libmap cost, `rom_block_layout`).
    assert [c.bram18 for c in costs] == [0, 0, 0, 15, 20, 36, 8, 16, 2]
    assert costs[0].lutram >= 48 and costs[1].lutram >= 1024


def test_lfc_reference_folding():
    p = Pipeline((832,), bipolar, 64)  # 784 inputs padded to 832
    layers = [p.mvtu(832, 1024, 32, 64), p.mvtu(1024, 1024, 64, 32), p.mvtu(1024, 1024, 32, 64)]
    layers.append(p.mvtu(1024, 64, 16, 8, thresholds=False))  # 10 outputs padded to 64
    est = estimate_graph(p.finish((64,)), ZC706, 200.0)
    assert [mvtu_cost(op, ZC706).cycles for op in layers] == [416, 512, 512, 512]
    assert est.total.cycles == 512 and est.fps == 390625.0


@pytest.mark.parametrize(
    ("depth", "width", "expected"),
    [
        (16384, 1, 1), (16385, 1, 2), (8192, 2, 1), (4096, 4, 1), (4097, 3, 2),
        (2048, 9, 1), (2048, 10, 2), (1024, 18, 1), (513, 36, 2), (512, 36, 1), (512, 72, 2),
    ],
)
def test_bram18_table(depth: int, width: int, expected: int):
    assert bram18_count(depth, width) == expected


def test_small_memories_go_to_lutram():
    assert memory_cost(128, 10) == (0, 20)
    assert memory_cost(129, 10) == (1, 0)


def _layer(pe: int, simd: int) -> df.MvtuOp:
    p = Pipeline((9 * 1152,), bipolar, simd)
    return p.mvtu(1152, 256, pe, simd, vectors=9)


def test_more_parallelism_costs_more_and_runs_faster():
    for simd in (8, 32):
        costs = [mvtu_cost(_layer(pe, simd), ZC706) for pe in (1, 2, 4, 8, 16, 32)]
        assert all(a.cycles > b.cycles for a, b in zip(costs, costs[1:]))
        assert all(a.lut < b.lut for a, b in zip(costs, costs[1:]))
    costs = [mvtu_cost(_layer(4, simd), ZC706) for simd in (1, 2, 4, 8, 16, 32)]
    assert all(a.cycles > b.cycles and a.lut < b.lut for a, b in zip(costs, costs[1:]))


def test_node_cost_rejects_non_engines():
    graph, _ = cnv()
    with pytest.raises(BnncError, match="no cost model for 'df.input'"):
        node_cost(graph.input_op(), ZC706)


def test_report_prints_without_changing_the_ir():
    graph, _ = cnv()
    module = ModuleOp([graph])
    before = str(module)
    out = io.StringIO()
    ReportTarget(format="json").emit(Context(), module, out)
    assert str(module) == before
    (data,) = json.loads(out.getvalue())["graphs"]
    assert data["total"]["cycles"] == 32768 and data["latency_cycles"] > 32768
    with pytest.raises(BnncError, match="unknown format 'html'"):
        ReportTarget(format="html").emit(Context(), module, io.StringIO())


# --------------------------------------------------------------------------------------------
# Devices


def test_zc706():
    assert "zc706" in known_devices()
    d = ZC706
    assert (d.part, d.board_part) == ("xc7z045ffg900-2", "xilinx.com:zc706:part0:1.4")
    assert (d.lut, d.ff, d.bram36, d.bram18, d.lutram, d.dsp) == (218600, 437200, 545, 1090, 70400, 900)
    assert (d.clock_mhz, d.ps, d.hp_port_bits) == (200.0, "ps7", 64)


def test_unknown_board_lists_the_known_ones():
    with pytest.raises(BnncError, match=r"unknown board 'zc7060'; known boards: .*zc706"):
        load_device("zc7060")


def _board_file(tmp_path: Path, **changes: object) -> Path:
    data = json.loads(Path(devices.__file__).with_name("zc706.json").read_text())
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    path = tmp_path / "board.json"
    path.write_text(json.dumps(data))
    return path


def test_a_board_is_a_file(tmp_path: Path):
    device = load_device(_board_file(tmp_path, name="mine", lut=1000))
    assert isinstance(device, Device) and (device.name, device.lut) == ("mine", 1000)
    assert load_device(str(_board_file(tmp_path))).lut == 218600


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lut": None}, "missing field 'lut'"),
        ({"lut": "many"}, "field 'lut' must be a positive integer, got 'many'"),
        ({"bram36": 0}, "field 'bram36' must be a positive integer"),
        ({"clock_mhz": -1}, "field 'clock_mhz' must be a positive number"),
        ({"part": ""}, "field 'part' must be a non-empty string"),
        ({"luts": 5}, "unknown field 'luts'"),
    ],
)
def test_malformed_board_files(tmp_path: Path, changes: dict[str, object], message: str):
    path = _board_file(tmp_path, **changes)
    with pytest.raises(BnncError, match=f"{path}: {message}"):
        load_device(path)


def test_board_file_that_is_not_json(tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_text("{ lut: 1 }")
    with pytest.raises(BnncError, match="broken.json: not valid JSON"):
        load_device(path)
    with pytest.raises(BnncError, match="cannot read the device file"):
        load_device(tmp_path / "absent.json")


def test_weight_rom_layout_follows_yosys():
    """The weight ROM's block RAMs as Yosys lays them out (`rom_block_layout`): LFC's 4,096 x 256
    layers are one row of 29 RAMB36 in 4K x 9 (Yosys: 29 RAMB36E1, 877 LUT for the layer), with
    no row multiplexer; CNV conv4's 2,304 x 128 is five rows of two 512 x 72 RAMB36, read
    through a 5-way multiplexer, 2 LUTs a bit (Yosys: 9 RAMB36E1, 728 LUT for the layer); a
    deep ROM's small remainder stays in distributed RAM (TFC fc0)."""
    from bnnc.analysis.fabric_costs import FABRICS
    from bnnc.dialects.df.resources import rom_block_layout

    xc7 = FABRICS["xc7"]
    assert rom_block_layout(4096, 256) == (58, 1)
    assert weight_memory_cost(4096, 256, xc7) == (58, 0, 0)
    assert rom_block_layout(2304, 128) == (20, 5)
    assert weight_memory_cost(2304, 128, xc7) == (20, 0, 256)
    assert weight_memory_cost(12544, 4, xc7) == (3, 32, 4)  # 3 RAMB18 and 8 RAM64M, not 4 RAMB18
    # one RAMB36 (cost 257) is chosen over two RAMB18s (2 x 129) of the same capacity
    assert rom_block_layout(8192, 4) == (2, 1)
    # a ROM that soft logic holds more cheaply: TFC's fc1 at PE 1, SIMD 1, 4,096 x 1, is 64 LUTs
    # (Yosys: 152 LUT for the layer and no block RAM)
    assert weight_memory_cost(4096, 1, xc7) == (0, 64, 0)
