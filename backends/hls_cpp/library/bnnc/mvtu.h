// bnnc HLS template library: the matrix-vector-threshold unit (df.mvtu).
#ifndef BNNC_MVTU_H
#define BNNC_MVTU_H

#include "bnnc/types.h"

namespace bnnc {

// One product of an input and a weight, from their codes. With a ±1 factor there is no
// multiplier: the other factor or its negation. Native integers: the sums they go into are
// truncated to the accumulator's width, which is all synthesis builds of them.
template <typename InT, typename WeightT>
struct product {
  static long long of(uint64_t x, uint64_t w) { return element<InT>::number(x) * element<WeightT>::number(w); }
};

template <typename InT>
struct product<InT, bipolar> {
  static long long of(uint64_t x, uint64_t w) {
    const long long value = element<InT>::number(x);
    return w ? value : -value;
  }
};

template <typename WeightT>
struct product<bipolar, WeightT> {
  static long long of(uint64_t x, uint64_t w) {
    const long long value = element<WeightT>::number(w);
    return x ? value : -value;
  }
};

template <>
struct product<bipolar, bipolar> {
  static long long of(uint64_t x, uint64_t w) { return x == w ? 1 : -1; }
};

// The number of lanes where BITS bipolar inputs and weights agree: popcount(XNOR), 64 lanes a
// chunk.
template <int BITS, int NX, int NW>
inline unsigned xnor_popcount(const uint64_t (&x)[NX], const uint64_t (&w)[NW]) {
  unsigned count = 0;
  for (int c = 0; c < (BITS + 63) / 64; c++) {
    const uint64_t agree = ~(x[c] ^ w[c]);
    count += popcount64(agree & low_mask(BITS - 64 * c));  // not the zeros above BITS
  }
  return count;
}

// The sum of the products of SIMD inputs and SIMD weights, from their codes in chunks.
template <unsigned SIMD, typename InT, typename WeightT, int NX, int NW>
inline long long dot(const uint64_t (&x)[NX], const uint64_t (&w)[NW]) {
  const int IB = element<InT>::bits, WB = element<WeightT>::bits;
  long long sum = 0;
  for (unsigned s = 0; s < SIMD; s++) {
    BNNC_HLS(UNROLL)
    sum += product<InT, WeightT>::of(get_bits(x, s * IB, IB), get_bits(w, s * WB, WB));
  }
  return sum;
}

// Thresholding: OFFSET + the number of thresholds the value reaches, as an OutT code (a single
// threshold gives the bit of a bipolar output). A code is the low bits of its number in two's
// complement, whatever the type.
template <typename OutT, unsigned STEPS, int OFFSET, typename ThrT>
inline uint64_t threshold_code(long long value, const ThrT (&thresholds)[STEPS]) {
  int count = OFFSET;
  for (unsigned i = 0; i < STEPS; i++) {
    BNNC_HLS(UNROLL)
    count += value >= thresholds[i].to_int64() ? 1 : 0;
  }
  return (uint64_t)count & low_mask(element<OutT>::bits);
}

template <typename OutT>
inline uint64_t accumulator_code(long long value) {
  return (uint64_t)value & low_mask(element<OutT>::bits);
}

// VECTORS input vectors of MW elements a frame, MMV at a time, each multiplied by the MH x MW
// matrix held by PE processing elements of SIMD lanes: PE p computes rows nf * PE + p for the
// neuron folds nf < NF = MH / PE, SIMD columns a cycle over SF = MW / SIMD synapse folds. The
// weights of PE p for tile nf * SF + sf are weights[p][nf * SF + sf] (interpreters/df.py,
// `weight_memory`). Input words hold MMV vectors' SIMD lanes (pixel-major), output words their
// PE results. The first neuron fold reads the input, the others reuse it from a buffer: a frame
// takes NF * SF * VECTORS / MMV cycles, each cycle MMV * PE * SIMD products.
// With STEPS > 0 the accumulators are thresholded (thresholds[p][nf] for row nf * PE + p);
// with STEPS == 0 (`mvtu_acc`) they leave as OutT values.
//
// Loop structure: one loop of frames * (VECTORS / MMV) * NF * SF steps, pipelined at II=1 (no
// loop around it, so the pipeline fills once a call): step (nf, sf) reads weights[p][nf * SF + sf]
// of every PE (one access to each of PE memories, the ROM partitioned along PE), the input
// buffer at sf (one write when nf == 0, else one read), and updates the registers acc.
template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned MMV, unsigned VECTORS, unsigned POPCOUNT,
          typename InT, typename WeightT, typename AccT, typename OutT, typename ThrT, unsigned STEPS, int OFFSET>
void mvtu_core(hls::stream<ap_uint<SIMD * MMV * element<InT>::bits> > &in,
               hls::stream<ap_uint<PE * MMV * element<OutT>::bits> > &out,
               const ap_uint<SIMD * element<WeightT>::bits> (&weights)[PE][(MH / PE) * (MW / SIMD)],
               const ThrT (&thresholds)[PE][MH / PE][STEPS > 0 ? STEPS : 1], unsigned frames) {
  const unsigned NF = MH / PE, SF = MW / SIMD;
  const int IB = element<InT>::bits, WB = element<WeightT>::bits, OB = element<OutT>::bits;
  const int XW = SIMD * IB, WW = SIMD * WB, YW = PE * MMV * OB;
  const int XC = chunks<XW>::count;
  ap_uint<SIMD * MMV * IB> buffer[SF];
  AccT acc[MMV][PE];
  BNNC_HLS(ARRAY_PARTITION variable=acc complete dim=0)
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * (VECTORS / MMV) * NF * SF;
  unsigned nf = 0, sf = 0;
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    ap_uint<SIMD * MMV * IB> x;
    if (nf == 0) {
      x = in.read();
      buffer[sf] = x;
    } else {
      x = buffer[sf];
    }
    uint64_t word[chunks<SIMD * MMV * IB>::count], vectors[MMV][XC];
    BNNC_HLS(ARRAY_PARTITION variable=word complete)
    BNNC_HLS(ARRAY_PARTITION variable=vectors complete dim=0)
    to_chunks(x, word);
    for (unsigned m = 0; m < MMV; m++)
      for (int c = 0; c < XC; c++) {
        const int bits = XW - 64 * c < 64 ? XW - 64 * c : 64;
        vectors[m][c] = MMV == 1 ? word[c] : get_bits(word, m * XW + 64 * c, bits);
      }
    for (unsigned p = 0; p < PE; p++) {
      uint64_t w[chunks<WW>::count];
      BNNC_HLS(ARRAY_PARTITION variable=w complete)
      to_chunks(weights[p][nf * SF + sf], w);
      for (unsigned m = 0; m < MMV; m++) {
        const long long partial = POPCOUNT ? (long long)xnor_popcount<SIMD>(vectors[m], w)
                                           : dot<SIMD, InT, WeightT>(vectors[m], w);
        acc[m][p] = AccT((sf == 0 ? 0 : acc[m][p].to_int64()) + partial);  // wraps as AccT
      }
    }
    if (sf == SF - 1) {
      uint64_t y[chunks<YW>::count];
      BNNC_HLS(ARRAY_PARTITION variable=y complete)
      clear_chunks(y);
      for (unsigned m = 0; m < MMV; m++)
        for (unsigned p = 0; p < PE; p++) {
          const long long value = acc[m][p].to_int64();
          or_bits(y, (m * PE + p) * OB, OB,
                  STEPS > 0 ? threshold_code<OutT, (STEPS > 0 ? STEPS : 1), OFFSET>(value, thresholds[p][nf])
                            : accumulator_code<OutT>(value));
        }
      out.write(from_chunks<YW>(y));
      sf = 0;
      nf = nf + 1 == NF ? 0 : nf + 1;  // the next vector group after the last neuron fold
    } else {
      sf++;
    }
  }
}

template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned MMV, unsigned VECTORS, unsigned POPCOUNT,
          typename InT, typename WeightT, typename AccT, typename OutT, typename ThrT, unsigned STEPS, int OFFSET>
void mvtu(hls::stream<ap_uint<SIMD * MMV * element<InT>::bits> > &in,
          hls::stream<ap_uint<PE * MMV * element<OutT>::bits> > &out,
          const ap_uint<SIMD * element<WeightT>::bits> (&weights)[PE][(MH / PE) * (MW / SIMD)],
          const ThrT (&thresholds)[PE][MH / PE][STEPS], unsigned frames) {
  mvtu_core<MW, MH, PE, SIMD, MMV, VECTORS, POPCOUNT, InT, WeightT, AccT, OutT, ThrT, STEPS, OFFSET>(
      in, out, weights, thresholds, frames);
}

template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned MMV, unsigned VECTORS, unsigned POPCOUNT,
          typename InT, typename WeightT, typename AccT, typename OutT>
void mvtu_acc(hls::stream<ap_uint<SIMD * MMV * element<InT>::bits> > &in,
              hls::stream<ap_uint<PE * MMV * element<OutT>::bits> > &out,
              const ap_uint<SIMD * element<WeightT>::bits> (&weights)[PE][(MH / PE) * (MW / SIMD)], unsigned frames) {
  static const AccT no_thresholds[PE][MH / PE][1] = {};
  mvtu_core<MW, MH, PE, SIMD, MMV, VECTORS, POPCOUNT, InT, WeightT, AccT, OutT, AccT, 0, 0>(
      in, out, weights, no_thresholds, frames);
}

}  // namespace bnnc

#endif  // BNNC_MVTU_H
