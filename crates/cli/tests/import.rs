//! `chronicle import` through the real binary: the 200-row case spreadsheet
//! (crates/pipeline/tests/support/import_data.rs) dry-run on a store that
//! does not exist yet (none made) and on one that does (nothing changed),
//! then imported, the record read back by the other commands, and imported
//! again (nothing new); the same rows as .xlsx.

#[allow(dead_code)]
mod support;
#[path = "../../pipeline/tests/support/import_data.rs"]
mod data;

use support::Env;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The figure after `label: ` on its own line of the report.
fn figure(report: &str, label: &str) -> usize {
    let line = report.lines().find(|l| l.trim_start().starts_with(&format!("{label}: "))).unwrap_or_else(|| panic!("no {label:?} in:\n{report}"));
    line.rsplit(": ").next().unwrap().trim().parse().unwrap()
}

/// The number before `what` on the first line of `chronicle stats` ("186 documents, 16 persons, …").
fn counted(env: &Env, what: &str) -> usize {
    let stats = stdout(&env.succeed(&["stats"]));
    let first = stats.lines().next().unwrap_or("");
    let part = first.split(", ").find(|p| p.ends_with(what)).unwrap_or_else(|| panic!("no {what:?} in {first:?}"));
    part.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn a_case_spreadsheet_is_dry_run_imported_and_imported_again_through_the_binary() {
    let env = Env::new();
    let rows = data::rows();
    let want = data::expected(&rows);
    let dir = env.dir.path();
    let (csv, map) = (dir.join("cases.csv"), dir.join("cases.toml"));
    std::fs::write(&csv, data::csv(&rows)).unwrap();
    std::fs::write(&map, data::MAPPING).unwrap();
    let (csv_s, map_s) = (csv.to_str().unwrap(), map.to_str().unwrap());

    // A dry run on a store not made yet: the figures, and no store made.
    let report = stdout(&env.succeed(&["import", csv_s, "--map", map_s, "--dry-run"]));
    let expect = [
        ("rows read", want.rows_read),
        ("rows empty (skipped)", want.rows_empty),
        ("rows duplicate (the same as an earlier row)", want.rows_duplicate),
        ("rows refused", want.rows_refused),
        ("documents", want.documents),
        ("new documents", want.documents),
        ("already on record", 0),
        ("persons named", want.names),
        ("of them on record (one person)", 0),
        ("organisations named", want.organisations),
        ("events", want.events),
        ("of them without a date", want.undated),
    ];
    for (label, n) in expect {
        assert_eq!(figure(&report, label), n, "{label} in:\n{report}");
    }
    for row in &want.bad_date_rows {
        assert!(report.lines().any(|l| l.starts_with(&format!("  row {row}: column \"Date\"")) && l.ends_with("imported without a date")), "row {row}:\n{report}");
    }
    for row in &want.unknown_word_rows {
        assert!(report.lines().any(|l| l.starts_with(&format!("  row {row}: column \"Event\"")) && l.ends_with("refused")), "row {row}:\n{report}");
    }
    assert!(report.contains("dry run: nothing stored"));
    assert!(!env.store().exists(), "a dry run made a store");

    // On a store that exists: nothing changes.
    env.succeed(&["init"]);
    let log_before = stdout(&env.succeed(&["audit", "log"]));
    let again = stdout(&env.succeed(&["import", csv_s, "--map", map_s, "--dry-run"]));
    assert_eq!(figure(&again, "new documents"), want.documents);
    assert_eq!(stdout(&env.succeed(&["audit", "log"])), log_before);
    assert_eq!(counted(&env, "documents"), 0);

    // The import: the report, then the summary.
    let done = stdout(&env.succeed(&["import", csv_s, "--map", map_s]));
    let last = done.lines().last().unwrap();
    assert!(last.starts_with(&format!("imported {} new document(s)", want.documents)), "{done}");
    assert!(last.contains(&format!("persons: {} linked to the record, {} new; {} events", want.documents - want.persons, want.persons, want.events)), "{last}");
    assert_eq!(counted(&env, "documents"), want.documents);
    assert_eq!(counted(&env, "persons"), want.persons);
    assert_eq!(counted(&env, "events"), want.events);
    // Every spelling finds the one person, with all three spellings.
    for v in data::VARIANTS {
        let dossier = stdout(&env.succeed(&["person", v]));
        for other in data::VARIANTS {
            assert!(dossier.contains(other), "{v}'s dossier lacks {other}:\n{dossier}");
        }
    }
    let log = stdout(&env.succeed(&["audit", "log"]));
    assert_eq!(log.lines().filter(|l| l.contains("document.ingest")).count(), want.documents);
    assert!(stdout(&env.succeed(&["audit", "verify"])).contains("audit chain intact"));

    // A second run: all on record, nothing new.
    let second = stdout(&env.succeed(&["import", csv_s, "--map", map_s]));
    assert_eq!(figure(&second, "already on record"), want.documents);
    assert!(second.lines().last().unwrap().starts_with(&format!("imported 0 new document(s) from {csv_s}, {} already present", want.documents)), "{second}");
    assert_eq!(counted(&env, "documents"), want.documents);

    // Extracting again leaves the rows' records as the sheet made them.
    let re = String::from_utf8_lossy(&env.succeed(&["reextract"]).stderr).to_string();
    assert!(re.contains("0 document(s) extracted again") && re.contains(&format!("{} imported spreadsheet row(s) left as they are", want.documents)), "{re}");
    assert_eq!(counted(&env, "events"), want.events);
    assert_eq!(counted(&env, "persons"), want.persons);

    // The same rows as a workbook: the same documents, nothing new.
    let xlsx = dir.join("cases.xlsx");
    if data::write_xlsx(&rows, &xlsx) {
        let report = stdout(&env.succeed(&["import", xlsx.to_str().unwrap(), "--map", map_s]));
        assert!(report.starts_with(&format!("import of {}, sheet \"Cases\":", xlsx.display())), "{report}");
        assert_eq!(figure(&report, "rows read"), want.rows_read);
        assert_eq!(figure(&report, "already on record"), want.documents, "{report}");
        assert_eq!(counted(&env, "documents"), want.documents);
    }
}

#[test]
fn a_mapping_or_sheet_it_cannot_use_is_refused_by_name() {
    let env = Env::new();
    let dir = env.dir.path();
    std::fs::write(dir.join("c.csv"), "Name,Event\nA B,arrest\n").unwrap();
    std::fs::write(dir.join("bad.toml"), "[columns]\nvictim = \"Name\"\ndate = \"When\"\n").unwrap();
    let out = env.run(&["import", dir.join("c.csv").to_str().unwrap(), "--map", dir.join("bad.toml").to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("c.csv") && err.contains("\"When\"") && err.contains("date"), "{err}");
    std::fs::write(dir.join("typo.toml"), "[columns]\nvictim = \"Name\"\n[events]\nbeaten = \"beating\"\n").unwrap();
    let out = env.run(&["import", dir.join("c.csv").to_str().unwrap(), "--map", dir.join("typo.toml").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("typo.toml") && err.contains("beating"), "{err}");
    assert!(!env.store().exists());
}
