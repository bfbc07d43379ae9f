// bnnc HLS template library: the vector-vector-threshold unit of a depthwise convolution (df.vvtu).
#ifndef BNNC_VVTU_H
#define BNNC_VVTU_H

#include "bnnc/mvtu.h"
#include "bnnc/types.h"

namespace bnnc {

// VECTORS output pixels a frame, MMV at a time; each of CHANNELS channels is the dot product of
// its TAPS window taps with its own TAPS weights. PE channels and SIMD taps a cycle: input word
// (pixel group, channel fold cf < CF = CHANNELS / PE, tap fold tf < TF = TAPS / SIMD) holds tap
// tf * SIMD + s of channel cf * PE + p of pixel m at lane (m * SIMD + s) * PE + p (the window
// unit's depthwise order, `swu_dw`); weight word cf * TF + tf holds W[cf * PE + p][tf * SIMD + s]
// at lane s * PE + p (`df.VvtuOp.weight_memory`). The output word after the last tap fold
// holds channel cf * PE + p of pixel m at lane m * PE + p: NHWC. With STEPS > 0 the
// accumulators are thresholded (thresholds[p][cf] for channel cf * PE + p); with STEPS == 0
// (`vvtu_acc`) they leave as OutT values. A popcount (bipolar inputs and weights) counts the
// agreeing lanes.
//
// Loop structure: one loop of frames * (VECTORS / MMV) * CF * TF steps, pipelined at II=1 (no
// loop around it, so the pipeline fills once a call): step (cf, tf) reads one input word and
// weight word cf * TF + tf (one access to the one weight memory, a word of PE * SIMD lanes),
// and adds SIMD products into each of MMV * PE accumulators (registers); after tap fold TF - 1
// it writes one output word. Every input word is used once: no input buffer (the MVTU's is
// for its neuron folds). A frame takes CF * TF * VECTORS / MMV cycles.
template <unsigned CHANNELS, unsigned TAPS, unsigned PE, unsigned SIMD, unsigned MMV, unsigned VECTORS,
          unsigned POPCOUNT, typename InT, typename WeightT, typename AccT, typename OutT, typename ThrT,
          unsigned STEPS, int OFFSET>
void vvtu_core(hls::stream<ap_uint<PE * SIMD * MMV * element<InT>::bits> > &in,
               hls::stream<ap_uint<PE * MMV * element<OutT>::bits> > &out,
               const ap_uint<PE * SIMD * element<WeightT>::bits> (&weights)[(CHANNELS / PE) * (TAPS / SIMD)],
               const ThrT (&thresholds)[PE][CHANNELS / PE][STEPS > 0 ? STEPS : 1], unsigned frames) {
  const unsigned CF = CHANNELS / PE, TF = TAPS / SIMD;
  const int IB = element<InT>::bits, WB = element<WeightT>::bits, OB = element<OutT>::bits;
  const int XW = PE * SIMD * MMV * IB, WW = PE * SIMD * WB, YW = PE * MMV * OB;
  AccT acc[MMV][PE];
  BNNC_HLS(ARRAY_PARTITION variable=acc complete dim=0)
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * (VECTORS / MMV) * CF * TF;
  unsigned cf = 0, tf = 0;
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    uint64_t x[chunks<XW>::count], w[chunks<WW>::count];
    BNNC_HLS(ARRAY_PARTITION variable=x complete)
    BNNC_HLS(ARRAY_PARTITION variable=w complete)
    to_chunks(in.read(), x);
    to_chunks(weights[cf * TF + tf], w);
    for (unsigned m = 0; m < MMV; m++)
      for (unsigned p = 0; p < PE; p++) {
        long long partial = 0;
        for (unsigned s = 0; s < SIMD; s++) {
          BNNC_HLS(UNROLL)
          const uint64_t xs = get_bits(x, ((m * SIMD + s) * PE + p) * IB, IB);
          const uint64_t ws = get_bits(w, (s * PE + p) * WB, WB);
          partial += POPCOUNT ? (xs == ws ? 1 : 0) : product<InT, WeightT>::of(xs, ws);
        }
        acc[m][p] = AccT((tf == 0 ? 0 : acc[m][p].to_int64()) + partial);  // wraps as AccT
      }
    if (tf == TF - 1) {
      uint64_t y[chunks<YW>::count];
      BNNC_HLS(ARRAY_PARTITION variable=y complete)
      clear_chunks(y);
      for (unsigned m = 0; m < MMV; m++)
        for (unsigned p = 0; p < PE; p++) {
          const long long value = acc[m][p].to_int64();
          or_bits(y, (m * PE + p) * OB, OB,
                  STEPS > 0 ? threshold_code<OutT, (STEPS > 0 ? STEPS : 1), OFFSET>(value, thresholds[p][cf])
                            : accumulator_code<OutT>(value));
        }
      out.write(from_chunks<YW>(y));
      tf = 0;
      cf = cf + 1 == CF ? 0 : cf + 1;  // the next pixel group after the last channel fold
    } else {
      tf++;
    }
  }
}

template <unsigned CHANNELS, unsigned TAPS, unsigned PE, unsigned SIMD, unsigned MMV, unsigned VECTORS,
          unsigned POPCOUNT, typename InT, typename WeightT, typename AccT, typename OutT, typename ThrT,
          unsigned STEPS, int OFFSET>
void vvtu(hls::stream<ap_uint<PE * SIMD * MMV * element<InT>::bits> > &in,
          hls::stream<ap_uint<PE * MMV * element<OutT>::bits> > &out,
          const ap_uint<PE * SIMD * element<WeightT>::bits> (&weights)[(CHANNELS / PE) * (TAPS / SIMD)],
          const ThrT (&thresholds)[PE][CHANNELS / PE][STEPS], unsigned frames) {
  vvtu_core<CHANNELS, TAPS, PE, SIMD, MMV, VECTORS, POPCOUNT, InT, WeightT, AccT, OutT, ThrT, STEPS, OFFSET>(
      in, out, weights, thresholds, frames);
}

template <unsigned CHANNELS, unsigned TAPS, unsigned PE, unsigned SIMD, unsigned MMV, unsigned VECTORS,
          unsigned POPCOUNT, typename InT, typename WeightT, typename AccT, typename OutT>
void vvtu_acc(hls::stream<ap_uint<PE * SIMD * MMV * element<InT>::bits> > &in,
              hls::stream<ap_uint<PE * MMV * element<OutT>::bits> > &out,
              const ap_uint<PE * SIMD * element<WeightT>::bits> (&weights)[(CHANNELS / PE) * (TAPS / SIMD)],
              unsigned frames) {
  static const AccT no_thresholds[PE][CHANNELS / PE][1] = {};
  vvtu_core<CHANNELS, TAPS, PE, SIMD, MMV, VECTORS, POPCOUNT, InT, WeightT, AccT, OutT, AccT, 0, 0>(
      in, out, weights, no_thresholds, frames);
}

}  // namespace bnnc

#endif  // BNNC_VVTU_H
