/* prover-mesh prover: C ABI of librust-prover (crate prover-mesh-prover).
 *
 * Conventions
 * - Every function but pm_buffer_free returns a status: 0 on success, otherwise one of PM_ERR_*.
 * - Results go into *out, a buffer allocated by the library; on error *out holds a UTF-8 message
 *   (not NUL-terminated). The caller owns *out in both cases and releases it with pm_buffer_free.
 * - Input pointers are borrowed for the duration of the call; NULL is allowed only with length 0.
 *   Safety contract (the Rust side declares every function unsafe for it): out is NULL or points
 *   to a writable pm_buffer; every other pointer points to as many readable bytes as its length
 *   says (task_id: 32), unchanged until the call returns. The library checks only what it can:
 *   NULL out, NULL with a non-zero length, a length no buffer can have.
 * - Functions are thread-safe and may run concurrently. No Rust panic crosses this boundary: a
 *   panic (a bug) is PM_ERR_INTERNAL, its message and location in *out. The first call installs
 *   a panic hook that keeps such panics off stderr; PROVER_MESH_PRINT_PANICS=1 prints them too.
 * - Decoding never trusts its input: malformed tasks, jobs, proofs or keys give
 *   PM_ERR_INVALID_INPUT or PM_ERR_INVALID_PROOF with a message naming what is wrong.
 * - Proof types: 1 = sum, 2 = hashchain. Byte formats of tasks, jobs, proofs and keys are
 *   documented in rust-prover/README.md.
 */
#ifndef PROVER_MESH_H
#define PROVER_MESH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PM_OK 0
#define PM_ERR_NULL_OUT (-1)      /* out was NULL: nothing written */
#define PM_ERR_INVALID_INPUT 1    /* malformed or out-of-range input; the message names the field */
#define PM_ERR_INVALID_PROOF 2    /* a proof or key failed to decode or verify */
#define PM_ERR_INCOMPATIBLE 3     /* proofs that cannot be aggregated (other task, not adjacent, ...) */
#define PM_ERR_IO 4               /* circuit cache / file system */
#define PM_ERR_INTERNAL 5         /* a bug, including a caught panic (message and location) */

#define PM_PROOF_SUM 1
#define PM_PROOF_HASHCHAIN 2

typedef struct pm_buffer {
  uint8_t *ptr;
  size_t len;
} pm_buffer;

/* Sets the circuit cache directory (len 0: no disk cache). Optional; call before anything else.
 * Default: $PROVER_MESH_CIRCUIT_CACHE, else $XDG_CACHE_HOME or ~/.cache, /prover-mesh/circuits.
 * Thread-safe and idempotent: the first call (or the first call that needs circuits) fixes the
 * directory; calling again with the same directory succeeds, with another one fails. */
int32_t pm_init(const uint8_t *cache_dir, size_t cache_dir_len, pm_buffer *out);

/* JSON: {version, circuitVersion, proofSystem, backend: "cpu"|"gpu", proofTypes: [...]} */
int32_t pm_info(pm_buffer *out);

/* Splits a task into job inputs of job_size values/steps.
 * Output: u32 count, then count x (u32 length, job bytes), little-endian. task_id is 32 bytes. */
int32_t pm_plan_jobs(uint32_t proof_type, const uint8_t *task_id, const uint8_t *task, size_t task_len,
                     uint32_t job_size, pm_buffer *out);

/* JSON statement that the task's final proof must have (computed natively). */
int32_t pm_task_statement(uint32_t proof_type, const uint8_t *task_id, const uint8_t *task, size_t task_len,
                          pm_buffer *out);

/* Proves one job. Output: proof bytes. */
int32_t pm_prove_job(uint32_t proof_type, const uint8_t *job, size_t job_len, pm_buffer *out);

/* Aggregates two adjacent proofs of one task (right = NULL, right_len = 0: left alone).
 * Output: proof bytes. */
int32_t pm_aggregate(uint32_t proof_type, const uint8_t *left, size_t left_len, const uint8_t *right,
                     size_t right_len, pm_buffer *out);

/* Verifies a proof of any level with the library's circuits. Output: JSON {level, statement}. */
int32_t pm_verify(uint32_t proof_type, const uint8_t *proof, size_t proof_len, pm_buffer *out);

/* Verifies a task's final proof against a pinned verifier key. Output: JSON statement. */
int32_t pm_verify_final(const uint8_t *key, size_t key_len, const uint8_t *proof, size_t proof_len,
                        pm_buffer *out);

/* Exports the verifier key of final proofs of a type. Output: key bytes. */
int32_t pm_verifier_key(uint32_t proof_type, pm_buffer *out);

/* Benchmarking aid: runs op (1 = prove job, 2 = verify proof) iterations times inside the library;
 * iterations must be 1 to PM_MAX_TIMED_ITERATIONS. Output: JSON {"samplesNs": [...]}. */
#define PM_MAX_TIMED_ITERATIONS 1000
int32_t pm_time_native(uint32_t op, uint32_t proof_type, const uint8_t *input, size_t input_len, uint32_t iterations,
                       pm_buffer *out);

/* Releases a buffer returned by this library. A zeroed buffer is ignored. */
void pm_buffer_free(pm_buffer buffer);

#ifdef __cplusplus
}
#endif

#endif
