// bnnc HLS template library: the AXI-stream boundary of the accelerator.
//
// A frame of ELEMENTS values crosses the boundary in 64-bit AXI words of P = 64 / B whole
// elements each (bnnc.semantics.packing.to_axi_words): element i in word i / P at bits (i % P) * B.
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
// Loop structure: one loop of frames * (IN_WORDS + OUT_WORDS) steps pipelined at II=1, each
// one read (or padding word) or one write; the queue is a register, empty between frames.
template <typename ElemT, unsigned ELEMENTS, unsigned LANES>
void axi_to_stream(hls::stream<axi_word> &in, hls::stream<ap_uint<LANES * element<ElemT>::bits> > &out,
                   unsigned frames) {
  const unsigned B = element<ElemT>::bits, P = 64 / B, W = LANES * B;
  const unsigned IN_WORDS = (ELEMENTS + P - 1) / P, OUT_WORDS = ELEMENTS / LANES;
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * (IN_WORDS + OUT_WORDS);
  bit_queue<64 + W> queue;
  unsigned read = 0;  // words of the frame read (or padded)
  bool truncated = false;
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    if (queue.count >= W) {
      out.write(queue.template pop<W>(W));
    } else {
      ap_uint<64> data = 0;
      if (!truncated) {
        const axi_word word = in.read();
        data = word.data;
        truncated = word.last && read + 1 < IN_WORDS;
      }
      const unsigned elements = read + 1 < IN_WORDS ? P : ELEMENTS - read * P;
      queue.push(data, elements * B);
      read++;
      if (read == IN_WORDS) {  // the next read is the next frame's
        read = 0;
        truncated = false;
      }
    }
  }
}

// Words of LANES elements -> AXI words, TLAST on the last word of the last of `frames` frames.
// Loop structure: one loop of frames * (IN_WORDS + OUT_WORDS) steps pipelined at II=1, each
// one write (when the queue, a register, holds the frame's next AXI word) or one read.
template <typename ElemT, unsigned ELEMENTS, unsigned LANES>
void stream_to_axi(hls::stream<ap_uint<LANES * element<ElemT>::bits> > &in, hls::stream<axi_word> &out,
                   unsigned frames) {
  const unsigned B = element<ElemT>::bits, P = 64 / B, W = LANES * B;
  const unsigned OUT_WORDS = (ELEMENTS + P - 1) / P;
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * (ELEMENTS / LANES + OUT_WORDS);
  bit_queue<64 + W> queue;
  unsigned written = 0, frame = 0;  // words of the frame written, and the frame
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    const unsigned elements = written + 1 < OUT_WORDS ? P : ELEMENTS - written * P;
    if (queue.count >= elements * B) {
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
      if (written == OUT_WORDS) {
        written = 0;
        frame++;
      }
    } else {
      queue.push(in.read(), W);
    }
  }
}

}  // namespace bnnc

#endif  // BNNC_STREAM_IO_H
