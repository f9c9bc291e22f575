//! What the CLI's test files share: the real `chronicle` binary on a
//! temporary store.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file or folder under `tests/data/`.
pub fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(p)
}

/// A temporary folder with a store file in it.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }

    /// Runs `chronicle --store STORE ARGS…`, whatever its outcome.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .arg("--store")
            .arg(self.store())
            .args(args)
            .env_remove("CHRONICLE_STORE")
            .output()
            .expect("run chronicle")
    }

    /// Runs a command that must succeed.
    pub fn succeed(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(out.status.success(), "chronicle {args:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        out
    }
}
