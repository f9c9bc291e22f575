//! `chronicle demo`: the bundled example reports, ingested into a fresh store.

use crate::{ingest, report};
use anyhow::{Context, Result};
use chronicle_store::{SqlStore, Store};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

macro_rules! reports {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../../examples/reports/", $name)))),+]
    };
}

/// The example reports shipped with Chronicle: written for it, invented but realistic.
const REPORTS: &[(&str, &[u8])] = reports!(
    "01-news-activist-detained.txt",
    "02-ngo-release-pdf-damage.txt",
    "03-blog-post.html",
    "04-campaign-page.html",
    "05-court-report.txt",
    "06-extradition-blog.md",
    "07-death-in-custody.txt",
    "08-raid-and-ban.txt",
    "09-protest-release.txt",
    "10-rendition-news.txt",
);

pub fn run(dir: Option<&Path>, w: &mut dyn Write) -> Result<()> {
    let work = tempfile::Builder::new().prefix("chronicle-demo-").tempdir().context("creating a directory for the demo store")?;
    let reports_dir: PathBuf = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            let d = work.path().join("reports");
            std::fs::create_dir_all(&d)?;
            for (name, bytes) in REPORTS {
                std::fs::write(d.join(name), bytes).with_context(|| format!("writing example report {name}"))?;
            }
            d
        }
    };
    let db = work.path().join("demo.db");
    let mut store = SqlStore::open(&db)?;
    let summary = ingest::ingest(&mut store, &[reports_dir], &chronicle_pipeline::Options::default(), 1, false)?;
    writeln!(w, "Chronicle demo: {}\n", summary.line())?;
    let docs: HashMap<_, _> = store.documents()?.into_iter().map(|d| (d.document.id.clone(), d)).collect();
    let events = store.events()?;
    let names = report::entity_names(&store)?;
    // Dossiers of the persons something happened to.
    for p in store.persons()? {
        if events.iter().any(|e| e.victims.contains(&p.id)) {
            report::dossier(&p, &events, &docs, &names, w)?;
        }
    }
    report::stats(&store.stats()?, w)?;
    // Keep the store so the demo can be explored further.
    let kept = work.keep();
    writeln!(w, "\nThe demo store is kept at {} (use --store to explore it).", kept.join("demo.db").display())?;
    Ok(())
}
