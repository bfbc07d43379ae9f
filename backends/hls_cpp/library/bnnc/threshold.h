// bnnc HLS template library: the standalone multi-threshold unit (df.threshold).
#ifndef BNNC_THRESHOLD_H
#define BNNC_THRESHOLD_H

#include "bnnc/mvtu.h"

namespace bnnc {

// PIXELS pixels of CHANNELS integers, PE a word, in; OFFSET + #{i : x >= T[c][i]} out (the bit
// x >= T[c][0] for a bipolar output), channel c = fold * PE + p in thresholds[p][fold].
template <typename InT, typename OutT, typename ThrT, unsigned CHANNELS, unsigned PIXELS, unsigned PE,
          unsigned STEPS, int OFFSET>
void threshold(hls::stream<ap_uint<PE * element<InT>::bits> > &in, hls::stream<ap_uint<PE * element<OutT>::bits> > &out,
               const ThrT (&thresholds)[PE][CHANNELS / PE][STEPS], unsigned frames) {
  const unsigned IB = element<InT>::bits, OB = element<OutT>::bits, CF = CHANNELS / PE;
  for (unsigned frame = 0; frame < frames; frame++) {
    for (unsigned i = 0; i < PIXELS * CF; i++) {
      BNNC_HLS(PIPELINE II=1)
      const unsigned fold = i % CF;
      const ap_uint<PE * IB> x = in.read();
      ap_uint<PE * OB> y = 0;
      for (unsigned p = 0; p < PE; p++)
        set_lane<OB>(y, p, threshold_code<OutT, STEPS, OFFSET>(element<InT>::value(lane<IB>(x, p)), thresholds[p][fold]));
      out.write(y);
    }
  }
}

}  // namespace bnnc

#endif  // BNNC_THRESHOLD_H
