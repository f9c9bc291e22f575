//! The outside programs some formats need (poppler's `pdftotext` and
//! `pdftoppm`, Tesseract), found at run time and run within bounds: their
//! output capped, their time limited by the report's deadline, killed past it.
//!
//! A program is looked for as `CHRONICLE_<NAME>` (a path) first, then on the
//! `PATH`. A missing one is no error here: the readers say what it would have
//! read and how to install it.

use crate::{Deadline, IngestError};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use wait_timeout::ChildExt;

/// The most a program may write on its standard output (pdftotext's page
/// layout, some ten times the text it holds, is the most).
pub const MAX_OUTPUT_BYTES: u64 = 128 * 1024 * 1024;

/// An outside program Chronicle can use, with the Debian package that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    PdfToText,
    PdfToPpm,
    Tesseract,
}

impl Tool {
    pub fn program(self) -> &'static str {
        match self {
            Tool::PdfToText => "pdftotext",
            Tool::PdfToPpm => "pdftoppm",
            Tool::Tesseract => "tesseract",
        }
    }

    /// Where to get it.
    pub fn package(self) -> &'static str {
        match self {
            Tool::PdfToText | Tool::PdfToPpm => "poppler-utils",
            Tool::Tesseract => "tesseract-ocr with tesseract-ocr-eng and tesseract-ocr-rus",
        }
    }

    /// The program's path, if it is installed.
    pub fn find(self) -> Option<PathBuf> {
        let var = format!("CHRONICLE_{}", self.program().to_ascii_uppercase());
        if let Some(p) = std::env::var_os(&var).map(PathBuf::from) {
            return p.is_file().then_some(p);
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).map(|dir| dir.join(self.program())).find(|p| is_executable(p))
    }
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    p.is_file()
}

/// Runs `program` with `args` until it exits or the deadline passes, and
/// returns what it wrote on standard output (at most [`MAX_OUTPUT_BYTES`]).
/// A program that fails says so with the end of what it wrote on standard error.
pub(crate) fn run(tool: Tool, program: &Path, args: &[&std::ffi::OsStr], deadline: &Deadline) -> Result<Vec<u8>, IngestError> {
    let failed = |why: String| IngestError::Failed(format!("{}: {why}", tool.program()));
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("cannot start it: {e}")))?;
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || read_capped(stdout, MAX_OUTPUT_BYTES));
    let err = std::thread::spawn(move || read_capped(stderr, 64 * 1024));
    let status = match child.wait_timeout(deadline.left()) {
        Ok(Some(status)) => status,
        Ok(None) | Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(IngestError::TimedOut { seconds: deadline.limit().as_secs_f64() });
        }
    };
    let (out, err) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
    if out.len() as u64 > MAX_OUTPUT_BYTES {
        return Err(failed(format!("wrote more than {} MiB", MAX_OUTPUT_BYTES >> 20)));
    }
    if !status.success() {
        let said = String::from_utf8_lossy(&err);
        let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(failed(format!("{status}: {}", crate::strip_controls(last, crate::Keep::Nothing))));
    }
    Ok(out)
}

/// Up to `cap + 1` bytes of a stream (one more than the cap tells it ran over),
/// the rest drained so the program is not blocked writing.
fn read_capped(stream: impl Read, cap: u64) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut taken = stream.take(cap + 1);
    let _ = taken.read_to_end(&mut buf);
    let _ = std::io::copy(&mut taken.into_inner(), &mut std::io::sink());
    buf
}
