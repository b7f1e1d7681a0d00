//! The C ABI's own guarantees: a panic stays inside (and off stderr unless asked for),
//! initialisation is thread-safe and idempotent, and arguments are checked before any work.
//!
//! Only `pm_init_is_thread_safe_and_idempotent` creates the prover: the other tests use exports
//! that refuse their arguments before they need it.

use prover_mesh_prover::ffi::*;
use std::process::Command;

const PM_ERR_INVALID_INPUT: i32 = 1;
const PM_ERR_INTERNAL: i32 = 5;

/// Calls one export with a fresh `out` buffer and returns its status and output as text.
/// Callers pass pointers into live slices with their lengths, as the Safety sections ask.
fn call(f: impl FnOnce(*mut PmBuffer) -> i32) -> (i32, String) {
    let mut out = PmBuffer {
        ptr: std::ptr::null_mut(),
        len: 0,
    };
    let status = f(&mut out);
    // SAFETY: the library wrote `len` bytes at `ptr`; they are freed right after the copy.
    let text = String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(out.ptr, out.len) })
        .into_owned();
    // SAFETY: `out` is a buffer the library wrote, released once.
    unsafe { pm_buffer_free(out) };
    (status, text)
}

fn init(dir: &str) -> (i32, String) {
    call(|out| unsafe { pm_init(dir.as_ptr(), dir.len(), out) })
}

#[test]
fn a_panic_inside_an_export_is_an_internal_error_with_its_message_and_location() {
    let before = panics_during_exports();
    let (status, message) = call(|out| unsafe { run(out, || panic!("boom {}", 42)) });
    assert_eq!(status, PM_ERR_INTERNAL);
    assert!(message.contains("boom 42"), "{message}");
    assert!(message.contains("tests/ffi.rs:"), "{message}");
    assert!(panics_during_exports() > before);
}

const CHILD: &str = "PM_FFI_TEST_PANIC_CHILD";
const CHILD_TEST: &str = "caught_panics_stay_off_stderr_unless_asked_for";

#[test]
fn caught_panics_stay_off_stderr_unless_asked_for() {
    if std::env::var_os(CHILD).is_some() {
        let (status, _) = call(|out| unsafe { run(out, || panic!("inside an export")) });
        assert_eq!(status, PM_ERR_INTERNAL);
        let outside = std::panic::catch_unwind(|| panic!("outside any export"));
        assert!(outside.is_err());
        return;
    }
    // Run this test again in a child process, where stderr is not captured, and read it.
    let stderr_of = |print_panics: Option<&str>| {
        let mut child = Command::new(std::env::current_exe().unwrap());
        child
            .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads", "1"])
            .env(CHILD, "1")
            .env_remove(PRINT_PANICS_ENV);
        if let Some(value) = print_panics {
            child.env(PRINT_PANICS_ENV, value);
        }
        let output = child.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "child failed: {stderr}");
        stderr
    };
    let quiet = stderr_of(None);
    assert!(!quiet.contains("inside an export"), "{quiet}");
    assert!(quiet.contains("outside any export"), "{quiet}");
    let loud = stderr_of(Some("1"));
    assert!(loud.contains("inside an export"), "{loud}");
}

#[test]
fn pm_init_is_thread_safe_and_idempotent() {
    let a = format!("{}/ffi-init-a", env!("CARGO_TARGET_TMPDIR"));
    let b = format!("{}/ffi-init-b", env!("CARGO_TARGET_TMPDIR"));
    // Sixteen threads race to set one of two directories: exactly one directory wins, every
    // call with it succeeds and every call with the other fails.
    let results: Vec<(bool, i32)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let (a, b) = (&a, &b);
                s.spawn(move || {
                    let wants_a = i % 2 == 0;
                    (wants_a, init(if wants_a { a } else { b }).0)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let a_won = results
        .iter()
        .any(|&(wants_a, status)| wants_a && status == 0);
    for (wants_a, status) in results {
        let expected = if wants_a == a_won {
            0
        } else {
            PM_ERR_INVALID_INPUT
        };
        assert_eq!(status, expected);
    }
    let (winner, loser) = if a_won { (&a, &b) } else { (&b, &a) };
    assert_eq!(init(winner).0, 0, "pm_init again with the same directory");
    let (status, message) = init(loser);
    assert_eq!(status, PM_ERR_INVALID_INPUT);
    assert!(message.contains("already running"), "{message}");
}

#[test]
fn pm_time_native_refuses_unknown_ops_and_unbounded_iterations() {
    let input = [0u8; 8];
    for (op, iterations, expected) in [
        (3, 1, "unknown op 3"),
        (1, 0, "'iterations' must be 1..=1000, got 0"),
        (2, u32::MAX, "'iterations' must be 1..=1000, got 4294967295"),
    ] {
        let (status, message) = call(|out| unsafe {
            pm_time_native(op, 1, input.as_ptr(), input.len(), iterations, out)
        });
        assert_eq!(status, PM_ERR_INVALID_INPUT, "{message}");
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn null_pointers_and_impossible_lengths_are_invalid_input() {
    assert_eq!(unsafe { pm_info(std::ptr::null_mut()) }, PM_ERR_NULL_OUT);
    let id = [0u8; 32];
    let task = [1u8; 4];
    let statement = |id: *const u8, task: *const u8, len: usize| {
        call(|out| unsafe { pm_task_statement(1, id, task, len, out) })
    };
    let (status, message) = statement(id.as_ptr(), std::ptr::null(), 4);
    assert_eq!(status, PM_ERR_INVALID_INPUT);
    assert!(message.contains("'task' is NULL"), "{message}");
    let (status, message) = statement(std::ptr::null(), task.as_ptr(), 4);
    assert_eq!(status, PM_ERR_INVALID_INPUT);
    assert!(message.contains("'task_id' is NULL"), "{message}");
    // Refused before any byte is read, so the short buffer behind the pointer is never touched.
    let (status, message) = statement(id.as_ptr(), task.as_ptr(), usize::MAX);
    assert_eq!(status, PM_ERR_INVALID_INPUT);
    assert!(message.contains("more than any buffer"), "{message}");
}

#[test]
fn the_header_states_the_same_constants() {
    let header = include_str!("../include/prover_mesh.h");
    let define = |name: &str| {
        header
            .lines()
            .find_map(|line| line.strip_prefix(&format!("#define {name} ")))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("{name} is not defined in prover_mesh.h"))
            .trim_matches(|c| c == '(' || c == ')')
            .parse::<i64>()
            .unwrap()
    };
    assert_eq!(
        define("PM_MAX_TIMED_ITERATIONS"),
        i64::from(MAX_TIMED_ITERATIONS)
    );
    assert_eq!(define("PM_ERR_NULL_OUT"), i64::from(PM_ERR_NULL_OUT));
    assert_eq!(
        define("PM_ERR_INVALID_INPUT"),
        i64::from(PM_ERR_INVALID_INPUT)
    );
}
