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
// KH x KW window at stride SH x SW out, in the same layout; one input word a cycle.
//
// As bnnc_pool in the RTL: windows may overlap, so an input row belongs to up to RR =
// ceil(KH / SH) output rows and an input column to up to CC = ceil(KW / SW) output columns; the
// unit keeps the partial maxima of RR output rows, output pixel (oy, ox) in memory
// partial[oy % RR][ox % CC], and updates up to RR * CC of them with each input word. The output
// pixels a word belongs to are at most RR consecutive rows and CC consecutive columns, so they
// lie in distinct memories. A word completes at most one window, whose maximum leaves then.
// Input positions outside every window are dropped.
//
// Loop structure: one loop of frames * IH * IW * CF steps pipelined at II=1; each reads one
// input word, and reads and writes each of the RR * CC memories (partitioned along both slot
// dimensions) at most once, at an address computed at run time.
template <typename ElemT, unsigned CHANNELS, unsigned IH, unsigned IW, unsigned OH, unsigned OW, unsigned KH,
          unsigned KW, unsigned SH, unsigned SW, unsigned PE>
void pool(hls::stream<ap_uint<PE * element<ElemT>::bits> > &in, hls::stream<ap_uint<PE * element<ElemT>::bits> > &out,
          unsigned frames) {
  const unsigned CF = CHANNELS / PE, W = PE * element<ElemT>::bits, N = chunks<W>::count;
  const unsigned RR = (KH + SH - 1) / SH, CC = (KW + SW - 1) / SW, SLOT_WORDS = ((OW + CC - 1) / CC) * CF;
  ap_uint<W> partial[RR][CC][SLOT_WORDS];
  BNNC_HLS(ARRAY_PARTITION variable=partial complete dim=1)
  BNNC_HLS(ARRAY_PARTITION variable=partial complete dim=2)
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * IH * IW * CF;
  unsigned y = 0, x = 0, cf = 0;  // the position of the word read
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    uint64_t word[N], done[N];
    BNNC_HLS(ARRAY_PARTITION variable=word complete)
    BNNC_HLS(ARRAY_PARTITION variable=done complete)
    to_chunks(in.read(), word);
    clear_chunks(done);
    bool completes = false;
    const unsigned qy = y / SH, qx = x / SW;  // the last output row and column the word may be in
    for (unsigned r = 0; r < RR; r++)
      for (unsigned c = 0; c < CC; c++) {
        const unsigned dy = (qy + RR - r) % RR, dx = (qx + CC - c) % CC;  // oy % RR == r, ox % CC == c
        if (dy > qy || dx > qx) continue;
        const unsigned oy = qy - dy, ox = qx - dx, ky = y - oy * SH, kx = x - ox * SW;
        if (oy >= OH || ox >= OW || ky >= KH || kx >= KW) continue;
        const unsigned address = (ox / CC) * CF + cf;
        uint64_t result[N];
        BNNC_HLS(ARRAY_PARTITION variable=result complete)
        for (unsigned i = 0; i < N; i++) result[i] = word[i];
        if (ky != 0 || kx != 0) {  // not the window's first word: the maximum with its partial
          uint64_t previous[N];
          BNNC_HLS(ARRAY_PARTITION variable=previous complete)
          to_chunks(partial[r][c][address], previous);
          lane_max<ElemT, PE, N>::of(result, previous);
        }
        partial[r][c][address] = from_chunks<W>(result);
        if (ky == KH - 1 && kx == KW - 1) {
          completes = true;
          for (unsigned i = 0; i < N; i++) done[i] = result[i];
        }
      }
    if (completes) out.write(from_chunks<W>(done));
    cf = cf + 1 == CF ? 0 : cf + 1;
    if (cf == 0) {
      x = x + 1 == IW ? 0 : x + 1;
      if (x == 0) y = y + 1 == IH ? 0 : y + 1;
    }
  }
}

}  // namespace bnnc

#endif  // BNNC_POOL_H
