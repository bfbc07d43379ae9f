// bnnc HLS template library: max-pool (df.pool), an OR of bits on bipolar data.
#ifndef BNNC_POOL_H
#define BNNC_POOL_H

#include "bnnc/types.h"

namespace bnnc {

// The larger of two codes (by the numbers they mean).
template <typename ElemT>
inline uint64_t max_code(uint64_t a, uint64_t b) {
  return element<ElemT>::number(a) >= element<ElemT>::number(b) ? a : b;
}

// Lane by lane maximum of two chunked words of LANES lanes, into `into`. For bipolar lanes (1 is
// +1, 0 is -1) the maximum is the OR of the bits.
template <typename ElemT, unsigned LANES, int N>
struct lane_max {
  static void of(uint64_t (&into)[N], const uint64_t (&other)[N]) {
    const unsigned B = element<ElemT>::bits;
    uint64_t result[N];
    BNNC_HLS(ARRAY_PARTITION variable=result complete)
    clear_chunks(result);
    for (unsigned p = 0; p < LANES; p++)
      or_bits(result, p * B, B, max_code<ElemT>(get_bits(into, p * B, B), get_bits(other, p * B, B)));
    for (int c = 0; c < N; c++) into[c] = result[c];
  }
};

template <unsigned LANES, int N>
struct lane_max<bipolar, LANES, N> {
  static void of(uint64_t (&into)[N], const uint64_t (&other)[N]) {
    for (int c = 0; c < N; c++) into[c] |= other[c];
  }
};

// An NHWC image of IH x IW pixels of CHANNELS elements, PE a word, in; the maximum over each
// KH x KW window at stride SH x SW out, in the same layout. Rows wait in a circular buffer of
// KH rows; one input word a cycle.
template <typename ElemT, unsigned CHANNELS, unsigned IH, unsigned IW, unsigned OH, unsigned OW, unsigned KH,
          unsigned KW, unsigned SH, unsigned SW, unsigned PE>
void pool(hls::stream<ap_uint<PE * element<ElemT>::bits> > &in, hls::stream<ap_uint<PE * element<ElemT>::bits> > &out,
          unsigned frames) {
  const unsigned CF = CHANNELS / PE, W = PE * element<ElemT>::bits;
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
        uint64_t result[chunks<W>::count], word[chunks<W>::count];
        BNNC_HLS(ARRAY_PARTITION variable=result complete)
        BNNC_HLS(ARRAY_PARTITION variable=word complete)
        to_chunks(rows[(oy * SH) % KH][ox * SW * CF + cf], result);
        for (unsigned ky = 0; ky < KH; ky++)
          for (unsigned kx = 0; kx < KW; kx++) {
            to_chunks(rows[(oy * SH + ky) % KH][(ox * SW + kx) * CF + cf], word);
            lane_max<ElemT, PE, chunks<W>::count>::of(result, word);
          }
        out.write(from_chunks<W>(result));
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
