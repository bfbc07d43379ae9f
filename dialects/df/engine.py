"""The engine interface: what every `df` engine answers for itself."""

from __future__ import annotations

from abc import ABC
from typing import ClassVar

from xdsl.ir import Attribute
from xdsl.irdl import IRDLOperation
from xdsl.utils.exceptions import VerifyException

from bnnc.dialects.df.types import StreamType, Fold, divisors
from bnnc.dialects.df.checks import _stream, _int, _check_stream, _i64, _detached_value


class EngineOp(IRDLOperation, ABC):
    """What every `df` engine answers for itself, so that no one else derives it: the parameters
    folding sets and what each must divide (`fold_extents`), whether a folding is legal
    (`fold_problems`) and every legal one (`legal_folds`), the streams it reads and writes at
    its folding (`input_type`, `output_type`), a copy at another folding (`refolded`), and its
    parameter memories in the hardware's layout (`memories`). The verifier checks the op's own
    folding and streams through the same methods; the folding problem, `refold`, the cost and
    FIFO models, the executors and both emitters ask these.
    """

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ()
    """The folding parameters the engine has, among `pe`, `simd` and `mmv`."""

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
        reads = shell.input_type(_stream(self.operands[0]).element)
        writes = shell.output_type(_stream(self.results[0]).element)
        return type(self).create(operands=[_detached_value(reads)], result_types=[writes],
                                 properties=dict(shell.properties))

    def detached(self) -> EngineOp:
        """A copy reading a fresh block argument, so that it leaves no use on the graph."""
        return type(self).create(operands=[_detached_value(self.operands[0].type)],
                                 result_types=[self.results[0].type], properties=dict(self.properties))

    def memories(self) -> dict[str, object]:
        """The parameter memories (name → array in the hardware's layout); none by default."""
        return {}

    def verify_fold(self) -> None:
        """The verifier's check of the op's own folding: the interface's legality."""
        problems = self.fold_problems(self.fold())
        if problems:
            raise VerifyException(problems[0])

    def verify_streams(self) -> None:
        """The verifier's check of the op's streams against its parameters."""
        in_s, out_s = _stream(self.operands[0]), _stream(self.results[0])
        _check_stream("the input stream", in_s, self.input_type(in_s.element))
        _check_stream("the output stream", out_s, self.output_type(out_s.element))
