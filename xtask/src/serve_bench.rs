//! `xtask bench-serve`: page times of `chronicle serve` under many analysts at
//! once. A store of invented reports is built once (and kept for reruns), the
//! release binary serves it on loopback, and each client — a thread with its
//! own keep-alive connection and the same logged-in session — opens dossiers
//! and runs searches, pausing between pages as a person reading them would.
//! Prints p50/p95/p99 per page kind and overall.

use anyhow::{bail, Context, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a passphrase for timing pages";

pub struct Options<'a> {
    pub bin: &'a Path,
    pub dir: &'a Path,
    pub docs: u64,
    pub clients: usize,
    pub requests: usize,
    pub think_ms: (u64, u64),
    pub connections: usize,
    pub seed: u64,
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).timeout_global(Some(Duration::from_secs(60))).build().into()
}

fn set_cookie(res: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.split(';').next()?.strip_prefix(&format!("{name}=")).map(str::to_string))
}

fn build_store(o: &Options, store: &Path) -> Result<()> {
    let reports = o.dir.join("reports");
    eprintln!("writing {} invented reports to {}", o.docs, reports.display());
    crate::corpus::generate(o.docs, &reports, o.seed, crate::corpus::Language::En)?;
    let started = Instant::now();
    let status = Command::new(o.bin).arg("--store").arg(store).arg("ingest").arg(&reports).status().context("running chronicle ingest")?;
    if !status.success() {
        bail!("chronicle ingest failed");
    }
    eprintln!("ingested in {:.1} s", started.elapsed().as_secs_f64());
    let mut add = Command::new(o.bin)
        .arg("--store")
        .arg(store)
        .args(["--actor", "bench", "user", "add", "bench", "--role", "admin", "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()?;
    writeln!(add.stdin.take().context("stdin")?, "{PASSWORD}")?;
    if !add.wait()?.success() {
        bail!("adding the benchmark account failed");
    }
    Ok(())
}

/// Persons to open and names to search for, drawn from the store.
fn targets(store: &Path, seed: u64) -> Result<(Vec<String>, Vec<String>)> {
    let conn = rusqlite::Connection::open_with_flags(store, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let max: i64 = conn.query_row("SELECT MAX(id) FROM persons", [], |r| r.get(0))?;
    let mut persons = Vec::new();
    let mut names = Vec::new();
    let mut stmt = conn.prepare("SELECT id, name FROM persons WHERE id >= ?1 ORDER BY id LIMIT 1")?;
    while persons.len() < 500 {
        let (id, name): (i64, String) = stmt.query_row([rng.random_range(1..=max)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        persons.push(format!("person-{id}"));
        if let Some(surname) = name.split_whitespace().last() {
            names.push(surname.to_string());
        }
    }
    Ok((persons, names))
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

pub fn run(o: &Options) -> Result<()> {
    std::fs::create_dir_all(o.dir)?;
    let store = o.dir.join(format!("bench-{}.db", o.docs));
    if !store.exists() {
        build_store(o, &store)?;
    } else {
        eprintln!("reusing {}", store.display());
    }
    let docs: i64 = rusqlite::Connection::open(&store)?.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
    let (persons, names) = targets(&store, o.seed)?;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let _server = Server(
        Command::new(o.bin)
            .arg("--store")
            .arg(&store)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--connections", &o.connections.to_string()])
            .stderr(Stdio::null())
            .spawn()
            .context("starting chronicle serve")?,
    );
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if start.elapsed() > Duration::from_secs(30) {
            bail!("chronicle serve did not start");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let site = format!("http://127.0.0.1:{port}");

    // One session for every client.
    let a = agent();
    let mut form = a.get(format!("{site}/login")).call()?;
    let login_cookie = set_cookie(&form, "chronicle_login").context("no login cookie")?;
    let body = form.body_mut().read_to_string()?;
    let at = body.find("name=\"csrf\" value=\"").context("no CSRF field")? + 19;
    let csrf = body[at..at + 64].to_string();
    let res = a
        .post(format!("{site}/login"))
        .header("cookie", format!("chronicle_login={login_cookie}"))
        .send_form([("username", "bench"), ("password", PASSWORD), ("csrf", csrf.as_str())])?;
    let session = format!("chronicle_session={}", set_cookie(&res, "chronicle_session").context("login failed")?);

    eprintln!(
        "{} clients × {} pages, pausing {}–{} ms between pages, on {docs} documents ({} store connections)",
        o.clients, o.requests, o.think_ms.0, o.think_ms.1, o.connections
    );
    let began = Instant::now();
    let handles: Vec<_> = (0..o.clients)
        .map(|c| {
            let (site, session, persons, names) = (site.clone(), session.clone(), persons.clone(), names.clone());
            let (requests, think, seed) = (o.requests, o.think_ms, o.seed);
            std::thread::spawn(move || -> Result<Vec<(bool, f64)>> {
                let mut rng = ChaCha8Rng::seed_from_u64(seed * 1000 + c as u64);
                let agent = agent();
                let mut times = Vec::with_capacity(requests);
                // Clients start spread over one pause, not all at once.
                std::thread::sleep(Duration::from_millis(rng.random_range(0..=think.1)));
                for _ in 0..requests {
                    let dossier = rng.random_bool(0.5);
                    let url = if dossier {
                        format!("{site}/persons/{}", persons[rng.random_range(0..persons.len())])
                    } else {
                        format!("{site}/search?q={}", names[rng.random_range(0..names.len())])
                    };
                    let t = Instant::now();
                    let mut res = agent.get(&url).header("cookie", &session).call()?;
                    let body = res.body_mut().read_to_string()?;
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    if res.status() != 200 || body.len() < 200 {
                        bail!("{url}: {} ({} bytes)", res.status(), body.len());
                    }
                    times.push((dossier, ms));
                    if think.1 > 0 {
                        std::thread::sleep(Duration::from_millis(rng.random_range(think.0..=think.1)));
                    }
                }
                Ok(times)
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.join().map_err(|_| anyhow::anyhow!("a client panicked"))??);
    }
    let wall = began.elapsed().as_secs_f64();
    println!("{} pages in {wall:.1} s ({:.0} pages/s) from {} clients on {docs} documents", all.len(), all.len() as f64 / wall, o.clients);
    for (label, pick) in [("dossier", Some(true)), ("search", Some(false)), ("all", None)] {
        let mut t: Vec<f64> = all.iter().filter(|(d, _)| pick.is_none_or(|p| p == *d)).map(|(_, ms)| *ms).collect();
        t.sort_by(f64::total_cmp);
        println!(
            "{label:<8} n={:<6} p50={:.1} ms  p95={:.1} ms  p99={:.1} ms  max={:.1} ms",
            t.len(),
            percentile(&t, 0.50),
            percentile(&t, 0.95),
            percentile(&t, 0.99),
            t.last().copied().unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
