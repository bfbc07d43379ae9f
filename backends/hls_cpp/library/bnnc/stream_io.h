// bnnc HLS template library: the AXI-stream boundary of the accelerator.
//
// A frame of ELEMENTS values crosses the boundary in 64-bit AXI words of P = 64 / B whole
// elements each (bnnc.packing.to_axi_words): element i in word i / P at bits (i % P) * B.
// The last word of a frame is zero-padded.
//
// TLAST (docs/design.md, "The board's I/O"): the AXI DMA in simple mode sends one packet a
// transfer, TLAST on its last word, and ends a receive at the first TLAST. So the output
// carries TLAST once a call, on the last word of its last frame (`frames` is the transfer's
// frame count), and the input's TLAST ends a transfer: a frame it cuts short is completed
// with zero words (its output is garbage; the frames after it are right, and the output
// keeps its frame count, so the receive still ends where the driver expects it).
#ifndef BNNC_STREAM_IO_H
#define BNNC_STREAM_IO_H

#include "bnnc/types.h"

namespace bnnc {

// AXI words -> words of LANES elements. Reads ceil(ELEMENTS / P) and writes ELEMENTS / LANES
// words a frame, one word a cycle on either side. After a TLAST before the frame's last word
// it reads no more words of that frame and pads it with zeros.
// Loop structure: frames x (IN_WORDS + OUT_WORDS) steps, the inner loop pipelined at II=1
// (one read or one write a step, the queue a register).
template <typename ElemT, unsigned ELEMENTS, unsigned LANES>
void axi_to_stream(hls::stream<axi_word> &in, hls::stream<ap_uint<LANES * element<ElemT>::bits> > &out,
                   unsigned frames) {
  const unsigned B = element<ElemT>::bits, P = 64 / B, W = LANES * B;
  const unsigned IN_WORDS = (ELEMENTS + P - 1) / P, OUT_WORDS = ELEMENTS / LANES;
  for (unsigned frame = 0; frame < frames; frame++) {
    bit_queue<64 + W> queue;
    unsigned read = 0, written = 0;
    bool truncated = false;
    for (unsigned step = 0; step < IN_WORDS + OUT_WORDS; step++) {
      BNNC_HLS(PIPELINE II=1)
      if (queue.count >= W) {
        out.write(queue.template pop<W>(W));
        written++;
      } else if (read < IN_WORDS) {
        ap_uint<64> data = 0;
        if (!truncated) {
          const axi_word word = in.read();
          data = word.data;
          truncated = word.last && read + 1 < IN_WORDS;
        }
        const unsigned elements = read + 1 < IN_WORDS ? P : ELEMENTS - read * P;
        queue.push(data, elements * B);
        read++;
      }
    }
  }
}

// Words of LANES elements -> AXI words, TLAST on the last word of the last of `frames` frames.
// Loop structure: frames x (IN_WORDS + OUT_WORDS) steps, the inner loop pipelined at II=1.
template <typename ElemT, unsigned ELEMENTS, unsigned LANES>
void stream_to_axi(hls::stream<ap_uint<LANES * element<ElemT>::bits> > &in, hls::stream<axi_word> &out,
                   unsigned frames) {
  const unsigned B = element<ElemT>::bits, P = 64 / B, W = LANES * B;
  const unsigned IN_WORDS = ELEMENTS / LANES, OUT_WORDS = (ELEMENTS + P - 1) / P;
  for (unsigned frame = 0; frame < frames; frame++) {
    bit_queue<64 + W> queue;
    unsigned read = 0, written = 0;
    for (unsigned step = 0; step < IN_WORDS + OUT_WORDS; step++) {
      BNNC_HLS(PIPELINE II=1)
      const unsigned elements = written + 1 < OUT_WORDS ? P : ELEMENTS - written * P;
      if (written < OUT_WORDS && queue.count >= elements * B) {
        axi_word word;
        word.data = queue.template pop<64>(elements * B);
        word.keep = -1;
        word.strb = -1;
        word.user = 0;
        word.id = 0;
        word.dest = 0;
        word.last = written + 1 == OUT_WORDS && frame + 1 == frames;
        out.write(word);
        written++;
      } else if (read < IN_WORDS) {
        queue.push(in.read(), W);
        read++;
      }
    }
  }
}

}  // namespace bnnc

#endif  // BNNC_STREAM_IO_H
