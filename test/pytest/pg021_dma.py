"""A model of the Xilinx AXI DMA (PG021) in simple mode around a model of the accelerator, with
PYNQ's channel API, for driving the board driver (`bnnc_driver`) without a board.

What PG021 says of simple (direct register) mode, and the model does:

- a transfer's length is the LENGTH register (MM2S 0x28, S2MM 0x58), whose width is the IP's
  "Width of Buffer Length Register" (`c_sg_length_width`, 8..26 bits): a longer transfer
  cannot be programmed (PYNQ refuses it; the model raises `DmaError`);
- MM2S reads LENGTH bytes and sends them as one packet, TLAST on its last beat;
- an S2MM receive ends at TLAST, with the bytes written in its LENGTH register
  (`transferred`), or when LENGTH bytes are written; a packet longer than LENGTH is an
  internal error (DMASR.DMAIntErr), and the channel halts (`error`, and `wait` raises);
- a channel is idle when its transfer is done.

The accelerator (`AcceleratorModel`) is the control registers of an HLS top (`ap_start`,
`ap_idle`, `frames` at 0x10) around `simulate(words (F, in words)) -> (output words, TLAST
bits)`, e.g. one call of the C simulation (`bnnc.runtime.simulators.csim.run_call`). Started with F
frames, it takes F frames of input beats and gives their output beats; it holds at most
`slack_words` output beats that nothing receives (its FIFOs) before it stops taking input.
What would hang on the board (a channel that never becomes idle) makes `wait` raise
`DmaHang`, and `idle` stays false, as on the board.
"""

from __future__ import annotations

from collections import deque

import numpy as np

AXI_BYTES = 8
AP_CTRL, FRAMES = 0x00, 0x10
AP_START, AP_DONE, AP_IDLE = 0x1, 0x2, 0x4


class DmaError(RuntimeError):
    """What PG021 flags as an error (DMAIntErr), or what PYNQ refuses to program."""


class DmaHang(RuntimeError):
    """The channel would never become idle on the board: PYNQ's `wait` would spin forever."""


class AcceleratorModel:
    """The accelerator's AXI-lite registers (`read`, `write`) and streams."""

    def __init__(self, simulate, in_words: int, slack_words: int = 64):
        self.simulate, self.in_words, self.slack_words = simulate, in_words, slack_words
        self.registers = {AP_CTRL: AP_IDLE, FRAMES: 0}
        self.writes: list[tuple[int, int]] = []
        self.frames_left = 0
        self.input: deque[tuple[int, bool]] = deque()  # beats the accelerator has not taken
        self.output: deque[tuple[int, bool]] = deque()  # beats nobody has received yet
        self.dma: Pg021Dma | None = None

    def read(self, offset: int) -> int:
        return self.registers.get(offset, 0)

    def write(self, offset: int, value: int) -> None:
        self.writes.append((offset, value))
        if offset == AP_CTRL and value & AP_START:
            if not self.registers[AP_CTRL] & AP_IDLE:
                raise DmaError("ap_start written while the accelerator is busy")
            self.frames_left = self.registers[FRAMES]
            self.registers[AP_CTRL] = 0 if self.frames_left else AP_IDLE | AP_DONE
        else:
            self.registers[offset] = value
        if self.dma is not None:
            self.dma.advance()

    def step(self) -> None:
        """Take what input there is for the started frames, as far as the output can drain."""
        while self.frames_left and len(self.input) >= self.in_words and len(self.output) <= self.slack_words:
            count = min(self.frames_left, len(self.input) // self.in_words)
            beats = [self.input.popleft() for _ in range(count * self.in_words)]
            if any(last and (i + 1) % self.in_words for i, (_, last) in enumerate(beats)):
                raise NotImplementedError("the model's accelerator takes whole frames only")
            words = np.array([data for data, _ in beats], dtype=np.uint64).reshape(count, self.in_words)
            data, lasts = self.simulate(words)
            self.output.extend(zip((int(d) for d in data), (bool(x) for x in lasts), strict=True))
            self.frames_left -= count
            if not self.frames_left:
                self.registers[AP_CTRL] = AP_IDLE | AP_DONE

    @property
    def stalled(self) -> bool:
        return len(self.output) > self.slack_words


class Channel:
    """One DMA channel with PYNQ's API: `transfer(buffer, start=0, nbytes=0)`, `wait()`,
    `idle`, `error`, `transferred` (the LENGTH register after the transfer)."""

    def __init__(self, dma: Pg021Dma, name: str):
        self.dma, self.name = dma, name
        self.buffer: np.ndarray | None = None
        self.length = 0  # bytes programmed
        self.done_bytes = 0  # bytes moved so far
        self.active = False
        self.error = False
        self.transferred: int | None = None

    def transfer(self, buffer: np.ndarray, start: int = 0, nbytes: int = 0) -> None:
        if self.error:
            raise DmaError(f"{self.name}: the channel halted on an error; reset the DMA")
        if self.active:
            raise DmaError(f"{self.name}: DMA channel not idle")
        length = nbytes or buffer.nbytes - start
        if length <= 0 or length > self.dma.max_bytes:
            raise DmaError(f"{self.name}: a transfer of {length} bytes does not fit the "
                           f"{self.dma.length_bits}-bit length register (at most {self.dma.max_bytes})")
        if start % AXI_BYTES or length % AXI_BYTES:
            raise DmaError(f"{self.name}: the model moves whole 64-bit beats")
        self.buffer = buffer.reshape(-1).view(np.uint64)[start // AXI_BYTES :]
        self.length, self.done_bytes, self.active, self.transferred = length, 0, True, None
        self.dma.transfer_started(self)
        self.dma.advance()

    @property
    def idle(self) -> bool:
        return not self.active and not self.error

    def wait(self) -> None:
        if self.error:
            raise DmaError(f"{self.name}: DMAIntErr, the channel halted")
        if self.active:
            raise DmaHang(f"{self.name}: the transfer never ends ({self.done_bytes} of {self.length} bytes moved)")

    def finish(self) -> None:
        self.active, self.transferred = False, self.done_bytes


class Pg021Dma:
    """The DMA (`sendchannel` MM2S into the accelerator, `recvchannel` S2MM out of it)."""

    def __init__(self, accelerator: AcceleratorModel, length_bits: int = 26):
        if not 8 <= length_bits <= 26:
            raise ValueError("PG021: the length register is 8 to 26 bits wide")
        self.accelerator, self.length_bits = accelerator, length_bits
        self.max_bytes = 2**length_bits - 1
        accelerator.dma = self
        self.sendchannel, self.recvchannel = Channel(self, "MM2S"), Channel(self, "S2MM")
        self.packet_open_past_length = False  # a receive filled its LENGTH before the packet's TLAST

    def transfer_started(self, channel: Channel) -> None:
        if channel is self.sendchannel:  # the whole packet is queued; TLAST on its last beat
            beats = channel.length // AXI_BYTES
            words = channel.buffer[:beats]
            self.accelerator.input.extend((int(w), i + 1 == beats) for i, w in enumerate(words))

    def advance(self) -> None:
        accelerator, send, receive = self.accelerator, self.sendchannel, self.recvchannel
        while True:
            accelerator.step()
            moved = self._receive()
            if not moved:
                break
        if send.active and not accelerator.input and not accelerator.stalled:
            send.done_bytes = send.length
            send.finish()
        elif send.active:
            send.done_bytes = send.length - AXI_BYTES * len(accelerator.input)

    def _receive(self) -> bool:
        """Output beats into the armed receive, which ends at TLAST or at its LENGTH; a beat of
        a packet that went past LENGTH is DMAIntErr."""
        receive, output = self.recvchannel, self.accelerator.output
        moved = False
        while output and not receive.error:
            if self.packet_open_past_length:
                receive.active, receive.error = False, True
                break
            if not receive.active:
                break
            data, last = output.popleft()
            receive.buffer[receive.done_bytes // AXI_BYTES] = data
            receive.done_bytes += AXI_BYTES
            moved = True
            if last or receive.done_bytes == receive.length:
                self.packet_open_past_length = not last
                receive.finish()
        return moved
