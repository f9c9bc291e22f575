//! Importing a case spreadsheet of 200 rows (CSV, and the same as .xlsx) into
//! a real store file: the dry run's figures, exactly, computed from what was
//! written; nothing stored by it; then the record (documents, persons with
//! their spellings linked, events with their dates and types), the audit log,
//! and a second run that creates nothing new.

#[path = "support/import_data.rs"]
mod data;

use chronicle_pipeline::import::{self, ImportLimits, Mapping, Problem};
use chronicle_store::{SqlStore, Store};
use std::collections::HashMap;

fn open(dir: &std::path::Path) -> SqlStore {
    let mut store = SqlStore::open(&dir.join("record.db")).unwrap();
    store.set_actor("import-test");
    store
}

#[test]
fn a_case_spreadsheet_imports_once_with_its_figures_exact() {
    let dir = tempfile::tempdir().unwrap();
    let rows = data::rows();
    assert_eq!(rows.len(), 200);
    let want = data::expected(&rows);
    let csv = data::csv(&rows);
    let mapping = Mapping::parse("cases.toml", data::MAPPING).unwrap();
    let limits = ImportLimits::default();
    let mut store = open(dir.path());

    // The dry run: its figures, and nothing stored.
    let plan = import::plan("cases.csv", csv.as_bytes(), &mapping, &limits).unwrap();
    let audit_before = store.audit_log().unwrap().len();
    let r = import::review(&plan, Some(&store)).unwrap();
    assert_eq!(r.rows_read, want.rows_read);
    assert_eq!(r.rows_empty, want.rows_empty);
    assert_eq!(r.rows_duplicate, want.rows_duplicate);
    assert_eq!(r.rows_refused, want.rows_refused);
    assert_eq!(r.documents, want.documents);
    assert_eq!(r.new_documents, want.documents);
    assert_eq!(r.already_on_record, 0);
    assert_eq!(r.persons_named, want.names);
    assert_eq!(r.persons_on_record, 0);
    assert!(r.persons_ambiguous.is_empty());
    assert_eq!(r.organisations_named, want.organisations);
    assert_eq!(r.events, want.events);
    assert_eq!(r.events_undated, want.undated);
    let rows_with = |f: fn(&Problem) -> bool| r.problems.iter().filter(|(_, p)| f(p)).map(|(row, _)| *row).collect::<Vec<_>>();
    assert_eq!(rows_with(|p| matches!(p, Problem::BadDate { imported: true, .. })), want.bad_date_rows);
    assert_eq!(rows_with(|p| matches!(p, Problem::UnknownEvent { imported: false, .. })), want.unknown_word_rows);
    assert_eq!(r.problems.len(), want.bad_date_rows.len() + want.unknown_word_rows.len(), "{:?}", r.problems);
    eprintln!("figures of the 200 rows: {r:?}");
    assert_eq!(store.stats().unwrap().documents, 0);
    assert_eq!(store.audit_log().unwrap().len(), audit_before);

    // The real run.
    let applied = import::apply(&mut store, &plan).unwrap();
    assert_eq!(applied.new_documents, want.documents);
    assert_eq!(applied.already_present, 0);
    assert_eq!(applied.events, want.events);

    // The record: one document a distinct row, under its source.
    let docs = store.documents().unwrap();
    assert_eq!(docs.len(), want.documents);
    let by_source: HashMap<String, String> = docs.iter().map(|d| (d.document.source.clone(), d.document.id.clone())).collect();
    assert_eq!(by_source.len(), want.documents, "every imported row has a source of its own");
    assert!(docs.iter().all(|d| d.document.publisher.as_deref() == Some("Case desk") && d.document.title.is_some()));

    // Persons: the spellings of one person are one person; everyone else one each.
    let persons = store.persons().unwrap();
    let names: Vec<_> = persons.iter().map(|p| (p.id.clone(), p.names.clone())).collect();
    assert_eq!(persons.len(), want.persons, "persons: {names:?}");
    let khamroyev: Vec<_> = persons.iter().filter(|p| p.names.iter().any(|n| data::VARIANTS.contains(&n.as_str()))).collect();
    assert_eq!(khamroyev.len(), 1, "one person for every spelling: {names:?}");
    for v in data::VARIANTS {
        assert!(khamroyev[0].names.iter().any(|n| n == v), "{v} among {:?}", khamroyev[0].names);
    }
    let found = store.find_persons("Хамроев").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, khamroyev[0].id);

    // Events: one a row, its type and date as the row says, its victim the row's person.
    let events = store.events().unwrap();
    assert_eq!(events.len(), want.events);
    let mut by_doc: HashMap<String, Vec<&chronicle_store::EventRecord>> = HashMap::new();
    for e in &events {
        by_doc.entry(e.sources[0].document.clone()).or_default().push(e);
    }
    let person_of_name: HashMap<String, String> = persons.iter().flat_map(|p| p.names.iter().map(|n| (n.clone(), p.id.clone()))).collect();
    for (i, case) in &want.imported {
        let source = data::source_of("cases.csv", *i, case);
        let doc = &by_source[&source];
        let evs = &by_doc[doc];
        assert_eq!(evs.len(), 1, "{source}");
        let e = evs[0];
        assert_eq!(Some(e.kind.as_str()), case.kind, "{source}");
        assert_eq!(e.date.map(|d| d.to_string()), case.date, "{source}");
        assert_eq!(e.country.as_deref(), Some("UZ"), "{source}");
        assert_eq!(e.place.as_deref(), Some(case.cells[3].as_str()), "{source}");
        assert_eq!(e.victims, vec![person_of_name[&case.cells[0]].clone()], "{source}");
        assert_eq!(e.perpetrators.len(), 1, "{source}");
        assert!(e.sources[0].quote.starts_with(&format!("Victim: {}\nEvent: {}", case.cells[0], case.cells[1])), "{:?}", e.sources[0].quote);
    }
    assert_eq!(store.organizations().unwrap().len(), want.organisations);

    // The audit log: one ingest entry a document, each naming the import.
    let log = store.audit_log().unwrap();
    let ingests: Vec<_> = log.iter().filter(|a| a.action == "document.ingest").collect();
    assert_eq!(ingests.len(), want.documents);
    assert!(ingests.iter().all(|a| a.actor == "import-test" && a.detail.contains(import::IMPORT_EXTRACTOR)));
    assert_eq!(store.verify_audit().unwrap(), Ok(log.len()));

    // Extracting again leaves a row as the sheet made it.
    let doc = store.documents().unwrap().remove(0).document;
    let err = chronicle_pipeline::reextract(&mut store, &doc).unwrap_err();
    assert!(matches!(err, chronicle_pipeline::PipelineError::Imported { .. }), "{err}");
    assert_eq!(store.extractor(&doc.id).unwrap().as_deref(), Some(import::IMPORT_EXTRACTOR));
    assert_eq!(store.events().unwrap().len(), want.events);

    // A second run creates nothing new.
    let again = import::plan("cases.csv", csv.as_bytes(), &mapping, &limits).unwrap();
    let r2 = import::review(&again, Some(&store)).unwrap();
    assert_eq!((r2.documents, r2.new_documents, r2.already_on_record, r2.events, r2.persons_named), (want.documents, 0, want.documents, 0, 0));
    let applied = import::apply(&mut store, &again).unwrap();
    assert_eq!((applied.new_documents, applied.already_present), (0, want.documents));
    assert_eq!(store.documents().unwrap().len(), want.documents);
    assert_eq!(store.persons().unwrap().len(), want.persons);
    assert_eq!(store.audit_log().unwrap().len(), log.len());

    // The same rows as an .xlsx workbook are the same documents: nothing new.
    let xlsx = dir.path().join("cases.xlsx");
    if data::write_xlsx(&rows, &xlsx) {
        let bytes = std::fs::read(&xlsx).unwrap();
        let mapping = Mapping::parse("cases.toml", &format!("sheet = \"Cases\"\n{}", data::MAPPING)).unwrap();
        let plan = import::plan("cases.xlsx", &bytes, &mapping, &limits).unwrap();
        assert_eq!(plan.sheet.as_deref(), Some("Cases"));
        let rx = import::review(&plan, Some(&store)).unwrap();
        assert_eq!((rx.rows_read, rx.rows_empty, rx.rows_duplicate, rx.rows_refused), (want.rows_read, want.rows_empty, want.rows_duplicate, want.rows_refused));
        assert_eq!((rx.documents, rx.new_documents, rx.already_on_record), (want.documents, 0, want.documents));
        assert_eq!(rx.problems, r.problems, "the same rows, the same numbers, the same problems");
        let applied = import::apply(&mut store, &plan).unwrap();
        assert_eq!(applied.new_documents, 0);

        // Into an empty record, the workbook alone gives the same figures as the CSV.
        let other = tempfile::tempdir().unwrap();
        let mut fresh = open(other.path());
        let rx = import::review(&plan, Some(&fresh)).unwrap();
        assert_eq!(rx, import::Review { problems: rx.problems.clone(), ..r.clone() });
        import::apply(&mut fresh, &plan).unwrap();
        assert_eq!(fresh.persons().unwrap().len(), want.persons);
        assert_eq!(fresh.events().unwrap().len(), want.events);
    }
}

#[test]
fn names_on_record_and_names_of_several_are_said_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let rows = data::rows();
    let mapping = Mapping::parse("cases.toml", data::MAPPING).unwrap();
    let limits = ImportLimits::default();
    let mut store = open(dir.path());
    let plan = import::plan("cases.csv", data::csv(&rows).as_bytes(), &mapping, &limits).unwrap();
    import::apply(&mut store, &plan).unwrap();

    let more = "Name,Event,Date\nБахтиёр Хамроев,Задержан,03.03.2025\nKarimova,detained,2025\nAsror Yuldoshev,released,2025-04\n";
    let short = Mapping::parse("short.toml", &data::MAPPING.replace("place = \"Place\"\ncountry = \"Country\"\nperpetrator = \"Perpetrator\"\nsource = \"Source\"\nnotes = \"Notes\"\n", "")).unwrap();
    let plan = import::plan("more.csv", more.as_bytes(), &short, &limits).unwrap();
    let r = import::review(&plan, Some(&store)).unwrap();
    assert_eq!((r.rows_read, r.new_documents, r.persons_named, r.persons_on_record), (3, 3, 3, 1));
    assert_eq!(r.persons_ambiguous.len(), 1, "{:?}", r.persons_ambiguous);
    assert_eq!(r.persons_ambiguous[0].0, "Karimova");
    assert_eq!(r.persons_ambiguous[0].1.len(), 2);
    // Without a store (a dry run before the record exists) nothing is on record.
    let r = import::review(&plan, None).unwrap();
    assert_eq!((r.new_documents, r.persons_on_record), (3, 0));
}

#[test]
fn refusals_name_the_file_sheet_and_column() {
    let mapping = Mapping::parse("m.toml", data::MAPPING).unwrap();
    let limits = ImportLimits::default();
    let e = import::plan("cases.csv", "Name,Event\nA B,arrest\n".as_bytes(), &mapping, &limits).unwrap_err().to_string();
    assert!(e.contains("cases.csv") && e.contains("\"Date\"") && e.contains("\"Name\", \"Event\""), "{e}");
    let e = import::plan("cases.ods", b"x", &mapping, &limits).unwrap_err().to_string();
    assert!(e.contains("cases.ods") && e.contains(".xlsx"), "{e}");
    let small = ImportLimits { max_rows: 3, ..limits };
    let many = "Name\nA\nB\nC\nD\nE\n";
    let m = Mapping::parse("m.toml", "[columns]\nvictim = \"Name\"\n").unwrap();
    let e = import::plan("many.csv", many.as_bytes(), &m, &small).unwrap_err().to_string();
    assert!(e.contains("many.csv") && e.contains("more than 3 rows"), "{e}");
    let tiny = ImportLimits { max_bytes: 4, ..limits };
    let e = import::plan("many.csv", many.as_bytes(), &m, &tiny).unwrap_err().to_string();
    assert!(e.contains("over the limit of 4 bytes"), "{e}");
    let e = import::plan("book.xlsx", b"not a zip", &m, &limits).unwrap_err().to_string();
    assert!(e.contains("book.xlsx") && e.contains("cannot be read"), "{e}");
    // A row without a victim is refused, named.
    let plan = import::plan("x.csv", "Name,Other\n,something\nA B,\n".as_bytes(), &m, &limits).unwrap();
    let r = import::review(&plan, None).unwrap();
    assert_eq!((r.rows_read, r.rows_refused, r.new_documents), (2, 1, 1));
    assert!(r.problems[0].1.to_string().contains("no victim named: refused"), "{:?}", r.problems);
}

#[test]
fn sheets_that_would_take_unbounded_memory_are_refused_or_cost_nothing() {
    let m = Mapping::parse("m.toml", "[columns]\nvictim = \"Name\"\n").unwrap();
    let limits = ImportLimits::default();
    // A line of a million commas is one empty row.
    let csv = format!("Name\nA B\n{}\nC D\n", ",".repeat(1_000_000));
    let r = import::review(&import::plan("wide.csv", csv.as_bytes(), &m, &limits).unwrap(), None).unwrap();
    assert_eq!((r.rows_read, r.rows_empty, r.new_documents), (3, 1, 2));
    // Cells are counted.
    let few = ImportLimits { max_cells: 3, ..limits };
    let e = import::plan("cells.csv", "Name,X\nA,1\nB,2\n".as_bytes(), &m, &few).unwrap_err().to_string();
    assert!(e.contains("cells.csv") && e.contains("more than 3 cells"), "{e}");

    // A workbook with two cells a sheet apart is refused by its rows, not unpacked into a rectangle.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.xlsx");
    let script = "import sys\nfrom openpyxl import Workbook\nwb = Workbook()\nws = wb.active\nws['A1'] = 'Name'\nws['A2'] = 'A B'\nws['XFD1048576'] = 'x'\nwb.save(sys.argv[1])\n";
    let made = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).status().is_ok_and(|s| s.success());
    if !made {
        assert_ne!(std::env::var("CHRONICLE_REQUIRE_TOOLS").as_deref(), Ok("1"), "python3 with openpyxl is required");
        eprintln!("note: the .xlsx part is skipped: python3 with openpyxl is missing");
        return;
    }
    let bytes = std::fs::read(&path).unwrap();
    let started = std::time::Instant::now();
    let e = import::plan("far.xlsx", &bytes, &m, &limits).unwrap_err().to_string();
    assert!(e.contains("far.xlsx") && e.contains("more than 100000 rows"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // A cell far to the right counts as wide as it is.
    let script = "import sys\nfrom openpyxl import Workbook\nwb = Workbook()\nws = wb.active\nws['A1'] = 'Name'\nfor r in range(2, 400):\n    ws.cell(row=r, column=1, value='A B')\n    ws.cell(row=r, column=16384, value='x')\nwb.save(sys.argv[1])\n";
    assert!(std::process::Command::new("python3").arg("-c").arg(script).arg(&path).status().unwrap().success());
    let e = import::plan("far.xlsx", &std::fs::read(&path).unwrap(), &m, &limits).unwrap_err().to_string();
    assert!(e.contains("more than 5000000 cells"), "{e}");
}
