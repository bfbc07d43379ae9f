// bnnc HLS template library: the standalone multi-threshold unit (df.threshold).
#ifndef BNNC_THRESHOLD_H
#define BNNC_THRESHOLD_H

#include "bnnc/mvtu.h"

namespace bnnc {

// PIXELS pixels of CHANNELS integers, PE a word, in; OFFSET + #{i : x >= T[c][i]} out (the bit
// x >= T[c][0] for a bipolar output), channel c = fold * PE + p in thresholds[p][fold].
// Loop structure: one loop of frames * PIXELS * CF steps pipelined at II=1; a step reads one
// word and thresholds[p][fold] of every PE (the ROM partitioned along PE).
template <typename InT, typename OutT, typename ThrT, unsigned CHANNELS, unsigned PIXELS, unsigned PE,
          unsigned STEPS, int OFFSET>
void threshold(hls::stream<ap_uint<PE * element<InT>::bits> > &in, hls::stream<ap_uint<PE * element<OutT>::bits> > &out,
               const ThrT (&thresholds)[PE][CHANNELS / PE][STEPS], unsigned frames) {
  const unsigned IB = element<InT>::bits, OB = element<OutT>::bits, CF = CHANNELS / PE;
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * PIXELS * CF;
  unsigned fold = 0;
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    uint64_t x[chunks<PE * IB>::count], y[chunks<PE * OB>::count];
    BNNC_HLS(ARRAY_PARTITION variable=x complete)
    BNNC_HLS(ARRAY_PARTITION variable=y complete)
    to_chunks(in.read(), x);
    clear_chunks(y);
    for (unsigned p = 0; p < PE; p++)
      or_bits(y, p * OB, OB,
              threshold_code<OutT, STEPS, OFFSET>(element<InT>::number(get_bits(x, p * IB, IB)), thresholds[p][fold]));
    out.write(from_chunks<PE * OB>(y));
    fold = fold + 1 == CF ? 0 : fold + 1;
  }
}

}  // namespace bnnc

#endif  // BNNC_THRESHOLD_H
