//! `xtask bench-store`: the two engines side by side. Ingest throughput
//! (reports a second) with 1, 2 and 4 workers — and, on PostgreSQL, 4
//! processes on one queue — and full-text search times over a large record.
//!
//! PostgreSQL is the server at `--postgres` (a URL of a database the
//! benchmark may create databases from); the stores are kept under `--dir`
//! between runs, the search store being long to build.

use anyhow::{bail, Context, Result};
use crate::serve_bench::percentile;
use chronicle_store::{Location, SqlStore, Store};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub struct Options<'a> {
    pub bin: &'a Path,
    pub dir: &'a Path,
    pub postgres: &'a str,
    pub reports: u64,
    pub search_docs: u64,
    pub searches: usize,
    pub seed: u64,
}

/// A fresh database `name` on the server; its URL.
fn fresh_database(admin: &str, name: &str) -> Result<String> {
    let mut c = postgres::Client::connect(admin, postgres::NoTls).with_context(|| format!("connecting to {admin}"))?;
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    c.batch_execute(&format!("CREATE DATABASE {name}"))?;
    Ok(database_url(admin, name))
}

fn database_url(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    format!("{base}/{name}")
}

fn chronicle(bin: &Path, store: &str, args: &[&str]) -> Command {
    let mut c = Command::new(bin);
    c.arg("--store").arg(store).args(args).env_remove("CHRONICLE_STORE");
    c
}

fn run_ok(mut c: Command, what: &str) -> Result<()> {
    let out = c.output().with_context(|| format!("running {what}"))?;
    if !out.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

fn corpus(dir: &Path, count: u64, seed: u64) -> Result<PathBuf> {
    let reports = dir.join(format!("reports-{count}"));
    if !reports.join("truth.jsonl").exists() {
        eprintln!("writing {count} invented reports to {}", reports.display());
        crate::corpus::generate(count, &reports, seed, crate::corpus::Language::En)?;
    }
    Ok(reports)
}

fn ingest_throughput(o: &Options) -> Result<()> {
    let reports = corpus(o.dir, o.reports, o.seed)?;
    let input = reports.to_str().context("a path in UTF-8")?;
    println!("ingest: {} invented reports, wall time of `chronicle ingest` (fresh store each run)", o.reports);
    for workers in [1, 2, 4] {
        let file = o.dir.join(format!("ingest-{workers}.db"));
        for side in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{side}", file.display()));
        }
        let store = file.to_str().context("a path in UTF-8")?.to_string();
        let started = Instant::now();
        run_ok(chronicle(o.bin, &store, &["ingest", "--workers", &workers.to_string(), input]), "ingest into SQLite")?;
        let secs = started.elapsed().as_secs_f64();
        println!("  sqlite      {workers} worker(s)            {secs:7.2} s  {:7.1} reports/s", o.reports as f64 / secs);
    }
    for workers in [1, 2, 4] {
        let url = fresh_database(o.postgres, &format!("chronicle_bench_ingest_{workers}"))?;
        run_ok(chronicle(o.bin, &url, &["init"]), "init")?;
        let started = Instant::now();
        run_ok(chronicle(o.bin, &url, &["ingest", "--workers", &workers.to_string(), input]), "ingest into PostgreSQL")?;
        let secs = started.elapsed().as_secs_f64();
        println!("  postgres    {workers} worker(s)            {secs:7.2} s  {:7.1} reports/s", o.reports as f64 / secs);
    }
    let url = fresh_database(o.postgres, "chronicle_bench_ingest_procs")?;
    run_ok(chronicle(o.bin, &url, &["init"]), "init")?;
    let started = Instant::now();
    let children: Vec<_> = (0..4).map(|_| chronicle(o.bin, &url, &["ingest", "--workers", "1", input]).spawn()).collect::<std::io::Result<_>>()?;
    for mut c in children {
        if !c.wait()?.success() {
            bail!("an ingest process failed");
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!("  postgres    4 processes × 1 worker  {secs:7.2} s  {:7.1} reports/s", o.reports as f64 / secs);
    Ok(())
}

/// Queries an analyst would type: a surname, a city, an event word, or two of them.
fn queries(store: &SqlStore, n: usize, seed: u64) -> Result<Vec<String>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let persons = store.persons_named("", 2000)?;
    let surnames: Vec<String> = persons.iter().filter_map(|p| p.name.split_whitespace().last().map(str::to_string)).collect();
    let words = ["detained", "sentenced", "deported", "Moscow", "Tashkent", "extremism", "colony", "lawyer", "tortured", "Yekaterinburg", "released", "migrant"];
    Ok((0..n)
        .map(|_| match rng.random_range(0..3) {
            0 => surnames[rng.random_range(0..surnames.len())].clone(),
            1 => words[rng.random_range(0..words.len())].to_string(),
            _ => format!("{} {}", surnames[rng.random_range(0..surnames.len())], words[rng.random_range(0..words.len())]),
        })
        .collect())
}

fn search_times(label: &str, store: &SqlStore, queries: &[String]) -> Result<()> {
    // One round first, unmeasured: both engines read from a warm cache.
    for q in queries.iter().take(20) {
        store.search(q, 20)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for q in queries {
        let started = Instant::now();
        hits += store.search(q, 20)?.len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "  {label:<10} {} searches, {hits} hits: p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        queries.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );
    Ok(())
}

fn search(o: &Options) -> Result<()> {
    let file = o.dir.join(format!("search-{}.db", o.search_docs));
    if !file.exists() {
        let reports = corpus(o.dir, o.search_docs, o.seed + 1)?;
        let started = Instant::now();
        let partial = file.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        run_ok(chronicle(o.bin, partial.to_str().context("UTF-8")?, &["ingest", reports.to_str().context("UTF-8")?]), "ingest the search store")?;
        std::fs::rename(&partial, &file)?;
        eprintln!("search store: {} reports ingested in {:.0} s", o.search_docs, started.elapsed().as_secs_f64());
    }
    let sqlite = SqlStore::open(&file)?;
    let docs = sqlite.stats()?.documents;
    let name = format!("chronicle_bench_search_{}", o.search_docs);
    let url = database_url(o.postgres, &name);
    let have = SqlStore::open_location(&Location::Postgres(url.clone()), None).ok().map(|s| s.stats().map(|st| st.documents)).transpose()?;
    if have != Some(docs) {
        fresh_database(o.postgres, &name)?;
        let started = Instant::now();
        let mut target = SqlStore::connect(&url)?;
        sqlite.copy_to(&mut target)?;
        eprintln!("search store copied to PostgreSQL in {:.0} s", started.elapsed().as_secs_f64());
        let mut c = postgres::Client::connect(&url, postgres::NoTls)?;
        c.batch_execute("VACUUM ANALYZE")?;
    }
    let pg = SqlStore::connect(&url)?;
    let queries = queries(&sqlite, o.searches, o.seed)?;
    println!("search: {docs} documents, the first 20 hits of each query (one connection, in process)");
    search_times("sqlite", &sqlite, &queries)?;
    search_times("postgres", &pg, &queries)?;
    Ok(())
}

pub fn run(o: &Options) -> Result<()> {
    std::fs::create_dir_all(o.dir)?;
    ingest_throughput(o)?;
    search(o)
}
