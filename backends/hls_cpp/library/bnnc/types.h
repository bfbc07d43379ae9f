// bnnc HLS template library: element types, stream words and the AXI-stream word.
//
// Written for Vivado HLS 2020.1+ and Vitis HLS; C-simulates under g++ with the open-source
// ap_int headers. Every template reads and writes the words of the `df` streams it comes from:
// element i of a word at bits [i*B, (i+1)*B), B the element's bits; a bipolar element is one
// bit, 1 for +1 and 0 for -1; integers are two's complement (signed) or plain (unsigned).
#ifndef BNNC_TYPES_H
#define BNNC_TYPES_H

#include <ap_int.h>
#include <hls_stream.h>

// HLS pragmas, visible to the synthesis tool only: the C simulation does not need them, and
// g++ would warn about every one of them.
#define BNNC_STR(x) #x
#ifdef __SYNTHESIS__
#define BNNC_HLS(x) _Pragma(BNNC_STR(HLS x))
#else
#define BNNC_HLS(x)
#endif

// Storage of a ROM (`hls.rom`'s `storage`), in the syntax of the tool that compiles it.
#if defined(__VITIS_HLS__)
#define BNNC_ROM_STORAGE(var, kind) BNNC_HLS(BIND_STORAGE variable=var type=rom_1p impl=kind)
#else
#define BNNC_ROM_STORAGE_bram(var) BNNC_HLS(RESOURCE variable=var core=ROM_1P_BRAM)
#define BNNC_ROM_STORAGE_lutram(var) BNNC_HLS(RESOURCE variable=var core=ROM_1P_LUTRAM)
#define BNNC_ROM_STORAGE_auto(var)
#define BNNC_ROM_STORAGE(var, kind) BNNC_ROM_STORAGE_##kind(var)
#endif

// The AXI-stream word of the accelerator's ports: 64 data bits and TLAST.
#if defined(__has_include)
#if __has_include(<ap_axi_sdata.h>)
#define BNNC_HAVE_AP_AXI_SDATA 1
#endif
#endif

#ifdef BNNC_HAVE_AP_AXI_SDATA
#include <ap_axi_sdata.h>
namespace bnnc {
typedef ap_axiu<64, 1, 1, 1> axi_word;
}
#else
namespace bnnc {
// The fields of Xilinx's ap_axiu<64, 1, 1, 1>, for C simulation without the Xilinx headers.
struct axi_word {
  ap_uint<64> data;
  ap_uint<8> keep;
  ap_uint<8> strb;
  ap_uint<1> user;
  ap_uint<1> last;
  ap_uint<1> id;
  ap_uint<1> dest;
};
}  // namespace bnnc
#endif

namespace bnnc {

// A +1/-1 value in one bit.
struct bipolar {};

// What the library needs of an element type: its bits in a word, and the number a code means.
template <typename T>
struct element;

template <>
struct element<bipolar> {
  static const int bits = 1;
  typedef ap_int<2> value_type;
  static value_type value(const ap_uint<1> &code) { return code ? value_type(1) : value_type(-1); }
  static ap_uint<1> code(const value_type &v) { return v > 0 ? 1 : 0; }
};

template <int N>
struct element<ap_int<N> > {
  static const int bits = N;
  typedef ap_int<N> value_type;
  static value_type value(const ap_uint<N> &code) { return value_type(code); }
  static ap_uint<N> code(const value_type &v) { return ap_uint<N>(v); }
};

template <int N>
struct element<ap_uint<N> > {
  static const int bits = N;
  typedef ap_uint<N> value_type;
  static value_type value(const ap_uint<N> &code) { return code; }
  static ap_uint<N> code(const value_type &v) { return v; }
};

// Lane i of a word of B-bit lanes.
template <int B, int W>
inline ap_uint<B> lane(const ap_uint<W> &word, unsigned i) {
  return word.range(i * B + B - 1, i * B);
}

template <int B, int W>
inline void set_lane(ap_uint<W> &word, unsigned i, const ap_uint<B> &value) {
  word.range(i * B + B - 1, i * B) = value;
}

// The number of set bits of x. The C simulation counts 64 bits at a time; synthesis sees the
// sum of the bits, which it builds as an adder tree. Both compute the same number.
template <int N>
inline unsigned popcount(const ap_uint<N> &x) {
#ifndef __SYNTHESIS__
  unsigned count = 0;
  for (int lo = 0; lo < N; lo += 64) {
    const int hi = lo + 63 < N - 1 ? lo + 63 : N - 1;
    count += __builtin_popcountll(x.range(hi, lo).to_uint64());
  }
  return count;
#else
  unsigned count = 0;
  for (int i = 0; i < N; i++) {
    BNNC_HLS(UNROLL)
    count += x[i];
  }
  return count;
#endif
}

// The N-bit mask of the low `count` bits (count < N), in N bits: operands of different widths
// would make ap_int's multi-word operators warn at run time.
template <int N>
inline ap_uint<N> low_bits(unsigned count) {
  ap_uint<N> mask = 1;
  mask <<= count;
  mask -= 1;
  return mask;
}

// A queue of up to BITS bits, least significant first: the core of the width converters.
template <int BITS>
struct bit_queue {
  ap_uint<BITS> bits;
  unsigned count;

  bit_queue() : bits(0), count(0) {}

  template <int W>
  void push(const ap_uint<W> &word, unsigned nbits) {
    ap_uint<BITS> wide = word;
    if (nbits < (unsigned)W) wide &= low_bits<BITS>(nbits);  // drop padding bits
    bits |= wide << count;
    count += nbits;
  }

  template <int W>
  ap_uint<W> pop(unsigned nbits) {
    ap_uint<W> word = bits.range(W - 1, 0);
    if (nbits < (unsigned)W) word &= low_bits<W>(nbits);
    bits >>= nbits;
    count -= nbits;
    return word;
  }
};

}  // namespace bnnc

#endif  // BNNC_TYPES_H
