"""The `df` (dataflow) dialect: the network as a pipeline of streaming hardware engines.

A `df.graph` holds the accelerator: one engine per layer, linked by streams, as FINN builds it.
The host's part of the network stays in `func.func @main` (bnn ops) and calls the graph with
`df.invoke`, which packs a tensor into the graph's input stream and unpacks the output.

Streams carry frames word by word. `!df.stream<LANESxELEM, WORDS>` is a stream whose words hold
LANES elements of type ELEM (`!bnn.bipolar`, `siN`, `uiN`), WORDS words per frame. Element i of
a word sits at bits [i·w, (i+1)·w) (DESIGN.md, "Stream words"). Frames are NHWC, channels
innermost; a sliding window streams (ky, kx, c) per output pixel. A plain stream cuts that
element sequence into consecutive words. A multi-pixel stream, `!df.stream<L x ELEM, W, mmv = M>`,
carries M pixels side by side: word (g, f) holds, in lane (m, s), element f·(L/M) + s of pixel
g·M + m. Only the sliding window, the MVTU and width converters (which know the pixel count)
handle multi-pixel streams.

Every engine may carry the name of the `bnn` layer it implements (`layer`), which folding files
and reports use. Folding lives on the engines: an MVTU with MW inputs, MH outputs has PE processing elements and
SIMD lanes; output row r is computed by PE r mod PE at neuron fold r div PE. Convolution engines
also take MMV output pixels per cycle; a word then holds MMV pixels of SIMD (or PE) lanes each,
pixel-major.

The dialect is a folder, as CIRCT's are: its types and attributes (`types`), the graph and its
boundary (`graph`), the engine interface (`engine`), the verifiers' shared checks (`checks`), the
resource models every engine shares (`resources`), what an engine gives the emitters
(`emission`), and one module per engine op holding everything about that engine (its verifier, folding, streams,
memories, cycles, resources, word schedule, execution and what the emitters print). Every name
is re-exported here: `from bnnc.dialects.df import MvtuOp`.
"""

from __future__ import annotations

from bnnc.dialects.df.dwc import DwcOp
from bnnc.dialects.df.engine import EngineOp
from bnnc.dialects.df.fifo import FifoOp
from bnnc.dialects.df.fork import ForkOp
from bnnc.dialects.df.global_pool import GlobalPoolOp
from bnnc.dialects.df.graph import GraphOp, InputOp, InvokeOp, OutputOp, target_of
from bnnc.dialects.df.join import JoinOp
from bnnc.dialects.df.label_select import LabelSelectOp
from bnnc.dialects.df.mvtu import MvtuOp
from bnnc.dialects.df.pool import PoolOp
from bnnc.dialects.df.swu import SwuOp
from bnnc.dialects.df.threshold import ThresholdOp
from bnnc.dialects.df.types import (
    STORAGES,
    Fold,
    StreamType,
    TargetAttr,
    divisors,
    stream_type,
    target_for,
)
from bnnc.dialects.df.vvtu import VvtuOp
from xdsl.ir import Dialect

__all__ = [
    "COMPUTE_ENGINES",
    "DF",
    "ENGINES",
    "STORAGES",
    "DwcOp",
    "EngineOp",
    "FifoOp",
    "Fold",
    "ForkOp",
    "GlobalPoolOp",
    "GraphOp",
    "InputOp",
    "InvokeOp",
    "JoinOp",
    "LabelSelectOp",
    "MvtuOp",
    "OutputOp",
    "PoolOp",
    "StreamType",
    "SwuOp",
    "TargetAttr",
    "ThresholdOp",
    "VvtuOp",
    "divisors",
    "stream_type",
    "target_for",
    "target_of",
]

ENGINES = (MvtuOp, SwuOp, PoolOp, ThresholdOp, LabelSelectOp, DwcOp, FifoOp, VvtuOp, ForkOp, JoinOp, GlobalPoolOp)
COMPUTE_ENGINES = (MvtuOp, SwuOp, PoolOp, ThresholdOp, LabelSelectOp, VvtuOp, JoinOp, GlobalPoolOp)
"""The engines that implement a layer and take a folding (converters and FIFOs do not)."""

DF = Dialect(
    "df",
    [GraphOp, InputOp, OutputOp, InvokeOp, MvtuOp, SwuOp, PoolOp, ThresholdOp, LabelSelectOp, DwcOp, FifoOp, VvtuOp,
     ForkOp, JoinOp, GlobalPoolOp],
    [StreamType, TargetAttr],
)
