// bnnc HLS template library: data-width converters (df.dwc).
#ifndef BNNC_DWC_H
#define BNNC_DWC_H

#include "bnnc/types.h"

namespace bnnc {

// Words of IN_LANES elements -> words of OUT_LANES elements, the same elements in the same
// order; the widths need not divide each other. One word a cycle on either side: a frame takes
// WORDS_IN + WORDS_OUT steps of which max(WORDS_IN, WORDS_OUT) are busy on the wider side.
// Loop structure: one loop of frames * (WORDS_IN + WORDS_OUT) steps pipelined at II=1, each a
// write (when the queue, a register, holds an output word) or a read; a frame's elements fill
// whole words on both sides, so the queue is empty between frames.
template <typename ElemT, unsigned IN_LANES, unsigned OUT_LANES, unsigned WORDS_IN, unsigned WORDS_OUT>
void dwc(hls::stream<ap_uint<IN_LANES * element<ElemT>::bits> > &in,
         hls::stream<ap_uint<OUT_LANES * element<ElemT>::bits> > &out, unsigned frames) {
  const unsigned B = element<ElemT>::bits, WI = IN_LANES * B, WO = OUT_LANES * B;
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * (WORDS_IN + WORDS_OUT);
  bit_queue<WI + WO> queue;
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    if (queue.count >= WO) {
      out.write(queue.template pop<WO>(WO));
    } else {
      queue.push(in.read(), WI);
    }
  }
}

// Multi-pixel streams: a word of LANES lanes holds MMV pixels side by side, word (g, f) lane
// (m, s) being element f * (LANES / MMV) + s of pixel g * MMV + m. The converter regroups
// GROUP = lcm(IN_MMV, OUT_MMV) pixels at a time through a buffer of their VECTOR elements each.
// Loop structure: one loop of frames * (PIXELS / GROUP) * (READS + WRITES) steps pipelined at
// II=1, READS = (GROUP / IN_MMV) * (VECTOR / LI) steps that read a word into the buffer, then
// WRITES = (GROUP / OUT_MMV) * (VECTOR / LO) that write one from it. A step touches IN_MMV * LI
// or OUT_MMV * LO elements at positions known only at run time, so the buffer is registers
// (partitioned completely), as bnnc_regroup's blocks of pixels are in the RTL.
template <typename ElemT, unsigned IN_LANES, unsigned IN_MMV, unsigned OUT_LANES, unsigned OUT_MMV,
          unsigned PIXELS, unsigned VECTOR, unsigned GROUP>
void dwc_pixels(hls::stream<ap_uint<IN_LANES * element<ElemT>::bits> > &in,
                hls::stream<ap_uint<OUT_LANES * element<ElemT>::bits> > &out, unsigned frames) {
  const unsigned B = element<ElemT>::bits;
  const unsigned LI = IN_LANES / IN_MMV, LO = OUT_LANES / OUT_MMV;
  const unsigned G = GROUP;
  const unsigned READS = (G / IN_MMV) * (VECTOR / LI), WRITES = (G / OUT_MMV) * (VECTOR / LO);
  ap_uint<B> buffer[G][VECTOR];
  BNNC_HLS(ARRAY_PARTITION variable=buffer complete dim=0)
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * (PIXELS / G) * (READS + WRITES);
  unsigned i = 0;  // the step within the group's READS + WRITES
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    if (i < READS) {
      const unsigned g = i / (VECTOR / LI), f = i % (VECTOR / LI);
      uint64_t word[chunks<IN_LANES * B>::count];
      BNNC_HLS(ARRAY_PARTITION variable=word complete)
      to_chunks(in.read(), word);
      for (unsigned m = 0; m < IN_MMV; m++)
        for (unsigned s = 0; s < LI; s++)
          buffer[g * IN_MMV + m][f * LI + s] = get_bits(word, (m * LI + s) * B, B);
    } else {
      const unsigned g = (i - READS) / (VECTOR / LO), f = (i - READS) % (VECTOR / LO);
      uint64_t word[chunks<OUT_LANES * B>::count];
      BNNC_HLS(ARRAY_PARTITION variable=word complete)
      clear_chunks(word);
      for (unsigned m = 0; m < OUT_MMV; m++)
        for (unsigned s = 0; s < LO; s++)
          or_bits(word, (m * LO + s) * B, B, buffer[g * OUT_MMV + m][f * LO + s].to_uint64());
      out.write(from_chunks<OUT_LANES * B>(word));
    }
    i = i + 1 == READS + WRITES ? 0 : i + 1;
  }
}

}  // namespace bnnc

#endif  // BNNC_DWC_H
