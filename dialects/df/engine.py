"""The engine interface: what every `df` engine answers for itself."""

from __future__ import annotations

from abc import ABC
from typing import ClassVar

import numpy as np

from xdsl.ir import Attribute
from xdsl.irdl import IRDLOperation
from xdsl.utils.exceptions import VerifyException

from bnnc.devices import Device
from bnnc.errors import BnncError
from bnnc.dialects.df.checks import _stream, _int, _check_stream, _i64, _detached_value
from bnnc.dialects.df.emission import HlsInstance, HlsTemplate, VerilogInstance
from bnnc.dialects.df.resources import Cost, FabricTable
from bnnc.dialects.df.types import StreamType, Fold, divisors
from bnnc.semantics.schedules import WordPlan, buffered


class EngineOp(IRDLOperation, ABC):
    """What every `df` engine answers for itself, so that no one else derives it: the parameters
    folding sets and what each must divide (`fold_extents`), whether a folding is legal
    (`fold_problems`) and every legal one (`legal_folds`), the streams it reads and writes at
    its folding (`input_type`, `output_type`), a copy at another folding (`refolded`), and its
    parameter memories in the hardware's layout (`memories`), its cycles a frame (`cycles`), its
    cycles and resources on a board (`cost`), its pipeline depth (`pipeline_depth`) and the
    cycles of its word handshakes (`word_plan`, `word_schedule`). The verifier checks the op's own
    folding and streams through the same methods; the folding problem, `refold`, the cost and
    FIFO models, the executors and both emitters ask these.

    Most engines read one stream and write one (`input_type`, `output_type`); an engine with
    several (a fork's outputs, a join's inputs) answers `input_types`/`output_types`, one stream
    an operand or result, and the graph-level code (the `df` executor, the FIFO model,
    `refold`, `insert-streams`) asks those. `EMITTED` is False for an engine whose HLS template
    and Verilog module do not exist yet: its `hls_instance` and `verilog_instance` raise a
    `BnncError` saying so.
    """

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ()
    """The folding parameters the engine has, among `pe`, `simd` and `mmv`."""
    HLS_TEMPLATES: ClassVar[dict[str, HlsTemplate]] = {}
    """The signatures of the HLS library's templates the engine instantiates (`hls_instance`)."""
    EMITTED: ClassVar[bool] = True
    """Whether the engine has its HLS template and Verilog module (see the class docstring)."""

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        """Per folding parameter, the number it must divide and how a message names it with its
        verb ("MH = 10 is", "64 channels are")."""
        return {}

    def fold(self) -> Fold:
        """The engine's folding (1 for the parameters it does not have)."""
        return Fold(**{key: _int(getattr(self, key)) for key in self.FOLD_PARAMETERS})

    def fold_problems(self, fold: Fold) -> list[str]:
        """Why `fold` does not fit this engine (empty when it does); other parameters ignored."""
        problems = []
        for key, (extent, noun) in self.fold_extents().items():
            value = getattr(fold, key)
            if value < 1:
                problems.append(f"{key.upper()} must be positive, got {value}")
            elif extent % value:
                problems.append(f"{noun} not divisible by {key.upper()} = {value}")
        return problems

    def legal_folds(self) -> list[Fold]:
        """Every folding of this engine's own parameters, in (pe, simd, mmv) order."""
        extents = self.fold_extents()
        folds = [Fold()]
        for key in ("pe", "simd", "mmv"):
            if key in extents:
                folds = [Fold(**{**f.as_dict(), key: d}) for f in folds for d in divisors(extents[key][0])]
        return folds

    def input_type(self, element: Attribute) -> StreamType:
        """The stream of `element`s the engine reads at its folding."""
        raise NotImplementedError(self.name)

    def output_type(self, element: Attribute) -> StreamType:
        """The stream of `element`s the engine writes at its folding."""
        raise NotImplementedError(self.name)

    def input_types(self, elements: list[Attribute]) -> list[StreamType]:
        """The streams the engine reads at its folding, one an operand, given their elements:
        `input_type` of the one input unless the engine has several (a join)."""
        return [self.input_type(elements[0])]

    def output_types(self, elements: list[Attribute]) -> list[StreamType]:
        """The streams the engine writes at its folding, one a result (a fork has several)."""
        return [self.output_type(elements[0])]

    def set_fold(self, fold: Fold) -> None:
        """Set the folding parameters in place (the streams are `refold`'s to retype)."""
        for key in self.FOLD_PARAMETERS:
            self.properties[key] = _i64(getattr(fold, key))

    def refolded(self, fold: Fold, shell: EngineOp | None = None) -> EngineOp:
        """A detached copy at another folding, with streams to match, to cost it. `shell`, a
        detached copy of this op (`detached`), computes the streams; pass the same shell for
        every fold of an engine (building ops is most of a folding search's time)."""
        shell = shell if shell is not None else self.detached()
        shell.set_fold(fold)
        reads = shell.input_types([_stream(v).element for v in self.operands])
        writes = shell.output_types([_stream(r).element for r in self.results])
        return type(self).create(operands=[_detached_value(t) for t in reads], result_types=writes,
                                 properties=dict(shell.properties))

    def detached(self) -> EngineOp:
        """A copy reading fresh block arguments, so that it leaves no use on the graph."""
        return type(self).create(operands=[_detached_value(v.type) for v in self.operands],
                                 result_types=[r.type for r in self.results], properties=dict(self.properties))

    def memories(self) -> dict[str, object]:
        """The parameter memories (name → array in the hardware's layout); none by default."""
        return {}

    def frame_vectors(self) -> int | None:
        """The vectors a frame of an engine that computes one output vector per output pixel
        (a weighted layer's `vectors`): the pixels of its multi-pixel output stream, which the
        folding's converters regroup. None for the others, whose pixels come from their shape."""
        return None

    def cycles(self) -> int:
        """Cycles a frame at the engine's pace, the cost model's formula (derived in `cost`)."""
        raise NotImplementedError(self.name)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """Cycles a frame and resources (LUT, FF, BRAM18, DSP) on `device`, whose fabric
        family's constants are `fabric` (`bnnc.analysis.fabric_costs`): estimates of the
        engine's Verilog module, calibrated against Yosys."""
        raise NotImplementedError(self.name)

    def pipeline_depth(self) -> int:
        """Cycles from reading the input word that completes an output word to writing it: one
        output register unless the engine says otherwise."""
        return 1

    def word_plan(self, frames: int) -> WordPlan | None:
        """The dependencies of the engine's reads and writes over `frames` frames, as its
        Verilog module handshakes (`bnnc.semantics.schedules.buffered`); None for an engine
        that schedules itself (`word_schedule`)."""
        raise NotImplementedError(f"{self.name}: no word schedule (a FIFO is an edge of the model)")

    def word_schedule(self, arrival: np.ndarray, room: np.ndarray, frames: int,
                      plan: WordPlan | None) -> tuple[np.ndarray, np.ndarray]:
        """The cycles of the engine's reads and writes, given when each input word arrives and
        from when each output word has room; `plan` is `word_plan(frames)`, built once."""
        assert plan is not None
        return buffered(arrival, room, plan)

    def execute(self, x: np.ndarray) -> np.ndarray:
        """The engine's semantics word by word (the `df` executor's): input words (N, words,
        lanes) of element codes (bits as 0/1 for bipolar streams, integers otherwise) for N frames,
        to the output words, each in its hardware order. An engine of several inputs takes one
        array an input (`execute(a, b)`); one of several outputs returns a tuple, one a result."""
        raise NotImplementedError(self.name)

    def hls_instance(self) -> HlsInstance:
        """The instance of the HLS library's template that implements the engine (its arguments
        and memories), which `lower-dataflow-to-hls` prints."""
        raise NotImplementedError(self.name)

    def verilog_instance(self, name: str) -> VerilogInstance:
        """The instance of the Verilog library's module that implements the engine (its
        parameters and the `.mem` files named after `name`), which the Verilog emitter prints."""
        raise NotImplementedError(self.name)

    def verify_fold(self) -> None:
        """The verifier's check of the op's own folding: the interface's legality."""
        problems = self.fold_problems(self.fold())
        if problems:
            raise VerifyException(problems[0])

    def verify_streams(self) -> None:
        """The verifier's check of the op's streams against its parameters."""
        reads = [_stream(v) for v in self.operands]
        writes = [_stream(r) for r in self.results]
        for what, streams, expected in (
            ("input", reads, self.input_types([s.element for s in reads])),
            ("output", writes, self.output_types([s.element for s in writes])),
        ):
            for index, (stream, wanted) in enumerate(zip(streams, expected)):
                name = f"the {what} stream" if len(streams) == 1 else f"{what} stream {index}"
                _check_stream(name, stream, wanted)


def stream_numbers(x: np.ndarray, stream: StreamType) -> np.ndarray:
    """Element codes of `stream` as the numbers they stand for: bits as ±1 on a bipolar stream."""
    from bnnc.dialects.bnn import is_bipolar

    return 2 * x.astype(np.int64) - 1 if is_bipolar(stream.element) else x


def not_emitted(op: EngineOp, backend: str) -> BnncError:
    """The error of an engine without an HLS template or Verilog module yet (`EMITTED` False):
    the graph runs on the `df` executor, not on either backend."""
    return BnncError(
        f"{backend}: '{op.name}' has no {'HLS template' if backend.endswith('hls') else 'Verilog module'} "
        "yet, so a dataflow graph with forks, joins or a global pool (a residual network) cannot be "
        "emitted; the df level runs it (bnnc run --engine df), see docs/design.md, 'Residual "
        "networks at the df level'"
    )
