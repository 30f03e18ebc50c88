//! Where log lines go: standard output, through a bounded queue drained by a thread of its own,
//! so that neither serving nor shutdown depends on the state of that output.
//!
//! A log line used to be written by the thread that logged it. When standard output is a pipe
//! whose reader is gone, the write fails, and tracing-subscriber reports the failure with
//! `eprintln!`, which panics when standard error is that pipe too: every request that logged
//! died with its connection, and the task waiting for SIGTERM died at its first log line, so
//! the server never stopped. When the pipe is full and nobody reads it, the write blocks, and
//! every thread that logs blocks with it.
//!
//! Now a log line is queued ([`tracing_appender::non_blocking`], lossy) and the queue is
//! written by one thread: a full queue drops the line instead of waiting, a failed write drops
//! the lines it carried, and both are counted ([`dropped_lines`], served as
//! `clp_log_lines_dropped_total`). Nothing writes to standard error.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsFd as _, AsRawFd as _, IntoRawFd as _};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tracing_appender::non_blocking::{ErrorCounter, NonBlocking, NonBlockingBuilder, WorkerGuard};

/// Lines the queue holds while the output is slower than the server logs (a few MiB at most);
/// beyond it lines are dropped.
const QUEUED_LINES: usize = 8_192;

/// Bytes collected before they are written to the output in one call.
const BATCH_BYTES: usize = 64 * 1024;

/// How long stopping waits for the queue to be written out before the process exits anyway.
const FLUSH_ON_EXIT: Duration = Duration::from_secs(2);

/// Lines lost because the output failed (a pipe without reader, a closed descriptor).
static FAILED_LINES: AtomicU64 = AtomicU64::new(0);

/// The counter of lines dropped because the queue was full.
static QUEUE_OVERFLOW: OnceLock<ErrorCounter> = OnceLock::new();

/// Log lines that could not be written, since the start of the process: dropped because the
/// queue was full, or lost because writing them failed.
pub fn dropped_lines() -> u64 {
    let overflow = QUEUE_OVERFLOW
        .get()
        .map_or(0, |counter| counter.dropped_lines() as u64);
    FAILED_LINES
        .load(Ordering::Relaxed)
        .saturating_add(overflow)
}

/// Makes sure descriptors 0, 1 and 2 are open (on `/dev/null` when they were closed at start).
///
/// Otherwise the next file or socket the process opens takes the lowest free number, and what
/// is written as standard output or error (log lines) would land in it.
pub fn ensure_standard_descriptors() {
    loop {
        let Ok(null) = File::options().read(true).write(true).open("/dev/null") else {
            return;
        };
        if null.as_raw_fd() > 2 {
            return;
        }
        // It took the place of a closed standard descriptor: keep it open for good.
        let _ = null.into_raw_fd();
    }
}

/// The queue of log lines and the thread writing it to standard output.
pub struct LogSink {
    writer: NonBlocking,
    guard: Option<WorkerGuard>,
}

impl LogSink {
    /// Starts the writing thread on (a duplicate of) standard output.
    pub fn stdout() -> Self {
        let output = io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .map(File::from)
            .ok();
        let (writer, guard) = NonBlockingBuilder::default()
            .lossy(true)
            .buffered_lines_limit(QUEUED_LINES)
            .thread_name("clp-log-writer")
            .finish(LineBatch::new(output));
        let _ = QUEUE_OVERFLOW.set(writer.error_counter());
        Self {
            writer,
            guard: Some(guard),
        }
    }

    /// A writer of this sink, for the tracing subscriber (cheap to clone, never blocks).
    pub fn writer(&self) -> NonBlocking {
        self.writer.clone()
    }

    /// Queues `text` (whole lines) like a log line: for what the server prints besides its
    /// logs, such as the addresses it listens on.
    pub fn print(&self, text: &str) {
        let _ = self.writer.clone().write_all(text.as_bytes());
    }
}

impl Drop for LogSink {
    /// Writes out what is queued, waiting [`FLUSH_ON_EXIT`] at most: an output that blocks
    /// (a full pipe) must not keep the process from exiting.
    fn drop(&mut self) {
        let Some(guard) = self.guard.take() else {
            return;
        };
        let (done, flushed) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("clp-log-flush".to_owned())
            .spawn(move || {
                drop(guard);
                let _ = done.send(());
            });
        if spawned.is_ok() {
            let _ = flushed.recv_timeout(FLUSH_ON_EXIT);
        }
    }
}

/// The output side of the queue: collects lines and writes them in batches, counting the lines
/// of a batch whose write failed. It never returns an error (the queue's thread would only
/// ignore it) and never writes anywhere else.
struct LineBatch {
    output: Option<File>,
    buffer: Vec<u8>,
    lines: u64,
}

impl LineBatch {
    fn new(output: Option<File>) -> Self {
        Self {
            output,
            buffer: Vec::with_capacity(BATCH_BYTES),
            lines: 0,
        }
    }

    fn write_batch(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let written = match &mut self.output {
            Some(output) => output.write_all(&self.buffer).is_ok(),
            None => false,
        };
        if !written {
            FAILED_LINES.fetch_add(self.lines.max(1), Ordering::Relaxed);
        }
        self.buffer.clear();
        self.lines = 0;
    }
}

impl Write for LineBatch {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(line);
        self.lines += 1;
        if self.buffer.len() >= BATCH_BYTES {
            self.write_batch();
        }
        Ok(line.len())
    }

    /// Called by the queue's thread whenever the queue is empty.
    fn flush(&mut self) -> io::Result<()> {
        self.write_batch();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_that_cannot_be_written_counts_its_lines() {
        let before = FAILED_LINES.load(Ordering::Relaxed);
        let mut batch = LineBatch::new(None);
        for _ in 0..3 {
            let _ = batch.write(b"line\n");
        }
        let _ = batch.flush();
        assert!(FAILED_LINES.load(Ordering::Relaxed) >= before + 3);
        assert!(batch.buffer.is_empty());
    }

    #[test]
    fn a_batch_is_written_whole() {
        let file = tempfile::tempfile().unwrap();
        let mut batch = LineBatch::new(Some(file.try_clone().unwrap()));
        let _ = batch.write(b"one\n");
        let _ = batch.write(b"two\n");
        let _ = batch.flush();
        let mut text = String::new();
        use std::io::{Read as _, Seek as _};
        let mut file = file;
        file.rewind().unwrap();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text, "one\ntwo\n");
    }
}
