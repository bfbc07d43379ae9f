// bnnc HLS template library: the AXI-stream boundary of the accelerator.
//
// A frame of ELEMENTS values crosses the boundary in 64-bit AXI words of P = 64 / B whole
// elements each (bnnc.packing.to_axi_words): element i in word i / P at bits (i % P) * B.
// The last word of a frame carries TLAST and is zero-padded.
#ifndef BNNC_STREAM_IO_H
#define BNNC_STREAM_IO_H

#include "bnnc/types.h"

namespace bnnc {

// AXI words -> words of LANES elements. Reads ceil(ELEMENTS / P) and writes ELEMENTS / LANES
// words a frame, one word a cycle on either side.
template <typename ElemT, unsigned ELEMENTS, unsigned LANES>
void axi_to_stream(hls::stream<axi_word> &in, hls::stream<ap_uint<LANES * element<ElemT>::bits> > &out,
                   unsigned frames) {
  const unsigned B = element<ElemT>::bits, P = 64 / B, W = LANES * B;
  const unsigned IN_WORDS = (ELEMENTS + P - 1) / P, OUT_WORDS = ELEMENTS / LANES;
  for (unsigned frame = 0; frame < frames; frame++) {
    bit_queue<64 + W> queue;
    unsigned read = 0, written = 0;
    for (unsigned step = 0; step < IN_WORDS + OUT_WORDS; step++) {
      BNNC_HLS(PIPELINE II=1)
      if (queue.count >= W) {
        out.write(queue.template pop<W>(W));
        written++;
      } else if (read < IN_WORDS) {
        const axi_word word = in.read();
        const unsigned elements = read + 1 < IN_WORDS ? P : ELEMENTS - read * P;
        queue.push(word.data, elements * B);
        read++;
      }
    }
  }
}

// Words of LANES elements -> AXI words, TLAST on the last word of every frame.
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
        word.last = written + 1 == OUT_WORDS;
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
