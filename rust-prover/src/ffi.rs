//! The C ABI (see `include/prover_mesh.h`): thin `extern "C"` shims over the safe API.
//!
//! Every function returns a status (0 = ok, else an error code) and writes its result, or on
//! error a UTF-8 message, into `*out`, a buffer the library allocated and the caller releases with
//! `pm_buffer_free`. No panic crosses the boundary: each body runs under `catch_unwind`.

use crate::config::{CIRCUIT_VERSION, HASHCHAIN_LEAF_CAPACITY, SUM_LEAF_CAPACITY};
use crate::error::{ProverError, Result};
use crate::proof_type::ProofType;
use crate::prover::{plan_jobs, task_statement, verify_final, Prover};
use serde_json::json;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

#[repr(C)]
pub struct PmBuffer {
    pub ptr: *mut u8,
    pub len: usize,
}

/// Returned when `out` itself is NULL: there is nowhere to put a message.
pub const PM_ERR_NULL_OUT: i32 = -1;

static PROVER: OnceLock<Prover> = OnceLock::new();
static CACHE_DIR: Mutex<Option<Option<PathBuf>>> = Mutex::new(None);

fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PROVER_MESH_CIRCUIT_CACHE") {
        return if dir.is_empty() {
            None
        } else {
            Some(PathBuf::from(dir))
        };
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("prover-mesh").join("circuits"))
}

fn prover() -> &'static Prover {
    PROVER.get_or_init(|| {
        let configured = CACHE_DIR.lock().unwrap_or_else(|p| p.into_inner()).clone();
        Prover::new(configured.unwrap_or_else(default_cache_dir))
    })
}

fn write_out(out: *mut PmBuffer, bytes: Vec<u8>) {
    let boxed = bytes.into_boxed_slice();
    let len = boxed.len();
    let ptr = Box::into_raw(boxed) as *mut u8;
    // SAFETY: `out` was checked non-null by `run` and points to a caller-owned PmBuffer.
    unsafe {
        (*out).ptr = ptr;
        (*out).len = len;
    }
}

/// Runs `body`, catching panics, and stores its bytes or error message in `out`.
fn run(out: *mut PmBuffer, body: impl FnOnce() -> Result<Vec<u8>>) -> i32 {
    if out.is_null() {
        return PM_ERR_NULL_OUT;
    }
    let result = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(ProverError::Internal(format!(
            "internal error in rust-prover: {detail}"
        )))
    });
    match result {
        Ok(bytes) => {
            write_out(out, bytes);
            0
        }
        Err(error) => {
            write_out(out, error.message().as_bytes().to_vec());
            error.code()
        }
    }
}

/// Borrows `len` bytes at `ptr`; NULL is allowed only with length 0.
fn bytes<'a>(ptr: *const u8, len: usize, field: &str) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(ProverError::InvalidInput(format!(
            "'{field}' is NULL but its length is {len}"
        )));
    }
    // SAFETY: the caller guarantees `ptr` points to `len` readable bytes for the call's duration.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

fn task_id(ptr: *const u8) -> Result<[u8; 32]> {
    let id = bytes(ptr, 32, "task_id")?;
    Ok(id.try_into().unwrap())
}

fn proof_type(code: u32) -> Result<ProofType> {
    ProofType::from_code(code)
}

/// Sets the circuit cache directory (empty: no disk cache). Must come before any other call
/// that needs circuits; later calls with a different directory fail.
#[no_mangle]
pub extern "C" fn pm_init(cache_dir: *const u8, cache_dir_len: usize, out: *mut PmBuffer) -> i32 {
    run(out, || {
        let raw = bytes(cache_dir, cache_dir_len, "cache_dir")?;
        let dir = std::str::from_utf8(raw)
            .map_err(|_| ProverError::InvalidInput("'cache_dir' is not UTF-8".into()))?;
        let wanted = if dir.is_empty() {
            None
        } else {
            Some(PathBuf::from(dir))
        };
        let mut configured = CACHE_DIR.lock().unwrap_or_else(|p| p.into_inner());
        let current = configured.clone().unwrap_or_else(default_cache_dir);
        if PROVER.get().is_some() && current != wanted {
            return Err(ProverError::InvalidInput(
                "pm_init: the prover is already running with another cache directory".into(),
            ));
        }
        *configured = Some(wanted);
        Ok(vec![])
    })
}

/// JSON: library and circuit versions, proof types with their job capacities, backend.
#[no_mangle]
pub extern "C" fn pm_info(out: *mut PmBuffer) -> i32 {
    run(out, || {
        let max_task_length = 1u64 << crate::config::MAX_TASK_LENGTH_BITS;
        let info = json!({
            "version": env!("CARGO_PKG_VERSION"),
            "circuitVersion": CIRCUIT_VERSION,
            "proofSystem": "plonky2 1.1.0 (standard recursion config, Goldilocks, Poseidon)",
            "backend": "cpu",
            "proofTypes": [
                { "name": "sum", "code": ProofType::Sum.code(), "maxJobSize": SUM_LEAF_CAPACITY, "jobSizeMultiple": crate::config::SPONGE_RATE, "maxTaskLength": max_task_length },
                { "name": "hashchain", "code": ProofType::Hashchain.code(), "maxJobSize": HASHCHAIN_LEAF_CAPACITY, "jobSizeMultiple": 1, "maxTaskLength": max_task_length },
            ],
        });
        Ok(info.to_string().into_bytes())
    })
}

/// Splits a task into job inputs. Output: `u32 count | count × (u32 length | job bytes)`.
#[no_mangle]
pub extern "C" fn pm_plan_jobs(
    proof_type_code: u32,
    task_id_ptr: *const u8,
    task: *const u8,
    task_len: usize,
    job_size: u32,
    out: *mut PmBuffer,
) -> i32 {
    run(out, || {
        let jobs = plan_jobs(
            proof_type(proof_type_code)?,
            task_id(task_id_ptr)?,
            bytes(task, task_len, "task")?,
            job_size as usize,
        )?;
        let mut encoded = (jobs.len() as u32).to_le_bytes().to_vec();
        for job in jobs {
            encoded.extend((job.len() as u32).to_le_bytes());
            encoded.extend(job);
        }
        Ok(encoded)
    })
}

/// JSON statement a task's final proof must have.
#[no_mangle]
pub extern "C" fn pm_task_statement(
    proof_type_code: u32,
    task_id_ptr: *const u8,
    task: *const u8,
    task_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    run(out, || {
        let statement = task_statement(
            proof_type(proof_type_code)?,
            task_id(task_id_ptr)?,
            bytes(task, task_len, "task")?,
        )?;
        Ok(statement.to_json().to_string().into_bytes())
    })
}

/// Proves one job. Output: proof bytes.
#[no_mangle]
pub extern "C" fn pm_prove_job(
    proof_type_code: u32,
    job: *const u8,
    job_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    run(out, || {
        prover().prove_job(proof_type(proof_type_code)?, bytes(job, job_len, "job")?)
    })
}

/// Aggregates two adjacent proofs; `right` NULL with length 0 aggregates `left` alone.
#[no_mangle]
pub extern "C" fn pm_aggregate(
    proof_type_code: u32,
    left: *const u8,
    left_len: usize,
    right: *const u8,
    right_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    run(out, || {
        let left = bytes(left, left_len, "left")?;
        let right = if right_len == 0 {
            None
        } else {
            Some(bytes(right, right_len, "right")?)
        };
        prover().aggregate(proof_type(proof_type_code)?, left, right)
    })
}

/// Verifies a proof of any level with this library's circuits. Output: JSON `{level, statement}`.
#[no_mangle]
pub extern "C" fn pm_verify(
    proof_type_code: u32,
    proof: *const u8,
    proof_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    run(out, || {
        let (level, statement) = prover().verify(
            proof_type(proof_type_code)?,
            bytes(proof, proof_len, "proof")?,
        )?;
        Ok(
            json!({ "level": level.name(), "statement": statement.to_json() })
                .to_string()
                .into_bytes(),
        )
    })
}

/// Verifies a final proof against a pinned verifier key (no circuit is built). Output: JSON statement.
#[no_mangle]
pub extern "C" fn pm_verify_final(
    key: *const u8,
    key_len: usize,
    proof: *const u8,
    proof_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    run(out, || {
        let statement = verify_final(
            bytes(key, key_len, "key")?,
            bytes(proof, proof_len, "proof")?,
        )?;
        Ok(statement.to_json().to_string().into_bytes())
    })
}

/// The verifier key of a proof type's final proofs.
#[no_mangle]
pub extern "C" fn pm_verifier_key(proof_type_code: u32, out: *mut PmBuffer) -> i32 {
    run(out, || prover().verifier_key(proof_type(proof_type_code)?))
}

/// Releases a buffer this library returned. Safe to call with a zeroed buffer.
#[no_mangle]
pub extern "C" fn pm_buffer_free(buffer: PmBuffer) {
    if buffer.ptr.is_null() {
        return;
    }
    // SAFETY: ptr/len came from `write_out`'s Box<[u8]> and are released exactly once.
    unsafe {
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
            buffer.ptr, buffer.len,
        )))
    };
}

/// Benchmarking aid: runs an operation `iterations` times inside the library and reports each
/// run's duration, so callers can compare a call through the ABI with the same work done natively
/// in the same process. `op`: 1 = prove a job (`input` is the job), 2 = verify a proof (`input` is
/// the proof). Output: JSON `{"samplesNs": [...]}`.
#[no_mangle]
pub extern "C" fn pm_time_native(
    op: u32,
    proof_type_code: u32,
    input: *const u8,
    input_len: usize,
    iterations: u32,
    out: *mut PmBuffer,
) -> i32 {
    run(out, || {
        let proof_type = proof_type(proof_type_code)?;
        let input = bytes(input, input_len, "input")?;
        let prover = prover();
        prover.circuits(proof_type)?;
        let mut samples = Vec::with_capacity(iterations as usize);
        for _ in 0..iterations {
            let started = std::time::Instant::now();
            match op {
                1 => {
                    prover.prove_job(proof_type, input)?;
                }
                2 => {
                    prover.verify(proof_type, input)?;
                }
                other => {
                    return Err(ProverError::InvalidInput(format!(
                        "pm_time_native: unknown op {other}"
                    )))
                }
            }
            samples.push(started.elapsed().as_nanos() as u64);
        }
        Ok(json!({ "samplesNs": samples }).to_string().into_bytes())
    })
}
