//! Timing shared by the bench-compare harnesses: per-call medians of two async calls sampled in
//! alternation, and the calibration of how many calls make one sample. The restJson1 harness
//! (`rest-json1/`, its own workspace) includes this file by path.

use std::future::Future;
use std::time::{Duration, Instant};

/// Samples per measured subject; the median of these is reported.
pub const ROUNDS: usize = 15;
/// Roughly how long one sample runs: long enough that timer resolution and scheduling noise
/// are small next to it, short enough that a whole run stays under a minute.
const SAMPLE_TARGET: Duration = Duration::from_millis(100);

/// Median per-call times of two async calls, sampled in alternation so that a burst of load
/// from elsewhere on the machine hits both alike.
pub fn compare_async<A, AF, B, BF>(runtime: &tokio::runtime::Runtime, a: A, b: B) -> Result<[Duration; 2], String>
where
    A: Fn() -> AF,
    AF: Future<Output = Result<(), String>>,
    B: Fn() -> BF,
    BF: Future<Output = Result<(), String>>,
{
    // One `block_on` per batch, not per call, so the runtime's own entry cost stays out.
    let batch_a = |n: u32| {
        runtime.block_on(async {
            let start = Instant::now();
            for _ in 0..n {
                a().await?;
            }
            Ok(start.elapsed())
        })
    };
    let batch_b = |n: u32| {
        runtime.block_on(async {
            let start = Instant::now();
            for _ in 0..n {
                b().await?;
            }
            Ok(start.elapsed())
        })
    };
    let n_a = calibrate(&batch_a)?;
    let n_b = calibrate(&batch_b)?;
    let (mut samples_a, mut samples_b) = (Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS));
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            samples_a.push(batch_a(n_a)? / n_a);
            samples_b.push(batch_b(n_b)? / n_b);
        } else {
            samples_b.push(batch_b(n_b)? / n_b);
            samples_a.push(batch_a(n_a)? / n_a);
        }
    }
    Ok([median(samples_a), median(samples_b)])
}

/// How many iterations make one sample last about [`SAMPLE_TARGET`]; the doubling runs double
/// as warm-up (caches, allocator, lazily built state in either client).
pub fn calibrate(mut batch: impl FnMut(u32) -> Result<Duration, String>) -> Result<u32, String> {
    let mut n: u32 = 1;
    loop {
        let took = batch(n)?;
        if took >= SAMPLE_TARGET / 4 || n >= 1 << 24 {
            let per_call = took.as_secs_f64() / f64::from(n);
            return Ok(((SAMPLE_TARGET.as_secs_f64() / per_call).ceil() as u32).max(1));
        }
        n *= 2;
    }
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}
