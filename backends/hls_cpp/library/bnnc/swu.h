// bnnc HLS template library: the sliding-window unit (df.swu).
#ifndef BNNC_SWU_H
#define BNNC_SWU_H

#include "bnnc/types.h"

namespace bnnc {

// An NHWC image of IH x IW pixels of CHANNELS elements, SIMD a word, in; for every output pixel
// in row-major order its KH x KW window in (ky, kx, c) order, SIMD elements a word, MMV pixels
// side by side in a word (lane (m, s) of word (g, f) is element f * SIMD + s of pixel
// g * MMV + m). Stride SH x SW; PAD_TOP rows and PAD_LEFT columns of padding before the image
// (and as many after as OH x OW implies), padded positions holding the code PAD_VALUE.
//
// Rows are kept in a circular buffer of ROWS = KH + SH * ceil((MMV - 1) / OW) rows, enough for
// the windows of MMV consecutive pixels; a row is read when the first window that needs it is
// due, and rows no window needs are read and dropped at the end of the frame.
//
// Loop structure: one loop of frames * (IH * IW * CF + OH * OW / MMV * KH * KW * CF) steps
// pipelined at II=1, each either a read of one input word (while the next window group needs
// rows not yet in, and after the last group) or a write of one output word. The buffer has MMV
// copies (rows[m], partitioned along m), as bnnc_swu has MMV read ports: a step writes the
// word it reads into every copy, or reads pixel m's window word from copy m, one access to
// each memory a step, at an address computed at run time.
template <typename ElemT, unsigned CHANNELS, unsigned IH, unsigned IW, unsigned OH, unsigned OW, unsigned KH,
          unsigned KW, unsigned SH, unsigned SW, unsigned PAD_TOP, unsigned PAD_LEFT, unsigned PAD_VALUE,
          unsigned SIMD, unsigned MMV>
void swu(hls::stream<ap_uint<SIMD * element<ElemT>::bits> > &in,
         hls::stream<ap_uint<SIMD * MMV * element<ElemT>::bits> > &out, unsigned frames) {
  const unsigned B = element<ElemT>::bits, CF = CHANNELS / SIMD, W = SIMD * B;
  const unsigned SPAN = KH + SH * ((MMV - 1 + OW - 1) / OW);
  const unsigned ROWS = SPAN < IH ? SPAN : IH;
  const unsigned ROW_WORDS = IW * CF, GROUPS = OH * OW / MMV, FOLDS = KH * KW * CF;
  ap_uint<W> rows[MMV][ROWS * ROW_WORDS];
  BNNC_HLS(ARRAY_PARTITION variable=rows complete dim=1)
  uint64_t padding_chunks[chunks<W>::count];
  clear_chunks(padding_chunks);
  for (unsigned s = 0; s < SIMD; s++) or_bits(padding_chunks, s * B, B, PAD_VALUE & low_mask(B));
  const ap_uint<W> padding = from_chunks<W>(padding_chunks);
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * (IH * ROW_WORDS + GROUPS * FOLDS);
  unsigned row = 0, slot = 0, column = 0;  // the next word to read: its row, the row's slot, its word
  unsigned group = 0, fold = 0;            // the next word to write
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    const int last_row = (int)(((group * MMV + MMV - 1) / OW) * SH + KH) - (int)PAD_TOP;
    const unsigned needed = last_row < 0 ? 0 : ((unsigned)last_row < IH ? (unsigned)last_row : IH);
    if (group < GROUPS && row >= needed) {
      const unsigned ky = fold / (KW * CF), kx = (fold / CF) % KW, cf = fold % CF;
      uint64_t word[chunks<W * MMV>::count], pixel_word[chunks<W>::count];
      BNNC_HLS(ARRAY_PARTITION variable=word complete)
      BNNC_HLS(ARRAY_PARTITION variable=pixel_word complete)
      clear_chunks(word);
      for (unsigned m = 0; m < MMV; m++) {
        const unsigned pixel = group * MMV + m;
        const int y = (int)((pixel / OW) * SH + ky) - (int)PAD_TOP;
        const int x = (int)((pixel % OW) * SW + kx) - (int)PAD_LEFT;
        const bool inside = y >= 0 && y < (int)IH && x >= 0 && x < (int)IW;
        const unsigned address = inside ? ((unsigned)y % ROWS) * ROW_WORDS + (unsigned)x * CF + cf : 0;
        to_chunks(inside ? rows[m][address] : padding, pixel_word);
        or_chunks<W>(word, m * W, pixel_word);
      }
      out.write(from_chunks<W * MMV>(word));
      fold = fold + 1 == FOLDS ? 0 : fold + 1;
      group += fold == 0;
    } else {
      const ap_uint<W> word = in.read();
      for (unsigned m = 0; m < MMV; m++) rows[m][slot * ROW_WORDS + column] = word;
      column = column + 1 == ROW_WORDS ? 0 : column + 1;
      if (column == 0) {
        row++;
        slot = slot + 1 == ROWS ? 0 : slot + 1;
      }
    }
    if (group == GROUPS && row == IH) {  // the frame is done
      group = 0;
      row = 0;
      slot = 0;
    }
  }
}

// The depthwise mode (`df.swu` with `depthwise`, feeding `vvtu`): PE channels a word in, and for
// every output pixel its window as CF = CHANNELS / PE channel folds of TF = KH * KW / SIMD tap
// folds, word (cf, tf) holding tap tf * SIMD + s (taps in (ky, kx) order) of channel cf * PE + p
// of pixel m at lane (m * SIMD + s) * PE + p. The row buffer is `swu`'s, of PE-channel words.
//
// Loop structure: `swu`'s, with FOLDS = CF * TF output words a window: one loop of
// frames * (IH * IW * CF + OH * OW / MMV * CF * TF) steps pipelined at II=1, each a read of one
// input word or a write of one output word. The buffer has MMV * SIMD copies (rows[m * SIMD + s],
// partitioned along the first dimension), one a read port: a step writes the word it reads into
// every copy, or reads tap s of pixel m from copy m * SIMD + s, one access to each memory a step.
template <typename ElemT, unsigned CHANNELS, unsigned IH, unsigned IW, unsigned OH, unsigned OW, unsigned KH,
          unsigned KW, unsigned SH, unsigned SW, unsigned PAD_TOP, unsigned PAD_LEFT, unsigned PAD_VALUE,
          unsigned PE, unsigned SIMD, unsigned MMV>
void swu_dw(hls::stream<ap_uint<PE * element<ElemT>::bits> > &in,
            hls::stream<ap_uint<PE * SIMD * MMV * element<ElemT>::bits> > &out, unsigned frames) {
  const unsigned B = element<ElemT>::bits, CF = CHANNELS / PE, TF = KH * KW / SIMD, W = PE * B;
  const unsigned SPAN = KH + SH * ((MMV - 1 + OW - 1) / OW);
  const unsigned ROWS = SPAN < IH ? SPAN : IH;
  const unsigned ROW_WORDS = IW * CF, GROUPS = OH * OW / MMV, FOLDS = CF * TF;
  const unsigned OUT_W = PE * SIMD * MMV * B;
  ap_uint<W> rows[MMV * SIMD][ROWS * ROW_WORDS];
  BNNC_HLS(ARRAY_PARTITION variable=rows complete dim=1)
  uint64_t padding_chunks[chunks<W>::count];
  clear_chunks(padding_chunks);
  for (unsigned p = 0; p < PE; p++) or_bits(padding_chunks, p * B, B, PAD_VALUE & low_mask(B));
  const ap_uint<W> padding = from_chunks<W>(padding_chunks);
  const unsigned long long STEPS_A_CALL = (unsigned long long)frames * (IH * ROW_WORDS + GROUPS * FOLDS);
  unsigned row = 0, slot = 0, column = 0;  // the next word to read: its row, the row's slot, its word
  unsigned group = 0, fold = 0;            // the next word to write
  for (unsigned long long step = 0; step < STEPS_A_CALL; step++) {
    BNNC_HLS(PIPELINE II=1)
    const int last_row = (int)(((group * MMV + MMV - 1) / OW) * SH + KH) - (int)PAD_TOP;
    const unsigned needed = last_row < 0 ? 0 : ((unsigned)last_row < IH ? (unsigned)last_row : IH);
    if (group < GROUPS && row >= needed) {
      const unsigned cf = fold / TF, tf = fold % TF;
      uint64_t word[chunks<OUT_W>::count], tap_word[chunks<W>::count];
      BNNC_HLS(ARRAY_PARTITION variable=word complete)
      BNNC_HLS(ARRAY_PARTITION variable=tap_word complete)
      clear_chunks(word);
      for (unsigned m = 0; m < MMV; m++)
        for (unsigned s = 0; s < SIMD; s++) {
          const unsigned pixel = group * MMV + m, tap = tf * SIMD + s;
          const int y = (int)((pixel / OW) * SH + tap / KW) - (int)PAD_TOP;
          const int x = (int)((pixel % OW) * SW + tap % KW) - (int)PAD_LEFT;
          const bool inside = y >= 0 && y < (int)IH && x >= 0 && x < (int)IW;
          const unsigned address = inside ? ((unsigned)y % ROWS) * ROW_WORDS + (unsigned)x * CF + cf : 0;
          to_chunks(inside ? rows[m * SIMD + s][address] : padding, tap_word);
          or_chunks<W>(word, (m * SIMD + s) * W, tap_word);
        }
      out.write(from_chunks<OUT_W>(word));
      fold = fold + 1 == FOLDS ? 0 : fold + 1;
      group += fold == 0;
    } else {
      const ap_uint<W> word = in.read();
      for (unsigned copy = 0; copy < MMV * SIMD; copy++) rows[copy][slot * ROW_WORDS + column] = word;
      column = column + 1 == ROW_WORDS ? 0 : column + 1;
      if (column == 0) {
        row++;
        slot = slot + 1 == ROWS ? 0 : slot + 1;
      }
    }
    if (group == GROUPS && row == IH) {  // the frame is done
      group = 0;
      row = 0;
      slot = 0;
    }
  }
}

}  // namespace bnnc

#endif  // BNNC_SWU_H
