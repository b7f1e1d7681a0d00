//! Fuzzes every C ABI function that decodes caller bytes (tasks, job inputs, proofs, aggregate
//! inputs, verifier keys) with random and mutated inputs, starting from valid encodings the
//! library made: each call must return success or a typed error with a message, and no panic
//! may be raised (`panics_during_exports` counts even those the library catches itself).
//!
//! Mutations come from a seeded xorshift, so a run is repeatable up to the fixture proofs
//! themselves (plonky2's proof-of-work search is parallel, so their bytes vary between runs).
//! Case counts are sized for well under a minute on 2 cores in release: a proof that reaches the
//! verifier costs a millisecond or two, the other decoders microseconds. All calls pass valid
//! pointers: the fuzzing is of the bytes, not of the Safety contract.

mod common;

use common::{hashchain_task, sum_task};
use prover_mesh_prover::ffi::*;
use prover_mesh_prover::job::Job;
use prover_mesh_prover::proof_type::ProofType;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;
use std::time::Instant;

const SUM: u32 = 1;
const HASHCHAIN: u32 = 2;
const PM_ERR_INVALID_INPUT: i32 = 1;
const PM_ERR_INVALID_PROOF: i32 = 2;

const TASK_CASES: usize = 40_000;
const JOB_CASES: usize = 100_000;
const PROOF_CASES: usize = 4_000;
const KEY_CASES: usize = 2_000;
const FINAL_PROOF_CASES: usize = 2_000;
const AGGREGATE_CASES: usize = 400;

/// xorshift64: tiny, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Where a format keeps its header bytes and its length fields, so mutations can aim at them.
struct Format {
    header_len: usize,
    /// (offset, width in bytes) of length or count fields.
    lengths: &'static [(usize, usize)],
}

const TASK: Format = Format {
    header_len: 0,
    lengths: &[],
};
const HASHCHAIN_TASK: Format = Format {
    header_len: 0,
    lengths: &[(32, 8)],
};
// "PMJS" | task_id[32] | start u64 | state_in 12 × u64 | count u32 | values
const SUM_JOB: Format = Format {
    header_len: 4,
    lengths: &[(36, 8), (140, 4)],
};
// "PMJH" | task_id[32] | start u64 | h_in 4 × u64 | steps u32
const HASHCHAIN_JOB: Format = Format {
    header_len: 4,
    lengths: &[(36, 8), (76, 4)],
};
// "PMPF" | format | type | level | reserved | plonky2 proof
const PROOF: Format = Format {
    header_len: 8,
    lengths: &[],
};
// "PMVK" | format | type | reserved 2 | version length u32 | version | cap height u64 | ...
const KEY: Format = Format {
    header_len: 8,
    lengths: &[(8, 4), (25, 8)],
};

fn interesting_length(rng: &mut Rng, valid: u64) -> u64 {
    let choices = [
        0,
        1,
        valid.wrapping_sub(1),
        valid.wrapping_add(1),
        valid.wrapping_mul(2),
        u64::from(u32::MAX),
        1 << 31,
        1 << 40,
        u64::MAX,
        rng.next(),
    ];
    choices[rng.below(choices.len())]
}

/// One mutation of a valid encoding: truncate, flip bits, rewrite a header byte or a length,
/// append garbage, cut or repeat a slice, or replace it with random bytes behind its magic.
fn mutate(rng: &mut Rng, valid: &[u8], format: &Format) -> Vec<u8> {
    let mut m = valid.to_vec();
    let len = valid.len();
    match rng.below(8) {
        0 => {
            // Short prefixes are where headers break, so favour them.
            let cut = if rng.below(2) == 0 {
                rng.below((format.header_len * 2 + 16).min(len + 1))
            } else {
                rng.below(len + 1)
            };
            m.truncate(cut);
        }
        1 => {
            for _ in 0..=rng.below(4) {
                let i = rng.below(len);
                m[i] ^= 1 << rng.below(8);
            }
        }
        2 if format.header_len > 0 => {
            let i = rng.below(format.header_len);
            m[i] = rng.next() as u8;
        }
        3 if !format.lengths.is_empty() => {
            let (at, width) = format.lengths[rng.below(format.lengths.len())];
            if at + width <= len {
                let mut raw = [0u8; 8];
                raw[..width].copy_from_slice(&m[at..at + width]);
                let value = interesting_length(rng, u64::from_le_bytes(raw));
                m[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
            }
        }
        4 => {
            let n = 1 + rng.below(64);
            m.extend(rng.bytes(n));
        }
        5 => {
            let start = rng.below(len);
            let end = start + rng.below(len - start + 1);
            if rng.below(2) == 0 {
                m.drain(start..end);
            } else {
                let slice = m[start..end].to_vec();
                m.splice(start..start, slice);
            }
        }
        6 => {
            let keep = format.header_len.min(len);
            m.truncate(keep);
            let n = rng.below(2 * len + 1);
            m.extend(rng.bytes(n));
        }
        _ => {
            let i = rng.below(len);
            m[i] = rng.next() as u8;
        }
    }
    m
}

struct Outcome {
    status: i32,
    message: Vec<u8>,
}

/// Calls one export with a fresh `out` buffer, copies what it wrote and frees it. Callers pass
/// pointers into live slices with their lengths, which is all the exports' Safety sections ask.
fn call(f: impl FnOnce(*mut PmBuffer) -> i32) -> Outcome {
    let mut out = PmBuffer {
        ptr: std::ptr::null_mut(),
        len: 0,
    };
    let status = f(&mut out);
    let message = if out.ptr.is_null() {
        vec![]
    } else {
        // SAFETY: the library wrote `len` bytes at `ptr` and we have not freed them yet.
        unsafe { std::slice::from_raw_parts(out.ptr, out.len) }.to_vec()
    };
    unsafe { pm_buffer_free(out) };
    Outcome { status, message }
}

/// Counts outcomes and fails on anything but success or a typed, explained error.
#[derive(Default)]
struct Tally {
    calls: usize,
    ok: usize,
    by_status: [usize; 5],
    /// Errors from plonky2's verifier itself: the input got past every decoding check.
    failed_verification: usize,
}

impl Tally {
    fn record(&mut self, what: &str, input: &[u8], outcome: &Outcome) {
        self.calls += 1;
        let preview: String = input.iter().take(24).map(|b| format!("{b:02x}")).collect();
        let message = String::from_utf8_lossy(&outcome.message);
        assert!(
            (0..=4).contains(&outcome.status),
            "{what}: status {} (not ok and not a typed error) for {} input bytes [{preview}…]: {message}",
            outcome.status,
            input.len(),
        );
        if outcome.status == 0 {
            self.ok += 1;
        } else {
            self.by_status[outcome.status as usize] += 1;
            self.failed_verification += usize::from(message.contains("does not verify"));
            assert!(
                std::str::from_utf8(&outcome.message).is_ok_and(|m| !m.is_empty()),
                "{what}: error {} without a UTF-8 message",
                outcome.status
            );
        }
    }

    fn report(&self, what: &str, started: Instant) {
        assert_eq!(
            panics_during_exports(),
            0,
            "a panic was raised (and caught) inside an export"
        );
        println!(
            "{what}: {} calls, {} ok, errors by status {:?} ({} failed verification), {:.1} s",
            self.calls,
            self.ok,
            &self.by_status[1..],
            self.failed_verification,
            started.elapsed().as_secs_f64()
        );
    }
}

fn init() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("circuits");
        let dir = dir.to_str().unwrap().as_bytes().to_vec();
        let outcome = call(|out| unsafe { pm_init(dir.as_ptr(), dir.len(), out) });
        assert_eq!(
            outcome.status,
            0,
            "{}",
            String::from_utf8_lossy(&outcome.message)
        );
    });
}

fn expect_ok(what: &str, outcome: Outcome) -> Vec<u8> {
    assert_eq!(
        outcome.status,
        0,
        "{what}: {}",
        String::from_utf8_lossy(&outcome.message)
    );
    outcome.message
}

fn plan(proof_type: u32, task: &[u8], job_size: u32) -> Vec<Vec<u8>> {
    init();
    let id = [7u8; 32];
    let list = expect_ok(
        "plan",
        call(|out| unsafe {
            pm_plan_jobs(
                proof_type,
                id.as_ptr(),
                task.as_ptr(),
                task.len(),
                job_size,
                out,
            )
        }),
    );
    let count = u32::from_le_bytes(list[..4].try_into().unwrap()) as usize;
    let mut jobs = Vec::with_capacity(count);
    let mut at = 4;
    for _ in 0..count {
        let len = u32::from_le_bytes(list[at..at + 4].try_into().unwrap()) as usize;
        jobs.push(list[at + 4..at + 4 + len].to_vec());
        at += 4 + len;
    }
    jobs
}

fn aggregate(left: &[u8], right: Option<&[u8]>) -> Outcome {
    let (right_ptr, right_len) = right.map_or((std::ptr::null(), 0), |r| (r.as_ptr(), r.len()));
    call(|out| unsafe { pm_aggregate(SUM, left.as_ptr(), left.len(), right_ptr, right_len, out) })
}

fn verify(proof_type: u32, proof: &[u8]) -> Outcome {
    call(|out| unsafe { pm_verify(proof_type, proof.as_ptr(), proof.len(), out) })
}

fn verify_final(key: &[u8], proof: &[u8]) -> Outcome {
    call(|out| unsafe {
        pm_verify_final(key.as_ptr(), key.len(), proof.as_ptr(), proof.len(), out)
    })
}

/// Valid sum proofs of every level and the sum verifier key, made through the ABI.
struct Fixture {
    job: Vec<u8>,
    job_right: Vec<u8>,
    leaf_aggregation: Vec<u8>,
    root: Vec<u8>,
    key: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let jobs = plan(SUM, &sum_task(16), 8);
        let prove = |job: &[u8]| {
            expect_ok(
                "prove",
                call(|out| unsafe { pm_prove_job(SUM, job.as_ptr(), job.len(), out) }),
            )
        };
        let job = prove(&jobs[0]);
        let job_right = prove(&jobs[1]);
        let leaf_aggregation = expect_ok("aggregate", aggregate(&job, Some(&job_right)));
        let root = expect_ok("aggregate", aggregate(&leaf_aggregation, None));
        let key = expect_ok("key", call(|out| unsafe { pm_verifier_key(SUM, out) }));
        Fixture {
            job,
            job_right,
            leaf_aggregation,
            root,
            key,
        }
    })
}

/// A hashchain task the decoder accepts but whose chain takes long to compute natively: planning
/// and the expected statement both walk every step.
fn too_long_to_compute(task: &[u8]) -> bool {
    task.len() == 40 && u64::from_le_bytes(task[32..].try_into().unwrap()) > 4096
}

#[test]
fn task_decoders_return_errors_not_panics() {
    init();
    let started = Instant::now();
    let mut rng = Rng::new(0x7a5c);
    let (mut tally, mut skipped) = (Tally::default(), 0);
    let id = [3u8; 32];
    let valid = [
        (SUM, sum_task(40), &TASK),
        (HASHCHAIN, hashchain_task(300), &HASHCHAIN_TASK),
    ];
    for case in 0..TASK_CASES {
        let (proof_type, task, format) = &valid[case % valid.len()];
        let task = mutate(&mut rng, task, format);
        if *proof_type == HASHCHAIN && too_long_to_compute(&task) {
            skipped += 1;
            continue;
        }
        let job_size = [8u32, 16, 0, 7, 256, 1025, u32::MAX][rng.below(7)];
        let outcome = call(|out| unsafe {
            pm_plan_jobs(
                *proof_type,
                id.as_ptr(),
                task.as_ptr(),
                task.len(),
                job_size,
                out,
            )
        });
        tally.record("pm_plan_jobs", &task, &outcome);
        let outcome = call(|out| unsafe {
            pm_task_statement(*proof_type, id.as_ptr(), task.as_ptr(), task.len(), out)
        });
        tally.record("pm_task_statement", &task, &outcome);
    }
    println!("tasks: {skipped} valid hashchain tasks skipped (too many steps to compute)");
    tally.report("tasks (plan_jobs + task_statement)", started);
}

#[test]
fn job_decoder_returns_errors_not_panics() {
    init();
    let started = Instant::now();
    let mut rng = Rng::new(0x10b5);
    let valid = [
        (
            ProofType::Sum,
            plan(SUM, &sum_task(20), 8).remove(2),
            &SUM_JOB,
        ),
        (
            ProofType::Hashchain,
            plan(HASHCHAIN, &hashchain_task(30), 16).remove(1),
            &HASHCHAIN_JOB,
        ),
    ];
    let (mut decoded, mut through_abi) = (0, Tally::default());
    for case in 0..JOB_CASES {
        let (proof_type, job, format) = &valid[case % valid.len()];
        let job = mutate(&mut rng, job, format);
        let result = catch_unwind(AssertUnwindSafe(|| Job::decode(*proof_type, &job)));
        let Ok(result) = result else {
            panic!("Job::decode panicked on {} bytes", job.len());
        };
        if result.is_ok() {
            // Still a valid job: proving it would take a second, so only count it.
            decoded += 1;
            continue;
        }
        // A rejected job never reaches the prover, so the call is as cheap as the decode.
        let outcome =
            call(|out| unsafe { pm_prove_job(proof_type.code(), job.as_ptr(), job.len(), out) });
        assert_eq!(
            outcome.status,
            PM_ERR_INVALID_INPUT,
            "job of {} bytes",
            job.len()
        );
        through_abi.record("pm_prove_job", &job, &outcome);
    }
    println!("jobs: {JOB_CASES} decoded natively without a panic, {decoded} still valid");
    through_abi.report("jobs rejected through pm_prove_job", started);
}

#[test]
fn proof_decoder_returns_errors_not_panics() {
    let f = fixture();
    let started = Instant::now();
    let mut rng = Rng::new(0x9f00f);
    let mut tally = Tally::default();
    // Every length of the header and just past it, including the 7-byte proof.
    for len in 0..=64 {
        let outcome = verify(SUM, &f.job[..len]);
        tally.record("pm_verify", &f.job[..len], &outcome);
        assert_eq!(outcome.status, PM_ERR_INVALID_PROOF, "{len}-byte proof");
    }
    let valid = [&f.job, &f.leaf_aggregation, &f.root];
    for case in 0..PROOF_CASES {
        let original = valid[case % valid.len()];
        let proof = mutate(&mut rng, original, &PROOF);
        let outcome = verify(SUM, &proof);
        tally.record("pm_verify", &proof, &outcome);
        if proof != *original {
            assert_ne!(outcome.status, 0, "an altered proof verified");
        }
    }
    for code in [0, 3, u32::MAX] {
        tally.record("pm_verify", &f.job, &verify(code, &f.job));
    }
    tally.report("proofs (pm_verify)", started);
}

#[test]
fn final_verifier_returns_errors_not_panics_on_keys_and_proofs() {
    let f = fixture();
    let started = Instant::now();
    let mut rng = Rng::new(0xfe11);
    let mut tally = Tally::default();
    for _ in 0..KEY_CASES {
        let key = mutate(&mut rng, &f.key, &KEY);
        let outcome = verify_final(&key, &f.root);
        tally.record("pm_verify_final (key)", &key, &outcome);
        if key != f.key {
            assert_ne!(outcome.status, 0, "a proof verified against an altered key");
        }
    }
    for _ in 0..FINAL_PROOF_CASES {
        let proof = mutate(&mut rng, &f.root, &PROOF);
        let outcome = verify_final(&f.key, &proof);
        tally.record("pm_verify_final (proof)", &proof, &outcome);
        if proof != f.root {
            assert_ne!(outcome.status, 0, "an altered final proof verified");
        }
    }
    for len in 0..=64 {
        let outcome = verify_final(&f.key[..len], &f.root);
        tally.record("pm_verify_final (key)", &f.key[..len], &outcome);
        let outcome = verify_final(&f.key, &f.root[..len]);
        tally.record("pm_verify_final (proof)", &f.root[..len], &outcome);
    }
    tally.report("keys and final proofs (pm_verify_final)", started);
}

#[test]
fn aggregate_inputs_return_errors_not_panics() {
    let f = fixture();
    let started = Instant::now();
    let mut rng = Rng::new(0xa66);
    let mut tally = Tally::default();
    for case in 0..AGGREGATE_CASES {
        let mutated = mutate(&mut rng, &f.job, &PROOF);
        let outcome = if case % 2 == 0 {
            aggregate(&mutated, Some(&f.job_right))
        } else {
            aggregate(&f.job, Some(&mutated))
        };
        tally.record("pm_aggregate", &mutated, &outcome);
        if mutated != f.job {
            assert_ne!(outcome.status, 0, "an altered proof was aggregated");
        }
    }
    tally.report("aggregate inputs (pm_aggregate)", started);
}
