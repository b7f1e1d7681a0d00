//! The C ABI (see `include/prover_mesh.h`): thin `extern "C"` shims over the safe API.
//!
//! Every function returns a status (0 = ok, else an error code) and writes its result, or on
//! error a UTF-8 message, into `*out`, a buffer the library allocated and the caller releases with
//! `pm_buffer_free`.
//!
//! Panics: none crosses the boundary. Each body runs under `catch_unwind`, and a caught panic is
//! status 5 (internal) whose message carries the panic's message and location. The first call of
//! any export installs, once per process, a panic hook that keeps panics raised during exports
//! off stderr, so that whoever can trigger one (a remote prover's bytes) cannot fill the host's
//! logs; `PROVER_MESH_PRINT_PANICS=1` prints them as well. Other panics reach the previous hook.
//! Decoding caller bytes never panics: a panic is a bug, counted by `panics_during_exports`.
//!
//! Safety: every export is `unsafe` because it trusts the pointers it is given (each says how in
//! its `# Safety` section); it checks what it can: a NULL `out`, NULL with a length, a length no
//! buffer can have.

use crate::config::{CIRCUIT_VERSION, HASHCHAIN_LEAF_CAPACITY, SUM_LEAF_CAPACITY};
use crate::error::{invalid_input, ProverError, Result};
use crate::proof_type::ProofType;
use crate::prover::{plan_jobs, task_statement, verify_final, Prover};
use serde_json::json;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe, PanicHookInfo};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};

#[repr(C)]
pub struct PmBuffer {
    pub ptr: *mut u8,
    pub len: usize,
}

/// Returned when `out` itself is NULL: there is nowhere to put a message.
pub const PM_ERR_NULL_OUT: i32 = -1;

/// Most runs one `pm_time_native` call times: each proves or verifies once, so this bounds both
/// the call's duration and its sample buffer.
pub const MAX_TIMED_ITERATIONS: u32 = 1000;

/// Environment variable: `1` prints panics raised during exports to stderr too.
pub const PRINT_PANICS_ENV: &str = "PROVER_MESH_PRINT_PANICS";

/// Created once, by `pm_init` or by the first export that needs it; never replaced.
static PROVER: OnceLock<Prover> = OnceLock::new();

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
    PROVER.get_or_init(|| Prover::new(default_cache_dir()))
}

static PANICS: AtomicU64 = AtomicU64::new(0);
static EXPORTS_RUNNING: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static IN_EXPORT: Cell<bool> = const { Cell::new(false) };
    /// The last panic raised on this thread during an export: message and location.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics raised during exports since the library was loaded, whether the boundary caught them
/// or the safe API did (plonky2 panics on a witness that does not satisfy a circuit).
pub fn panics_during_exports() -> u64 {
    PANICS.load(Ordering::Relaxed)
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let print = std::env::var_os(PRINT_PANICS_ENV).is_some_and(|v| v == "1");
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !during_export() {
                return previous(info);
            }
            PANICS.fetch_add(1, Ordering::Relaxed);
            let _ = LAST_PANIC.try_with(|last| *last.borrow_mut() = Some(describe(info)));
            if print {
                previous(info);
            }
        }));
    });
}

/// On an export's thread, or on a rayon worker while exports run (plonky2's parallel work for
/// them; rayon re-raises the panic on the export's thread).
fn during_export() -> bool {
    IN_EXPORT.try_with(Cell::get).unwrap_or(false)
        || (rayon::current_thread_index().is_some() && EXPORTS_RUNNING.load(Ordering::Relaxed) > 0)
}

fn describe(info: &PanicHookInfo<'_>) -> String {
    let message = info.payload_as_str().unwrap_or("non-string panic payload");
    match info.location() {
        Some(at) => format!("{message} (at {}:{})", at.file(), at.line()),
        None => message.to_string(),
    }
}

fn payload_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".into())
}

/// # Safety
/// `out` must point to a `PmBuffer` the caller can write.
unsafe fn write_out(out: *mut PmBuffer, bytes: Vec<u8>) {
    let boxed = bytes.into_boxed_slice();
    let len = boxed.len();
    let ptr = Box::into_raw(boxed) as *mut u8;
    // SAFETY: the caller guarantees `out` is writable; `PmBuffer` has no destructor to skip.
    unsafe { out.write(PmBuffer { ptr, len }) };
}

/// What every export does around its body: installs the panic hook, runs `body` under
/// `catch_unwind`, and stores its bytes or error message in `*out`. Public only so that tests
/// can check the boundary with a body that panics.
///
/// # Safety
/// `out` must be NULL or point to a `PmBuffer` the caller can write.
#[doc(hidden)]
pub unsafe fn run(out: *mut PmBuffer, body: impl FnOnce() -> Result<Vec<u8>>) -> i32 {
    if out.is_null() {
        return PM_ERR_NULL_OUT;
    }
    install_panic_hook();
    let outer = IN_EXPORT.replace(true);
    LAST_PANIC.take();
    EXPORTS_RUNNING.fetch_add(1, Ordering::Relaxed);
    let result = catch_unwind(AssertUnwindSafe(body));
    EXPORTS_RUNNING.fetch_sub(1, Ordering::Relaxed);
    IN_EXPORT.set(outer);
    let result = result.unwrap_or_else(|payload| {
        let detail = LAST_PANIC
            .take()
            .unwrap_or_else(|| payload_message(payload.as_ref()));
        Err(ProverError::Internal(format!(
            "internal error in rust-prover: {detail}"
        )))
    });
    let (status, bytes) = match result {
        Ok(bytes) => (0, bytes),
        Err(error) => (error.code(), error.message().as_bytes().to_vec()),
    };
    // SAFETY: `out` is non-null and, by the caller's contract, writable.
    unsafe { write_out(out, bytes) };
    status
}

/// Borrows `len` bytes at `ptr`; NULL is allowed only with length 0.
///
/// # Safety
/// Unless NULL, `ptr` must point to `len` bytes that stay readable and unchanged for `'a`.
unsafe fn bytes<'a>(ptr: *const u8, len: usize, field: &str) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return invalid_input(format!("'{field}' is NULL but its length is {len}"));
    }
    if len > isize::MAX as usize {
        return invalid_input(format!(
            "'{field}' has length {len}, more than any buffer can hold"
        ));
    }
    // SAFETY: non-null, at most isize::MAX bytes, and readable for `'a` by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// # Safety
/// Unless NULL, `ptr` must point to 32 readable bytes.
unsafe fn task_id(ptr: *const u8) -> Result<[u8; 32]> {
    let mut id = [0u8; 32];
    // SAFETY: forwarded from this function's contract.
    id.copy_from_slice(unsafe { bytes(ptr, 32, "task_id") }?);
    Ok(id)
}

fn proof_type(code: u32) -> Result<ProofType> {
    ProofType::from_code(code)
}

/// Sets the circuit cache directory (empty: no disk cache). Optional; the first call of any
/// export that needs circuits creates the prover with the default directory instead. Safe to
/// call from several threads at once and idempotent: again with the same directory it succeeds,
/// with another one it fails (the prover exists and keeps its directory).
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`; `cache_dir` must point to
/// `cache_dir_len` readable bytes (NULL only with length 0).
#[no_mangle]
pub unsafe extern "C" fn pm_init(
    cache_dir: *const u8,
    cache_dir_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    // SAFETY: the pointers are valid by this function's contract.
    unsafe {
        run(out, || {
            let raw = bytes(cache_dir, cache_dir_len, "cache_dir")?;
            let dir = std::str::from_utf8(raw)
                .map_err(|_| ProverError::InvalidInput("'cache_dir' is not UTF-8".into()))?;
            let wanted = (!dir.is_empty()).then(|| PathBuf::from(dir));
            let running = PROVER.get_or_init(|| Prover::new(wanted.clone()));
            if running.cache_dir() != wanted.as_deref() {
                return invalid_input(format!(
                    "pm_init: the prover is already running with cache directory {:?}",
                    running.cache_dir()
                ));
            }
            Ok(vec![])
        })
    }
}

/// JSON: library and circuit versions, proof types with their job capacities, backend.
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`.
#[no_mangle]
pub unsafe extern "C" fn pm_info(out: *mut PmBuffer) -> i32 {
    // SAFETY: `out` is valid by this function's contract.
    unsafe {
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
}

/// Splits a task into job inputs. Output: `u32 count | count × (u32 length | job bytes)`.
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`; `task_id_ptr` must point to 32 readable
/// bytes; `task` must point to `task_len` readable bytes (NULL only with length 0).
#[no_mangle]
pub unsafe extern "C" fn pm_plan_jobs(
    proof_type_code: u32,
    task_id_ptr: *const u8,
    task: *const u8,
    task_len: usize,
    job_size: u32,
    out: *mut PmBuffer,
) -> i32 {
    // SAFETY: the pointers are valid by this function's contract.
    unsafe {
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
}

/// JSON statement a task's final proof must have.
///
/// # Safety
/// As `pm_plan_jobs`.
#[no_mangle]
pub unsafe extern "C" fn pm_task_statement(
    proof_type_code: u32,
    task_id_ptr: *const u8,
    task: *const u8,
    task_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    // SAFETY: the pointers are valid by this function's contract.
    unsafe {
        run(out, || {
            let statement = task_statement(
                proof_type(proof_type_code)?,
                task_id(task_id_ptr)?,
                bytes(task, task_len, "task")?,
            )?;
            Ok(statement.to_json().to_string().into_bytes())
        })
    }
}

/// Proves one job. Output: proof bytes.
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`; `job` must point to `job_len` readable
/// bytes (NULL only with length 0).
#[no_mangle]
pub unsafe extern "C" fn pm_prove_job(
    proof_type_code: u32,
    job: *const u8,
    job_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    // SAFETY: the pointers are valid by this function's contract.
    unsafe {
        run(out, || {
            prover().prove_job(proof_type(proof_type_code)?, bytes(job, job_len, "job")?)
        })
    }
}

/// Aggregates two adjacent proofs; `right` NULL with length 0 aggregates `left` alone.
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`; `left` and `right` must each point to
/// their length in readable bytes (NULL only with length 0).
#[no_mangle]
pub unsafe extern "C" fn pm_aggregate(
    proof_type_code: u32,
    left: *const u8,
    left_len: usize,
    right: *const u8,
    right_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    // SAFETY: the pointers are valid by this function's contract.
    unsafe {
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
}

/// Verifies a proof of any level with this library's circuits. Output: JSON `{level, statement}`.
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`; `proof` must point to `proof_len`
/// readable bytes (NULL only with length 0).
#[no_mangle]
pub unsafe extern "C" fn pm_verify(
    proof_type_code: u32,
    proof: *const u8,
    proof_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    // SAFETY: the pointers are valid by this function's contract.
    unsafe {
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
}

/// Verifies a final proof against a pinned verifier key (no circuit is built). Output: JSON statement.
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`; `key` and `proof` must each point to
/// their length in readable bytes (NULL only with length 0).
#[no_mangle]
pub unsafe extern "C" fn pm_verify_final(
    key: *const u8,
    key_len: usize,
    proof: *const u8,
    proof_len: usize,
    out: *mut PmBuffer,
) -> i32 {
    // SAFETY: the pointers are valid by this function's contract.
    unsafe {
        run(out, || {
            let statement = verify_final(
                bytes(key, key_len, "key")?,
                bytes(proof, proof_len, "proof")?,
            )?;
            Ok(statement.to_json().to_string().into_bytes())
        })
    }
}

/// The verifier key of a proof type's final proofs.
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`.
#[no_mangle]
pub unsafe extern "C" fn pm_verifier_key(proof_type_code: u32, out: *mut PmBuffer) -> i32 {
    // SAFETY: `out` is valid by this function's contract.
    unsafe { run(out, || prover().verifier_key(proof_type(proof_type_code)?)) }
}

/// Releases a buffer this library returned. A zeroed buffer (NULL `ptr`) is ignored.
///
/// # Safety
/// `buffer` must be zeroed, or a buffer an export of this library wrote that was not released
/// yet; its bytes must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn pm_buffer_free(buffer: PmBuffer) {
    if buffer.ptr.is_null() {
        return;
    }
    // SAFETY: ptr/len came from `write_out`'s Box<[u8]> and, by the contract, are released once.
    unsafe {
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
            buffer.ptr, buffer.len,
        )))
    };
}

/// Benchmarking aid: runs an operation `iterations` times (1 to `MAX_TIMED_ITERATIONS`) inside
/// the library and reports each run's duration, so callers can compare a call through the ABI
/// with the same work done natively in the same process. `op`: 1 = prove a job (`input` is the
/// job), 2 = verify a proof (`input` is the proof). Output: JSON `{"samplesNs": [...]}`.
///
/// # Safety
/// `out` must be NULL or point to a writable `PmBuffer`; `input` must point to `input_len`
/// readable bytes (NULL only with length 0).
#[no_mangle]
pub unsafe extern "C" fn pm_time_native(
    op: u32,
    proof_type_code: u32,
    input: *const u8,
    input_len: usize,
    iterations: u32,
    out: *mut PmBuffer,
) -> i32 {
    // SAFETY: the pointers are valid by this function's contract.
    unsafe {
        run(out, || {
            let timed: fn(&Prover, ProofType, &[u8]) -> Result<()> = match op {
                1 => |p, t, input| p.prove_job(t, input).map(drop),
                2 => |p, t, input| p.verify(t, input).map(drop),
                other => {
                    return invalid_input(format!(
                        "pm_time_native: unknown op {other} (1 = prove a job, 2 = verify a proof)"
                    ))
                }
            };
            if !(1..=MAX_TIMED_ITERATIONS).contains(&iterations) {
                return invalid_input(format!(
                    "pm_time_native: 'iterations' must be 1..={MAX_TIMED_ITERATIONS}, got {iterations}"
                ));
            }
            let proof_type = proof_type(proof_type_code)?;
            let input = bytes(input, input_len, "input")?;
            let prover = prover();
            prover.circuits(proof_type)?;
            let mut samples = Vec::with_capacity(iterations as usize);
            for _ in 0..iterations {
                let started = std::time::Instant::now();
                timed(prover, proof_type, input)?;
                samples.push(started.elapsed().as_nanos() as u64);
            }
            Ok(json!({ "samplesNs": samples }).to_string().into_bytes())
        })
    }
}
