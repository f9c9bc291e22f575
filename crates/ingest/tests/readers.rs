//! Every kind of file monitors receive, made by the tool that makes it in
//! real life, is read to its text: Word and OpenDocument files, e-mail with
//! an attachment, phone photos and scans through OCR, and PDFs from
//! LibreOffice, Chromium and `enscript | ps2pdf`, of which Chronicle keeps at
//! least 98% of the words poppler's `pdftotext` finds.

mod made;

use chronicle_ingest::{read_document, Format, IngestError, Ingested, Limits};
use chronicle_model::Reading;
use std::path::Path;
use made::{have, run, sh};

fn read(path: &Path) -> Result<Ingested, IngestError> {
    let name = path.to_string_lossy();
    let limits = Limits { read_time: std::time::Duration::from_secs(120), ..Limits::default() };
    read_document(&name, &std::fs::read(path).unwrap(), Format::from_path(&name).unwrap(), &limits)
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["letter_en.txt", "letter_ru.txt", "press_release.html"] {
        std::fs::write(dir.path().join(f), made::fixture(f)).unwrap();
    }
    dir
}

/// The letter's sentences, as one line each (the reader rejoins wrapped lines).
fn says(text: &str, phrase: &str) -> bool {
    text.split_whitespace().collect::<Vec<_>>().join(" ").contains(phrase)
}

#[test]
fn a_word_document_from_python_docx_gives_its_paragraphs_and_title() {
    if !have(&["python3"]) || !made::python_has("docx") {
        return;
    }
    let dir = scratch();
    sh(dir.path(), r#"python3 - <<'PY'
import docx
d = docx.Document()
d.core_properties.title = "Letter on Temur Nazarov"
for block in open("letter_en.txt", encoding="utf-8").read().split("\n\n"):
    d.add_paragraph(" ".join(block.split()))
d.add_table(rows=1, cols=2).rows[0].cells[1].text = "Case number 1-204/2024"
d.save("letter.docx")
PY"#);
    let got = read(&dir.path().join("letter.docx")).unwrap().document;
    assert_eq!(got.title.as_deref(), Some("Letter on Temur Nazarov"));
    assert!(says(&got.text, "was detained by FSB officers in Samara on 11 March 2024."), "{}", got.text);
    assert!(says(&got.text, "Case number 1-204/2024"), "table cells are read: {}", got.text);
    assert_eq!(got.published.map(|d| d.to_string()).as_deref(), Some("2024-03-14"));
    assert_eq!(got.reading, Reading::Native);
}

#[test]
fn an_opendocument_text_from_libreoffice_gives_its_paragraphs() {
    if !have(&["soffice"]) {
        return;
    }
    let dir = scratch();
    let odt = made::soffice(dir.path(), "letter_ru.txt", "odt");
    let got = read(&odt).unwrap().document;
    assert!(says(&got.text, "задержали гражданина Узбекистана Шерзода Каримова."), "{}", got.text);
    assert_eq!(got.language.as_deref(), Some("ru"));
}

#[test]
fn legacy_word_and_rtf_files_are_refused_by_name() {
    for (name, says) in [("old.doc", ".doc files are not read"), ("letter.rtf", "RTF files are not read")] {
        let err = read_document(name, b"{\\rtf1 some bytes}", Format::from_path(name).unwrap(), &Limits::default()).unwrap_err();
        assert!(err.to_string().contains(says) && err.to_string().contains(".docx"), "{err}");
    }
}

#[test]
fn an_email_gives_its_headers_as_metadata_and_its_attachments_to_read() {
    if !have(&["python3"]) {
        return;
    }
    let dir = scratch();
    sh(dir.path(), r#"python3 - <<'PY'
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "Field Monitor <monitor@example.org>"
m["To"] = "desk@example.org"
m["Subject"] = "Tip: detention in Samara"
m["Date"] = "Thu, 14 Mar 2024 10:15:00 +0400"
m.set_content("A relative called: Temur Nazarov was detained in Samara on Monday.\nThe lawyer's letter is attached.\n")
m.add_attachment(open("letter_en.txt", "rb").read(), maintype="text", subtype="plain", filename="lawyer-letter.txt")
open("tip.eml", "wb").write(bytes(m))
PY"#);
    let got = read(&dir.path().join("tip.eml")).unwrap();
    assert_eq!(got.document.title.as_deref(), Some("Tip: detention in Samara"));
    assert_eq!(got.document.publisher.as_deref(), Some("Field Monitor"));
    assert_eq!(got.document.published.map(|d| d.to_string()).as_deref(), Some("2024-03-14"));
    assert!(says(&got.document.text, "Temur Nazarov was detained in Samara on Monday."), "{}", got.document.text);
    assert!(!got.document.text.contains("LAWYER'S LETTER"), "the attachment is not part of the body");
    assert_eq!(got.attachments.len(), 1);
    assert_eq!(got.attachments[0].name, "lawyer-letter.txt");
    assert_eq!(got.attachments[0].bytes, made::fixture("letter_en.txt").as_bytes());
}

/// A typed page as a picture: the text set in a PDF, rendered at 200 dpi.
fn page_image(dir: &Path, pdf: &str, png: &str) {
    run(dir, "pdftoppm", &["-r", "200", "-png", "-singlefile", pdf, png.trim_end_matches(".png")]);
}

#[test]
fn a_photo_of_a_typed_english_page_is_read_by_ocr() {
    if !have(&["enscript", "ps2pdf", "pdftoppm", "tesseract"]) {
        return;
    }
    let dir = scratch();
    sh(dir.path(), "enscript -B -q -p - letter_en.txt | ps2pdf - letter_en.pdf");
    page_image(dir.path(), "letter_en.pdf", "letter_en.png");
    let got = read(&dir.path().join("letter_en.png")).unwrap().document;
    assert!(got.text.contains("Temur Nazarov"), "{}", got.text);
    let Reading::Ocr { confidence } = got.reading else { panic!("{:?}", got.reading) };
    assert!(confidence > 0.8 && confidence <= 1.0, "{confidence}");
}

#[test]
fn scanned_pdfs_of_an_english_and_a_russian_page_are_read_by_ocr() {
    if !have(&["enscript", "ps2pdf", "gs", "soffice", "pdftoppm", "tesseract", "pdftotext"]) {
        return;
    }
    let dir = scratch();
    sh(dir.path(), "enscript -B -q -p - letter_en.txt | ps2pdf - letter_en.pdf");
    run(dir.path(), "soffice", &[&format!("-env:UserInstallation=file://{}/lo", dir.path().display()), "--headless", "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "pdf", "--outdir", ".", "letter_ru.txt"]);
    for (typed, victim) in [("letter_en", "Temur Nazarov"), ("letter_ru", "Шерзода Каримова")] {
        // A scanner's PDF: each page an image, no text layer.
        sh(dir.path(), &format!("gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfimage24 -r200 -sOutputFile={typed}-scan.pdf {typed}.pdf"));
        let got = read(&dir.path().join(format!("{typed}-scan.pdf"))).unwrap();
        assert!(got.document.text.contains(victim), "{typed}: {}", got.document.text);
        assert!(matches!(got.document.reading, Reading::Ocr { confidence } if confidence > 0.7), "{:?}", got.document.reading);
        assert!(got.notices.iter().any(|w| w.contains("OCR")), "{:?}", got.notices);
    }
}

#[test]
fn pdfs_from_libreoffice_chromium_and_enscript_keep_what_pdftotext_reads() {
    if !have(&["enscript", "ps2pdf", "soffice", "chromium", "pdftotext"]) {
        return;
    }
    let dir = scratch();
    sh(dir.path(), "enscript -B -q -p - letter_en.txt | ps2pdf - enscript.pdf");
    let office = made::soffice(dir.path(), "letter_en.txt", "pdf");
    made::chromium_pdf(dir.path(), "press_release.html", "chromium.pdf");
    for pdf in [dir.path().join("enscript.pdf"), office, dir.path().join("chromium.pdf")] {
        let got = read(&pdf).unwrap().document;
        let share = made::share_of_pdftotext_words(dir.path(), &pdf, &got.text);
        assert!(share >= 0.98, "{}: {share:.3} of pdftotext's words\n{}", pdf.display(), got.text);
        assert_eq!(got.reading, Reading::Native);
    }
    let printed = read(&dir.path().join("chromium.pdf")).unwrap().document;
    assert_eq!(printed.title.as_deref(), Some("Activist handed over to Kyrgyzstan"));
    assert_eq!(printed.published.map(|d| d.to_string()).as_deref(), Some("2024-01-15"));
    assert!(says(&printed.text, "secretly flown to Kyrgyzstan without any court decision"), "{}", printed.text);
}

#[test]
fn a_pdf_of_images_with_no_ocr_at_hand_is_kept_as_unreadable_and_said_so() {
    if !have(&["enscript", "ps2pdf", "gs", "pdftotext"]) {
        return;
    }
    let dir = scratch();
    sh(dir.path(), "enscript -B -q -p - letter_en.txt | ps2pdf - typed.pdf; gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfimage8 -r100 -sOutputFile=scan.pdf typed.pdf");
    // A tesseract that is not there: the variable names a path with nothing at it.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "read_the_scan_in_this_process", "--nocapture", "--include-ignored"])
        .env("CHRONICLE_TESSERACT", dir.path().join("no-such-tesseract"))
        .env("SCAN_UNDER_TEST", dir.path().join("scan.pdf"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("reading: Unreadable"), "{said}");
    assert!(said.contains("no text could be read") && said.contains("tesseract"), "{said}");
}

/// Run by the test above in a process of its own, with no tesseract to find.
#[test]
#[ignore = "run by a_pdf_of_images_with_no_ocr_at_hand_is_kept_as_unreadable_and_said_so"]
fn read_the_scan_in_this_process() {
    let Some(scan) = std::env::var_os("SCAN_UNDER_TEST") else { return };
    let got = read(Path::new(&scan)).unwrap();
    println!("reading: {:?}", got.document.reading);
    for w in &got.notices {
        println!("warning: {w}");
    }
}
