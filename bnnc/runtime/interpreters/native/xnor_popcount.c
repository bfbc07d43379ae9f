/* The bnn executor's hot loop: ±1 dot products of bit-packed rows.
 *
 * out[r][j] = k - 2 * popcount(x[r] XOR w[j]), rows of `words` 64-bit words, element i at bit
 * i mod 64 of word i / 64 (bnnc.packing's order), padding bits zero in both operands so that
 * they never count as a mismatch. Rows are spread over `threads` cores with OpenMP (0: all of
 * them; the executor passes 1 when it already runs batches side by side); the popcount
 * instruction is used where the CPU has it (GCC's target_clones picks at load time).
 */
#include <omp.h>
#include <stdint.h>

__attribute__((target_clones("popcnt", "default")))
void bnnc_xnor_popcount(const uint64_t *x, const uint64_t *w, int64_t *out, int64_t rows,
                        int64_t m, int64_t words, int64_t k, int threads) {
    if (threads <= 0) threads = omp_get_max_threads();
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int64_t r = 0; r < rows; ++r) {
        const uint64_t *xr = x + r * words;
        int64_t *o = out + r * m;
        for (int64_t j = 0; j < m; ++j) {
            const uint64_t *wj = w + j * words;
            int64_t mismatches = 0;
            for (int64_t i = 0; i < words; ++i) {
                mismatches += __builtin_popcountll(xr[i] ^ wj[i]);
            }
            o[j] = k - 2 * mismatches;
        }
    }
}
