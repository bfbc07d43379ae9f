"""Run the accelerator of this build on the board, from Python (PYNQ).

    from bnnc_driver import Accelerator        # from the zc706/ directory of the build
    accelerator = Accelerator()                # loads bnnc.bit (and bnnc.hwh) next to it
    scores = accelerator.run(images)           # a batch shaped like the model's input
    print(accelerator.timing)                  # seconds and frames per second of the last run

Shipped verbatim by bnnc as `zc706/bnnc_driver/__init__.py`, with `packing.py` (the AXI word
packing of `bnnc.semantics.packing`, the code the C and RTL simulations use), `host.py` (the host's ops)
and `accelerator.json` (this accelerator's ports, host steps, cells and registers). The board
needs PYNQ and numpy, not bnnc.

A batch goes through the host's input steps, is packed into 64-bit AXI words, and crosses the
DMA in chunks that fit one transfer of its length register (`max_transfer_bytes`): the
accelerator's `frames` register is set to the chunk's frames and it is started, the DMA's
write channel is armed for the chunk's output, then its read channel sends the chunk's input.
The DMA is in simple mode (Xilinx PG021): a transfer is one AXI-stream packet, its read
channel puts TLAST on the last word, its write channel ends a receive at the first TLAST. So
the accelerator puts TLAST once a chunk, on the last word of the last of `frames` frames, and
one receive takes a whole chunk (docs/design.md, "The board's I/O"). The driver waits for
both channels with a deadline and checks the received length and the channels' error bits,
so a mismatch is an exception, never a hang; then it unpacks the words and runs the host's
output steps.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from .host import model_input, model_output, run_steps
from .packing import from_axi_words, to_axi_words

HERE = Path(__file__).resolve().parent
# The AXI-lite registers of a Vivado HLS / Vitis HLS top (`s_axilite port=return`).
AP_CTRL = 0x00
AP_START, AP_IDLE = 0x1, 0x4
IDLE_TIMEOUT_S = 10.0
# A chunk's deadline: IDLE_TIMEOUT_S plus this per byte moved (a DMA at 10 MB/s; the ZC706's
# HP port moves ~1 GB/s), generous enough that only a stalled transfer reaches it.
TIMEOUT_S_PER_BYTE = 1e-7


class Accelerator:
    """The accelerator on the board: `run` for model inputs, `run_words` for AXI words.

    On the board, give nothing (or `bitfile`): the overlay is loaded with PYNQ and its DMA,
    accelerator and `pynq.allocate` are used. Elsewhere, give `dma` (an object with PYNQ's
    `sendchannel`/`recvchannel` API), `control` (`read(offset)`/`write(offset, value)`) and
    `allocate` (`allocate(shape, dtype)`), e.g. a simulator in place of the hardware.
    """

    def __init__(self, bitfile: str | Path | None = None, *, dma=None, control=None, allocate=None,
                 config: str | Path = HERE / "accelerator.json"):
        self.config = json.loads(Path(config).read_text())
        if dma is None:
            from pynq import Overlay
            from pynq import allocate as pynq_allocate

            self.overlay = Overlay(str(bitfile or HERE.parent / self.config["bitfile"]))
            dma = getattr(self.overlay, self.config["cells"]["dma"])
            control = getattr(self.overlay, self.config["cells"]["accelerator"])
            allocate = pynq_allocate
        if control is None or allocate is None:
            raise ValueError("give the accelerator's control registers and allocate with dma")
        self.dma, self.control, self.allocate = dma, control, allocate
        self.input, self.output = self.config["input"], self.config["output"]
        self.buffers: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.timing: dict[str, float] = {}

    # -- packing -----------------------------------------------------------------------------

    def pack(self, x: np.ndarray) -> np.ndarray:
        """The accelerator's input values (after the host's input steps) → (N, words) uint64."""
        if x.ndim == 4:
            x = x.transpose(0, 2, 3, 1)  # NCHW tensor -> NHWC stream order
        return to_axi_words(x.reshape(x.shape[0], -1), self.input["bits"])

    def unpack(self, words: np.ndarray) -> np.ndarray:
        """(N, words) output words → the accelerator's output values, shaped as in the model."""
        out = self.output
        y = from_axi_words(words, out["elements"], out["bits"], out["signed"])
        shape = out["shape"]
        if len(shape) == 4:
            _, c, h, w = shape
            y = y.reshape(-1, h, w, c).transpose(0, 3, 1, 2)
        y = y.reshape((-1, *shape[1:]))
        return y.astype(np.uint8) if out["element"] == "bipolar" else y

    # -- running -----------------------------------------------------------------------------

    def run(self, x: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """The model's output for a batch shaped like its input, as `bnnc run` computes it."""
        x = np.asarray(x)
        expected = tuple(self.config["model_input"]["shape"][1:])
        if x.shape[1:] != expected:
            raise ValueError(f"input batch has shape {list(x.shape)}, expected [N, {', '.join(map(str, expected))}]")
        start = time.perf_counter()
        values = run_steps(model_input(x, self.config["model_input"]["element"]), self.config["pre"])
        words = self.pack(values)
        packed = time.perf_counter()
        out_words = self.run_words(words, batch_size)
        transferred = time.perf_counter()
        y = model_output(run_steps(self.unpack(out_words), self.config["post"]),
                         self.config["model_output"]["element"])
        self.timing.update(host_in_s=packed - start, host_out_s=time.perf_counter() - transferred)
        return y

    def run_words(self, words: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """Frames of input words (N, in words) through the accelerator → (N, out words)."""
        words = np.asarray(words, dtype=np.uint64)
        frames = words.shape[0]
        if words.ndim != 2 or words.shape[1] != self.input["words"]:
            raise ValueError(f"expected (N, {self.input['words']}) input words, got {list(words.shape)}")
        chunk = min(batch_size or frames, self.max_frames_per_transfer()) or 1
        result = np.empty((frames, self.output["words"]), dtype=np.uint64)
        start = time.perf_counter()
        for first in range(0, frames, chunk):
            count = min(chunk, frames - first)
            result[first : first + count] = self._transfer(words[first : first + count])
        seconds = time.perf_counter() - start
        self.timing = {"frames": frames, "transfer_s": seconds, "fps": frames / seconds if seconds else 0.0}
        return result

    def max_frames_per_transfer(self) -> int:
        per_frame = 8 * max(self.input["words"], self.output["words"])
        return max(1, min(self.config["max_transfer_bytes"] // per_frame, 2**32 - 1))

    def _transfer(self, words: np.ndarray) -> np.ndarray:
        count = words.shape[0]
        if count not in self.buffers:  # one pair of contiguous buffers per chunk size
            self.buffers[count] = (
                self.allocate(shape=(count, self.input["words"]), dtype=np.uint64),
                self.allocate(shape=(count, self.output["words"]), dtype=np.uint64),
            )
        source, target = self.buffers[count]
        source[:] = words
        _sync(source, "flush")
        self._wait_idle()
        self.control.write(self.config["frames_register"], count)
        self.control.write(AP_CTRL, AP_START)
        self.dma.recvchannel.transfer(target)  # armed first: the output must have somewhere to go
        self.dma.sendchannel.transfer(source)
        deadline = time.perf_counter() + IDLE_TIMEOUT_S + TIMEOUT_S_PER_BYTE * (source.nbytes + target.nbytes)
        self._wait_channel(self.dma.sendchannel, "read (MM2S)", deadline, count)
        self._wait_channel(self.dma.recvchannel, "write (S2MM)", deadline, count)
        received = getattr(self.dma.recvchannel, "transferred", None)  # S2MM_LENGTH after the receive
        if received is not None and received != target.nbytes:
            raise RuntimeError(f"the DMA received {received} bytes for {count} frames, expected {target.nbytes}: "
                               "the accelerator's TLAST is not where this driver expects it (rebuild the bitstream)")
        _sync(target, "invalidate")
        return np.array(target, dtype=np.uint64)

    @staticmethod
    def _wait_channel(channel, name: str, deadline: float, count: int) -> None:
        """Until the channel is idle (then PYNQ's `wait` returns at once), an error bit, or the
        deadline: PYNQ's `wait` alone would spin forever on a stalled stream."""
        while not channel.idle:
            if getattr(channel, "error", False):
                raise RuntimeError(f"the DMA's {name} channel stopped with an error during a chunk of {count} frames")
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the DMA's {name} channel did not finish a chunk of {count} frames: "
                                   "the accelerator stalled (is the bitstream this build's?)")
            time.sleep(0)
        channel.wait()

    def _wait_idle(self) -> None:
        deadline = time.perf_counter() + IDLE_TIMEOUT_S
        while not self.control.read(AP_CTRL) & AP_IDLE:
            if time.perf_counter() > deadline:
                raise TimeoutError("the accelerator does not become idle: is the bitstream loaded?")


def _sync(buffer, method: str) -> None:
    """Cache maintenance of a PYNQ buffer (a no-op for plain arrays)."""
    if hasattr(buffer, method):
        getattr(buffer, method)()
