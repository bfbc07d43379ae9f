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
#include <stdint.h>

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

// What the library needs of an element type: its bits in a word, and the number a code means,
// as an ap_int value or as a native integer (from the code's bits in a chunk).
template <typename T>
struct element;

template <>
struct element<bipolar> {
  static const int bits = 1;
  typedef ap_int<2> value_type;
  static value_type value(const ap_uint<1> &code) { return code ? value_type(1) : value_type(-1); }
  static long long number(uint64_t code) { return code ? 1 : -1; }
};

template <int N>
struct element<ap_int<N> > {
  static const int bits = N;
  typedef ap_int<N> value_type;
  static value_type value(const ap_uint<N> &code) { return value_type(code); }
  static long long number(uint64_t code) {  // sign-extended from bit N - 1
    return N == 64 ? (long long)code : (long long)(code << (64 - N)) >> (64 - N);
  }
};

template <int N>
struct element<ap_uint<N> > {
  static const int bits = N;
  typedef ap_uint<N> value_type;
  static value_type value(const ap_uint<N> &code) { return code; }
  static long long number(uint64_t code) { return (long long)code; }
};

// Lane i of a word of B-bit lanes.
template <int B, int W>
inline ap_uint<B> lane(const ap_uint<W> &word, unsigned i) {
  return word.range(i * B + B - 1, i * B);
}

// Wide words as native 64-bit chunks. Every engine takes its stream words and ROM entries apart
// into chunks of 64 bits (chunk c holds bits [64c, 64c + 64), zero above the word's width),
// works on the chunks and puts its output words together from chunks. Synthesis sees bit
// slices and concatenations, wires without logic; the C simulation sees native integers where
// every ap_int operation on a word wider than 64 bits would be a loop over its words.
template <int W>
struct chunks {
  static const int count = (W + 63) / 64;
};

template <int W>
inline void to_chunks(const ap_uint<W> &word, uint64_t (&out)[chunks<W>::count]) {
  BNNC_HLS(INLINE)
  if (W <= 64) {
    out[0] = word.to_uint64();
  } else {
    ap_uint<W> rest = word;
    for (int c = 0; c < chunks<W>::count; c++) {
      out[c] = rest.to_uint64();
      if (c + 1 < chunks<W>::count) rest >>= 64;
    }
  }
}

template <int W>
inline ap_uint<W> from_chunks(const uint64_t (&in)[chunks<W>::count]) {
  BNNC_HLS(INLINE)
  ap_uint<W> word = in[chunks<W>::count - 1];
  for (int c = chunks<W>::count - 2; c >= 0; c--) {
    word <<= 64;
    word |= ap_uint<W>(in[c]);
  }
  return word;
}

// The low n <= 64 bits set.
inline uint64_t low_mask(unsigned n) { return n < 64 ? (1ULL << n) - 1 : ~0ULL; }

// The n <= 64 bits at bit lo of a chunked word (lo + n within the chunks).
template <int N>
inline uint64_t get_bits(const uint64_t (&word)[N], unsigned lo, unsigned n) {
  BNNC_HLS(INLINE)
  const unsigned c = lo / 64, shift = lo % 64;
  uint64_t bits = word[c] >> shift;
  if (shift != 0 && shift + n > 64) bits |= word[c + 1] << (64 - shift);
  return bits & low_mask(n);
}

// ORs the n <= 64 bits `value` (zero above n) into a chunked word at bit lo.
template <int N>
inline void or_bits(uint64_t (&word)[N], unsigned lo, unsigned n, uint64_t value) {
  BNNC_HLS(INLINE)
  const unsigned c = lo / 64, shift = lo % 64;
  word[c] |= value << shift;
  if (shift != 0 && shift + n > 64) word[c + 1] |= value >> (64 - shift);
}

// ORs the chunks of a W-bit word into a chunked word at bit lo.
template <int W, int N>
inline void or_chunks(uint64_t (&word)[N], unsigned lo, const uint64_t (&value)[chunks<W>::count]) {
  BNNC_HLS(INLINE)
  for (int c = 0; c < chunks<W>::count; c++) or_bits(word, lo + 64 * c, W - 64 * c < 64 ? W - 64 * c : 64, value[c]);
}

template <int N>
inline void clear_chunks(uint64_t (&word)[N]) {
  BNNC_HLS(INLINE)
  for (int c = 0; c < N; c++) word[c] = 0;
}

// The number of set bits of a 64-bit chunk: the popcnt instruction (or its libgcc routine) in
// C simulation, the sum of the bits, which synthesis builds as an adder tree, in synthesis
// (Vivado HLS has no popcount builtin). Both compute the same number; nothing else in the
// library differs between the two.
inline unsigned popcount64(uint64_t x) {
  BNNC_HLS(INLINE)
#ifndef __SYNTHESIS__
  return __builtin_popcountll(x);
#else
  unsigned count = 0;
  for (int i = 0; i < 64; i++) {
    BNNC_HLS(UNROLL)
    count += (x >> i) & 1;
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
