//! `chronicle ingest` against hostile files, through the real binary, each
//! run under a time limit: links out of the archive, link cycles, FIFOs and
//! devices, decompression bombs and absurd HTML among ordinary reports,
//! terminal escapes in titles, and a 30 MB one-line report's memory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A store and an archive in a temporary directory.
struct Env {
    dir: tempfile::TempDir,
}

/// What a run of the binary left.
struct Run {
    success: bool,
    /// Results: the ingest summary.
    stdout: String,
    stderr: String,
    /// Peak resident memory of the process, in bytes.
    peak_rss: u64,
}

const REPORT: &str = "May 24, 2023\n\nActivist detained in Tashkent\n\nPolice detained Rustam Karimov in Tashkent on Tuesday.\n";

impl Env {
    fn new() -> Env {
        let env = Env { dir: tempfile::tempdir().unwrap() };
        std::fs::create_dir(env.archive()).unwrap();
        env
    }
    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }
    fn put(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.archive().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
    /// Runs `chronicle --store … ARGS`, killed (and the test failed) past `limit`.
    fn run(&self, args: &[&str], limit: Duration) -> Run {
        let (out, err) = (self.dir.path().join("stdout"), self.dir.path().join("stderr"));
        let child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .arg("--store")
            .arg(self.dir.path().join("test.db"))
            .args(args)
            .env_remove("CHRONICLE_STORE")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        let (status, peak_rss) = wait_within(child, limit).unwrap_or_else(|| {
            panic!("chronicle {args:?} still running after {limit:?}:\n{}", std::fs::read_to_string(&err).unwrap_or_default())
        });
        Run { success: status == 0, stdout: std::fs::read_to_string(&out).unwrap(), stderr: std::fs::read_to_string(&err).unwrap(), peak_rss }
    }
    fn ingest(&self, paths: &[&Path], extra: &[&str]) -> Run {
        let mut args = vec!["ingest", "--workers", "1"];
        args.extend_from_slice(extra);
        let paths: Vec<String> = paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        args.extend(paths.iter().map(String::as_str));
        self.run(&args, Duration::from_secs(120))
    }
    fn export(&self) -> String {
        let run = self.run(&["export", "--format", "jsonl"], Duration::from_secs(60));
        assert!(run.success, "{}", run.stderr);
        std::fs::read_to_string(self.dir.path().join("stdout")).unwrap()
    }
    fn documents(&self) -> Vec<serde_json::Value> {
        self.export().lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).filter(|r| r["record"] == "document").collect()
    }
}

/// The child's exit status and peak resident memory (its own, by `wait4`), or
/// `None` (the child killed) when it runs past `limit`.
fn wait_within(child: std::process::Child, limit: Duration) -> Option<(i32, u64)> {
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    loop {
        let mut status = 0;
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: status and usage are valid for writing; pid is our own child.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
            return Some((code, usage.ru_maxrss as u64 * 1024));
        }
        if start.elapsed() > limit {
            // SAFETY: killing and reaping our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn a_symbolic_link_out_of_the_archive_is_not_followed() {
    let env = Env::new();
    let secret = env.dir.path().join("shadow");
    std::fs::write(&secret, "root:$6$secret-hash-of-the-host:19000:0:99999:7:::\nThe host's own secret line.\n").unwrap();
    std::os::unix::fs::symlink(&secret, env.archive().join("x.txt")).unwrap();
    env.put("report.txt", REPORT);
    let run = env.ingest(&[&env.archive()], &[]);
    assert!(run.stderr.contains("x.txt: skipped: a symbolic link, not followed"), "{}", run.stderr);
    let export = env.export();
    assert!(!export.contains("secret"), "{export}");
    assert_eq!(env.documents().len(), 1);
    // Named on the command line (as a shell glob would name it), it is refused too.
    let run = env.ingest(&[&env.archive().join("x.txt")], &[]);
    assert!(!run.success && run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(!env.export().contains("secret"));
}

#[test]
fn a_symbolic_link_cycle_ends_the_walk_when_links_are_followed() {
    let env = Env::new();
    std::fs::create_dir(env.archive().join("sub")).unwrap();
    std::os::unix::fs::symlink(env.archive(), env.archive().join("sub/loop")).unwrap();
    env.put("report.txt", REPORT);
    let linked = env.dir.path().join("linked.txt");
    std::fs::write(&linked, REPORT.replace("Tuesday", "Wednesday")).unwrap();
    std::os::unix::fs::symlink(&linked, env.archive().join("sub/linked.txt")).unwrap();
    let run = env.ingest(&[&env.archive()], &[]);
    assert!(run.stdout.contains("ingested 1 new document(s)"), "{}{}", run.stdout, run.stderr);
    let run = env.ingest(&[&env.archive()], &["--follow-links"]);
    assert!(run.stderr.contains("loop: skipped: a symbolic link back to a directory being read"), "{}", run.stderr);
    assert!(run.stdout.contains("ingested 1 new document(s), 1 already present"), "{}{}", run.stdout, run.stderr);
}

#[test]
fn fifos_and_devices_are_skipped_never_opened() {
    let env = Env::new();
    mkfifo(&env.archive().join("x.txt"));
    env.put("report.txt", REPORT);
    let run = env.ingest(&[&env.archive()], &[]);
    assert!(run.stderr.contains("x.txt: skipped: not a regular file (a FIFO); not read"), "{}", run.stderr);
    assert!(run.stdout.contains("ingested 1 new document(s)"), "{}{}", run.stdout, run.stderr);
    let run = env.ingest(&[&env.archive().join("x.txt"), Path::new("/dev/zero")], &[]);
    assert!(!run.success, "{}", run.stderr);
    assert!(run.stderr.contains("x.txt: not a regular file (a FIFO); not read"), "{}", run.stderr);
    assert!(run.stderr.contains("/dev/zero: not a regular file (a device); not read"), "{}", run.stderr);
}

#[test]
fn a_decompression_bomb_is_refused_and_the_run_goes_on() {
    let env = Env::new();
    env.put("a-report.txt", REPORT);
    env.put("bomb.pdf", double_flate_bomb());
    env.put("z-report.txt", REPORT.replace("Tuesday", "Friday"));
    let run = env.ingest(&[&env.archive()], &[]);
    assert!(!run.success);
    assert!(run.stderr.contains("bomb.pdf: PDF refused as a possible decompression bomb"), "{}", run.stderr);
    assert!(run.stdout.contains("ingested 2 new document(s), 0 already present, 1 failed"), "{}{}", run.stdout, run.stderr);
    assert!(run.peak_rss < 512 << 20, "peak resident memory {} MiB", run.peak_rss >> 20);
}

#[test]
fn html_built_to_stall_the_parser_is_refused_quickly() {
    let env = Env::new();
    env.put("selfclosing.html", format!("<html><body>{}text</body></html>", "<div/>".repeat(50_000)));
    env.put("stray.html", format!("<html><body>{}text</body></html>", "<div></b>".repeat(50_000)));
    env.put("report.txt", REPORT);
    let start = Instant::now();
    let run = env.ingest(&[&env.archive()], &[]);
    assert!(run.stderr.contains("selfclosing.html: HTML nested more than 5000 elements deep"), "{}", run.stderr);
    assert!(run.stderr.contains("stray.html: HTML nested more than 5000 elements deep"), "{}", run.stderr);
    assert!(run.stdout.contains("ingested 1 new document(s)"), "{}{}", run.stdout, run.stderr);
    assert!(start.elapsed() < Duration::from_secs(30), "took {:?}", start.elapsed());
}

#[test]
fn terminal_escapes_do_not_reach_the_record() {
    let env = Env::new();
    let text = "May 24, 2023\n\n\u{1b}]0;pwned\u{7}Activist \u{1b}[2Jdetained in \u{9b}31mTashkent\n\nPolice detained Rustam Karimov in Tashkent.\u{1b}[8m\n";
    env.put("escapes.txt", text);
    let html = "<html><head><title>\u{1b}]2;pwned\u{7}Free Zafar Nurmatov</title><meta property=\"og:site_name\" content=\"Daily\u{1b}[5m Record\"></head><body><p>Zafar Nurmatov was sentenced.\u{1b}[1A</p></body></html>";
    env.put("escapes.html", html);
    let run = env.ingest(&[&env.archive()], &[]);
    assert!(run.success, "{}", run.stderr);
    let docs = env.documents();
    let titles: Vec<&str> = docs.iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Activist detained in Tashkent"), "{titles:?}");
    assert!(titles.contains(&"Free Zafar Nurmatov"), "{titles:?}");
    let export = env.export();
    for control in ["\\u001b", "\\u009b", "\\u0007", "pwned", "[2J", "31m"] {
        assert!(!export.contains(control), "{control} in {export}");
    }
}

/// A 30 MB report on one line is read, extracted and stored with its peak
/// memory bounded by a multiple of its size (it was 30 times its size, with
/// a copy of the text as characters for the tokenizer; it is under 20).
#[test]
fn a_30_mb_one_line_report_is_ingested_in_bounded_memory() {
    let env = Env::new();
    let sentence = "the quick brown fox jumps over the lazy dog and runs far away. ";
    let path = env.put("one-line.txt", sentence.repeat((30 << 20) / sentence.len()));
    let size = std::fs::metadata(&path).unwrap().len();
    let run = env.ingest(&[&path], &[]);
    assert!(run.success, "{}", run.stderr);
    let base = 64 << 20;
    assert!(run.peak_rss < 20 * size + base, "peak resident memory {} MiB for a {} MiB file", run.peak_rss >> 20, size >> 20);
}

/// A PDF of a few kilobytes whose page content inflates, twice, to a gigabyte.
fn double_flate_bomb() -> Vec<u8> {
    use std::io::Write;
    let zlib = |write: &dyn Fn(&mut dyn Write)| {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        write(&mut z);
        z.finish().unwrap()
    };
    let chunk = vec![0u8; 1 << 20];
    let once = zlib(&|w| (0..1024).for_each(|_| w.write_all(&chunk).unwrap()));
    let twice = zlib(&|w| w.write_all(&once).unwrap());
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        [format!("<< /Length {} /Filter [/FlateDecode /FlateDecode] >>\nstream\n", twice.len()).into_bytes(), twice, b"\nendstream".to_vec()].concat(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 5\n0000000000 65535 f \n").as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    pdf
}
