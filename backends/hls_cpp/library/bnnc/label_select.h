// bnnc HLS template library: top-k label select (df.label_select).
#ifndef BNNC_LABEL_SELECT_H
#define BNNC_LABEL_SELECT_H

#include "bnnc/types.h"

namespace bnnc {

// CLASSES scores, PE a word, in; the indices of the K largest out, largest first, one a word.
// Equal scores keep the lower index first: a score enters the list only above an equal one.
// Loop structure: per frame, CLASSES / PE iterations each inserting PE scores into a list of K
// registers, then K writes; not pipelined (a search with an early exit), so its interval is
// not evident from its structure: an open point (the RTL's bnnc_label_select is the measured one).
template <typename InT, typename OutT, unsigned CLASSES, unsigned PE, unsigned K>
void label_select(hls::stream<ap_uint<PE * element<InT>::bits> > &in, hls::stream<ap_uint<element<OutT>::bits> > &out,
                  unsigned frames) {
  const unsigned IB = element<InT>::bits;
  typedef typename element<InT>::value_type score_t;
  for (unsigned frame = 0; frame < frames; frame++) {
    score_t best[K];
    unsigned index[K];
    BNNC_HLS(ARRAY_PARTITION variable=best complete)
    BNNC_HLS(ARRAY_PARTITION variable=index complete)
    unsigned count = 0;
    for (unsigned i = 0; i < CLASSES / PE; i++) {
      const ap_uint<PE * IB> word = in.read();
      for (unsigned p = 0; p < PE; p++) {
        const score_t score = element<InT>::value(lane<IB>(word, p));
        unsigned at = count < K ? count : K;  // where the score goes: after every score >= it
        for (unsigned j = 0; j < K; j++)
          if (j < count && score > best[j]) {
            at = j;
            break;
          }
        if (at < K) {
          for (unsigned j = K - 1; j > at; j--) {
            best[j] = best[j - 1];
            index[j] = index[j - 1];
          }
          best[at] = score;
          index[at] = i * PE + p;
          if (count < K) count++;
        }
      }
    }
    for (unsigned j = 0; j < K; j++) out.write(ap_uint<element<OutT>::bits>(index[j]));
  }
}

}  // namespace bnnc

#endif  // BNNC_LABEL_SELECT_H
