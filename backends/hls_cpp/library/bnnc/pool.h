// bnnc HLS template library: max-pool (df.pool), an OR of bits on bipolar data.
#ifndef BNNC_POOL_H
#define BNNC_POOL_H

#include "bnnc/types.h"

namespace bnnc {

template <typename ElemT>
inline ap_uint<element<ElemT>::bits> max_code(const ap_uint<element<ElemT>::bits> &a,
                                              const ap_uint<element<ElemT>::bits> &b) {
  return element<ElemT>::value(a) >= element<ElemT>::value(b) ? a : b;
}

// An NHWC image of IH x IW pixels of CHANNELS elements, PE a word, in; the maximum over each
// KH x KW window at stride SH x SW out, in the same layout. Rows wait in a circular buffer of
// KH rows; one input word a cycle.
template <typename ElemT, unsigned CHANNELS, unsigned IH, unsigned IW, unsigned OH, unsigned OW, unsigned KH,
          unsigned KW, unsigned SH, unsigned SW, unsigned PE>
void pool(hls::stream<ap_uint<PE * element<ElemT>::bits> > &in, hls::stream<ap_uint<PE * element<ElemT>::bits> > &out,
          unsigned frames) {
  const unsigned B = element<ElemT>::bits, CF = CHANNELS / PE, W = PE * B;
  ap_uint<W> rows[KH][IW * CF];
  BNNC_HLS(ARRAY_PARTITION variable=rows complete dim=1)
  for (unsigned frame = 0; frame < frames; frame++) {
    unsigned rows_read = 0;
    for (unsigned oy = 0; oy < OH; oy++) {
      for (; rows_read < oy * SH + KH; rows_read++)
        for (unsigned i = 0; i < IW * CF; i++) {
          BNNC_HLS(PIPELINE II=1)
          rows[rows_read % KH][i] = in.read();
        }
      for (unsigned i = 0; i < OW * CF; i++) {
        BNNC_HLS(PIPELINE II=1)
        const unsigned ox = i / CF, cf = i % CF;
        ap_uint<W> result = rows[(oy * SH) % KH][ox * SW * CF + cf];
        for (unsigned ky = 0; ky < KH; ky++)
          for (unsigned kx = 0; kx < KW; kx++) {
            const ap_uint<W> word = rows[(oy * SH + ky) % KH][(ox * SW + kx) * CF + cf];
            for (unsigned p = 0; p < PE; p++)
              set_lane<B>(result, p, max_code<ElemT>(lane<B>(result, p), lane<B>(word, p)));
          }
        out.write(result);
      }
    }
    for (; rows_read < IH; rows_read++)
      for (unsigned i = 0; i < IW * CF; i++) {
        BNNC_HLS(PIPELINE II=1)
        in.read();
      }
  }
}

}  // namespace bnnc

#endif  // BNNC_POOL_H
