// bnnc HLS template library: the matrix-vector-threshold unit (df.mvtu).
#ifndef BNNC_MVTU_H
#define BNNC_MVTU_H

#include "bnnc/types.h"

namespace bnnc {

// One product of an input and a weight, from their codes. With a ±1 factor there is no
// multiplier: the other factor or its negation.
template <typename InT, typename WeightT>
struct product {
  typedef ap_int<element<InT>::bits + element<WeightT>::bits + 1> type;
  static type of(const ap_uint<element<InT>::bits> &x, const ap_uint<element<WeightT>::bits> &w) {
    return type(element<InT>::value(x)) * type(element<WeightT>::value(w));
  }
};

template <typename InT>
struct product<InT, bipolar> {
  typedef ap_int<element<InT>::bits + 1> type;
  static type of(const ap_uint<element<InT>::bits> &x, const ap_uint<1> &w) {
    const type value = element<InT>::value(x);
    return w ? value : type(-value);
  }
};

template <typename WeightT>
struct product<bipolar, WeightT> {
  typedef ap_int<element<WeightT>::bits + 1> type;
  static type of(const ap_uint<1> &x, const ap_uint<element<WeightT>::bits> &w) {
    const type value = element<WeightT>::value(w);
    return x ? value : type(-value);
  }
};

template <>
struct product<bipolar, bipolar> {
  typedef ap_int<2> type;
  static type of(const ap_uint<1> &x, const ap_uint<1> &w) { return x == w ? type(1) : type(-1); }
};

// The number of lanes where SIMD bipolar inputs and weights agree: popcount(XNOR).
template <unsigned SIMD, typename AccT>
inline AccT xnor_popcount(const ap_uint<SIMD> &x, const ap_uint<SIMD> &w) {
  const ap_uint<SIMD> agree = ~(x ^ w);
  return AccT(popcount(agree));
}

// The sum of the products of SIMD inputs (their codes, taken from the word once for all PEs)
// and SIMD weights.
template <unsigned SIMD, typename InT, typename WeightT, typename AccT>
inline AccT dot(const ap_uint<element<InT>::bits> (&x)[SIMD], const ap_uint<SIMD * element<WeightT>::bits> &w) {
  const int WB = element<WeightT>::bits;
  AccT sum = 0;
  for (unsigned s = 0; s < SIMD; s++) {
    BNNC_HLS(UNROLL)
    sum += product<InT, WeightT>::of(x[s], lane<WB>(w, s));
  }
  return sum;
}

// Thresholding: OFFSET + the number of thresholds the value reaches, as an OutT code (a single
// threshold gives the bit of a bipolar output).
template <typename OutT, unsigned STEPS, int OFFSET, typename T, typename ThrT>
inline ap_uint<element<OutT>::bits> threshold_code(const T &value, const ThrT (&thresholds)[STEPS]) {
  ap_uint<16> count = 0;
  for (unsigned i = 0; i < STEPS; i++) {
    BNNC_HLS(UNROLL)
    count += value >= thresholds[i] ? 1 : 0;
  }
  return ap_uint<element<OutT>::bits>(typename element<OutT>::value_type(OFFSET + count));
}

template <typename OutT, typename AccT>
inline ap_uint<element<OutT>::bits> accumulator_code(const AccT &acc) {
  return ap_uint<element<OutT>::bits>(typename element<OutT>::value_type(acc));
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
template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned MMV, unsigned VECTORS, unsigned POPCOUNT,
          typename InT, typename WeightT, typename AccT, typename OutT, typename ThrT, unsigned STEPS, int OFFSET>
void mvtu_core(hls::stream<ap_uint<SIMD * MMV * element<InT>::bits> > &in,
               hls::stream<ap_uint<PE * MMV * element<OutT>::bits> > &out,
               const ap_uint<SIMD * element<WeightT>::bits> (&weights)[PE][(MH / PE) * (MW / SIMD)],
               const ThrT (&thresholds)[PE][MH / PE][STEPS > 0 ? STEPS : 1], unsigned frames) {
  const unsigned NF = MH / PE, SF = MW / SIMD;
  const int IB = element<InT>::bits, OB = element<OutT>::bits, XW = SIMD * IB;
  ap_uint<SIMD * MMV * IB> buffer[SF];
  AccT acc[MMV][PE];
  BNNC_HLS(ARRAY_PARTITION variable=acc complete dim=0)
  for (unsigned frame = 0; frame < frames; frame++) {
    for (unsigned group = 0; group < VECTORS / MMV; group++) {
      unsigned nf = 0, sf = 0;
      for (unsigned step = 0; step < NF * SF; step++) {
        BNNC_HLS(PIPELINE II=1)
        ap_uint<SIMD * MMV * IB> x;
        if (nf == 0) {
          x = in.read();
          buffer[sf] = x;
        } else {
          x = buffer[sf];
        }
        for (unsigned m = 0; m < MMV; m++) {
          const ap_uint<XW> xm = x.range(m * XW + XW - 1, m * XW);
          ap_uint<IB> lanes[SIMD];
          if (!POPCOUNT)
            for (unsigned s = 0; s < SIMD; s++) lanes[s] = lane<IB>(xm, s);
          for (unsigned p = 0; p < PE; p++) {
            const AccT partial = POPCOUNT ? xnor_popcount<SIMD, AccT>(xm, weights[p][nf * SF + sf])
                                          : dot<SIMD, InT, WeightT, AccT>(lanes, weights[p][nf * SF + sf]);
            acc[m][p] = sf == 0 ? partial : AccT(acc[m][p] + partial);
          }
        }
        if (sf == SF - 1) {
          ap_uint<PE * MMV * OB> y = 0;
          for (unsigned m = 0; m < MMV; m++)
            for (unsigned p = 0; p < PE; p++) {
              const ap_uint<OB> code = STEPS > 0 ? threshold_code<OutT, (STEPS > 0 ? STEPS : 1), OFFSET>(acc[m][p], thresholds[p][nf])
                                                 : accumulator_code<OutT>(acc[m][p]);
              set_lane<OB>(y, m * PE + p, code);
            }
          out.write(y);
          sf = 0;
          nf++;
        } else {
          sf++;
        }
      }
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
