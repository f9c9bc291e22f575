//! The workspace in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) against `chronicle serve` on loopback. An analyst logs in,
//! uploads a report, finds a person in it, opens the dossier, confirms one
//! event and rejects another, sees a report full of script payloads shown as
//! inert text, and logs out. On an invented corpus, the Statistics page shows
//! the victims documented beside the estimate of all of them and its
//! interval, as `chronicle estimate` gives them. Screenshots go to `target/e2e/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; `.ci/run` installs them and
//! runs this test with `--ignored`.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long passphrase for the test";

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(30), "{what} did not start listening on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn chronicle(store: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    c.arg("--store").arg(store).arg("--actor").arg("ada").env_remove("CHRONICLE_STORE");
    c
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(browser: &Client, name: &str) {
    let png = browser.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

async fn text_of(browser: &Client, css: &str) -> String {
    browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

async fn fill(browser: &Client, css: &str, value: &str) {
    let field = browser.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn click(browser: &Client, css: &str) {
    browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

/// Waits until the page (after a navigation) has an element matching `css`.
async fn wait_for(browser: &Client, css: &str) {
    browser.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("waiting for {css}: {e}"));
}

async fn path_of(browser: &Client) -> String {
    browser.current_url().await.unwrap().path().to_string()
}

/// `chronicle serve` on the store, chromedriver, and a headless Chromium session: the
/// server and the driver (killed when dropped), the browser, and the site's address.
async fn start(store: &Path, dir: &Path) -> (Running, Running, Client, String) {
    let port = free_port();
    let server = Running(chronicle(store).args(["serve", "--listen", &format!("127.0.0.1:{port}")]).stderr(Stdio::null()).spawn().unwrap());
    let driver_port = free_port();
    let driver = Running(Command::new("chromedriver").arg(format!("--port={driver_port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("chromedriver (Debian's chromium-driver)"));
    wait_for_port(port, "chronicle serve");
    wait_for_port(driver_port, "chromedriver");

    let profile = dir.join("chromium-profile");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     format!("--user-data-dir={}", profile.display())],
        }),
    );
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a WebDriver session in headless Chromium");
    let site = format!("http://127.0.0.1:{port}");
    (server, driver, browser, site)
}

/// Logs in as ada.
async fn log_in(browser: &Client, site: &str) {
    browser.goto(&format!("{site}/login")).await.unwrap();
    fill(browser, "#username", "ada").await;
    fill(browser, "#password", PASSWORD).await;
    click(browser, "#login").await;
    wait_for(browser, ".who").await;
}

/// Adds ada, an admin with the test's password.
fn add_admin(store: &Path) {
    let mut add = chronicle(store).args(["user", "add", "ada", "--role", "admin", "--password-stdin"]).stdin(Stdio::piped()).spawn().unwrap();
    writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(add.wait().unwrap().success());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromedriver; .ci/run runs it"]
async fn an_analyst_works_through_the_workspace_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("record.db");
    // The store holds a report already; an admin account with a password.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    assert!(chronicle(&store).arg("ingest").arg(data.join("reports/campaign.html")).status().unwrap().success());
    // And one man's case told in a Russian and in an English report.
    assert!(chronicle(&store).arg("ingest").arg(data.join("cross-script")).status().unwrap().success());
    add_admin(&store);

    let (_server, _driver, browser, site) = start(&store, dir.path()).await;

    // Anonymous: any page leads to the login page.
    browser.goto(&format!("{site}/persons/person-1")).await.unwrap();
    assert_eq!(path_of(&browser).await, "/login");
    shot(&browser, "01-login").await;
    fill(&browser, "#username", "ada").await;
    fill(&browser, "#password", PASSWORD).await;
    click(&browser, "#login").await;
    wait_for(&browser, ".who").await;
    assert_eq!(path_of(&browser).await, "/search");
    assert_eq!(text_of(&browser, ".who").await, "ada (admin)");

    // Upload a report.
    browser.goto(&format!("{site}/upload")).await.unwrap();
    browser.find(Locator::Css("#file")).await.unwrap().send_keys(data.join("reports/news-sentenced.txt").to_str().unwrap()).await.unwrap();
    shot(&browser, "02-upload").await;
    click(&browser, "#upload").await;
    // The page sends the file with a progress bar, then opens the stored report.
    wait_for(&browser, "h1.doc-title").await;
    assert!(path_of(&browser).await.starts_with("/documents/doc-"));
    assert_eq!(text_of(&browser, "h1").await, "Kazan Court Jails Uzbek Blogger for Six Years");
    assert!(text_of(&browser, ".text").await.contains("sentenced Uzbek blogger Sardor Karimow"));
    shot(&browser, "03-document").await;

    // Search for the person it names, and open the dossier.
    browser.goto(&format!("{site}/search")).await.unwrap();
    fill(&browser, "#q", "Karimow").await;
    click(&browser, "#search").await;
    wait_for(&browser, "#persons").await;
    assert!(text_of(&browser, "#persons").await.contains("Sardor Karimow"));
    assert!(text_of(&browser, "#documents").await.contains("Kazan Court Jails Uzbek Blogger"));
    shot(&browser, "04-search").await;
    click(&browser, "#persons a.person").await;
    wait_for(&browser, "h1.person-name").await;
    assert!(path_of(&browser).await.starts_with("/persons/person-"));
    assert_eq!(text_of(&browser, "h1").await, "Sardor Karimow");
    let events = browser.find_all(Locator::Css("ol.timeline li.event")).await.unwrap();
    assert!(events.len() >= 2, "the report tells at least two events of him");
    assert!(text_of(&browser, "ol.timeline").await.contains("sentence"));
    shot(&browser, "05-dossier").await;

    // Confirm the first event and reject the second; the dossier shows both decisions.
    let first_id = events[0].attr("id").await.unwrap().unwrap();
    let second_id = events[1].attr("id").await.unwrap().unwrap();
    // Each form reloads the dossier; the wait ends when the new page shows the decision (or fails after its timeout).
    let decided = |id: &str, state: &str| format!("#{id}[data-review={state}]");
    click(&browser, &format!("#{first_id} button[value=confirm]")).await;
    browser.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(&decided(&first_id, "confirmed"))).await.unwrap();
    click(&browser, &format!("#{second_id} button[value=reject]")).await;
    browser.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(&decided(&second_id, "rejected"))).await.unwrap();
    assert_eq!(path_of(&browser).await, format!("/persons/{}", text_of(&browser, "p.id").await));
    assert!(text_of(&browser, &format!("#{first_id}")).await.contains("[confirmed]"));
    shot(&browser, "06-reviewed").await;

    // A quote leads to its passage, highlighted in the report.
    click(&browser, &format!("#{first_id} blockquote a")).await;
    wait_for(&browser, "mark#hl").await;
    let marked = browser.find_all(Locator::Css("mark.quote")).await.unwrap();
    let mut passage = String::new();
    for m in marked {
        passage.push_str(&m.text().await.unwrap());
    }
    browser.find(Locator::Css("mark#hl")).await.expect("the passage's start is the page's anchor");
    assert!(passage.contains("Karimow"), "{passage}");
    shot(&browser, "07-passage").await;

    // A report full of payloads is shown as text and runs nothing.
    let payload = dir.path().join("payload.txt");
    std::fs::write(
        &payload,
        "Witness <script>window.__xss=1</script> statement\n\nPolice detained Rustam <img src=x onerror=\"window.__xss=1\">Nazarov in Kazan on 3 March 2025. \
         Details: <a href=\"javascript:window.__xss=1\">open</a>. Bobur Alimov<script>window.__xss=2</script> was beaten.\n",
    )
    .unwrap();
    browser.goto(&format!("{site}/upload")).await.unwrap();
    browser.find(Locator::Css("#file")).await.unwrap().send_keys(payload.to_str().unwrap()).await.unwrap();
    click(&browser, "#upload").await;
    wait_for(&browser, "h1.doc-title").await;
    assert_eq!(text_of(&browser, "h1").await, "Witness <script>window.__xss=1</script> statement");
    assert!(text_of(&browser, ".text").await.contains("<img src=x onerror=\"window.__xss=1\">"));
    let inert = browser
        .execute(
            "return [window.__xss === undefined, document.scripts.length, document.querySelectorAll('[onerror]').length, \
             document.querySelectorAll('a[href^=\"javascript:\"]').length, document.querySelectorAll('img').length];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(inert, serde_json::json!([true, 1, 0, 0, 0]), "no payload ran or became markup");
    shot(&browser, "08-payload-document").await;
    browser.goto(&format!("{site}/search?q=xss")).await.unwrap();
    assert!(text_of(&browser, "#documents").await.contains("<script>"));
    let inert = browser.execute("return [window.__xss === undefined, document.scripts.length];", vec![]).await.unwrap();
    assert_eq!(inert, serde_json::json!([true, 1]));
    shot(&browser, "09-payload-search").await;

    // One person across scripts: the dossier shows both spellings and both reports.
    browser.goto(&format!("{site}/search")).await.unwrap();
    fill(&browser, "#q", "Рахимов").await;
    click(&browser, "#search").await;
    wait_for(&browser, "#persons").await;
    let found = text_of(&browser, "#persons").await;
    assert!(found.contains("Rakhimov") || found.contains("Рахимов"), "{found}");
    click(&browser, "#persons a.person").await;
    wait_for(&browser, "h1.person-name").await;
    let spellings = text_of(&browser, "dd.spellings").await;
    assert!(spellings.contains("Umid Rakhimov") && spellings.contains("Рахимов"), "both scripts: {spellings}");
    assert_eq!(browser.find_all(Locator::Css("ul.reports li")).await.unwrap().len(), 2, "both reports");
    shot(&browser, "10-dossier-both-scripts").await;
    let timeline = text_of(&browser, "ol.timeline").await;
    assert!(timeline.contains("арестовал узбекского активиста Умида Рахимова"), "the Russian report's arrest, with its quote: {timeline}");
    assert!(timeline.contains("by: Мещанский районный суд Москвы"), "{timeline}");

    // Statistics, drawn as SVG on the server.
    browser.goto(&format!("{site}/stats")).await.unwrap();
    assert!(text_of(&browser, "#totals").await.contains("5 reports"));
    assert!(browser.find_all(Locator::Css("figure.chart svg rect")).await.unwrap().len() >= 3);
    shot(&browser, "11-statistics").await;

    // Log out: the pages lead to the login page again.
    click(&browser, "#logout").await;
    wait_for(&browser, "#username").await;
    assert_eq!(path_of(&browser).await, "/login");
    browser.goto(&format!("{site}/search")).await.unwrap();
    assert_eq!(path_of(&browser).await, "/login");
    shot(&browser, "12-logged-out").await;
    browser.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromedriver; .ci/run runs it"]
async fn the_statistics_page_shows_estimates_beside_the_documented_counts() {
    // The invented corpus of `tests/estimate.rs`: 375 persons, three publishers as independent lists.
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("record.db");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/estimate");
    assert!(chronicle(&store).arg("ingest").arg(&corpus).status().unwrap().success());
    add_admin(&store);
    let json = chronicle(&store).args(["estimate", "--json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let all = &json["parts"][0];
    let round = |k: &str| format!("{:.0}", all[k].as_f64().unwrap());

    let (_server, _driver, browser, site) = start(&store, dir.path()).await;
    log_in(&browser, &site).await;
    browser.goto(&format!("{site}/stats")).await.unwrap();
    wait_for(&browser, "#estimates").await;
    // The first row is all years: the CLI's numbers, documented beside estimated with the interval.
    let first = "#estimates table tbody tr:first-child";
    assert_eq!(text_of(&browser, &format!("{first} td.period")).await, "all years");
    assert_eq!(text_of(&browser, &format!("{first} td.documented")).await, all["documented"].to_string());
    assert_eq!(text_of(&browser, &format!("{first} td.estimate")).await, round("estimate"));
    assert_eq!(text_of(&browser, &format!("{first} td.interval")).await, format!("{}–{}", round("lower"), round("upper")));
    // A row a year after it; a year too thin to estimate says why instead of a number.
    let rows = browser.find_all(Locator::Css("#estimates table tbody tr")).await.unwrap();
    assert!(rows.len() >= 10, "{} rows", rows.len());
    let why = browser.find_all(Locator::Css("#estimates td.why")).await.unwrap();
    assert!(!why.is_empty());
    assert!(!why[0].text().await.unwrap().is_empty());
    // The chart draws each estimate with its interval: one mark for each row that has one.
    let mut estimated = 0;
    for cell in browser.find_all(Locator::Css("#estimates td.estimate")).await.unwrap() {
        estimated += usize::from(cell.text().await.unwrap() != "—");
    }
    assert!(estimated >= 1);
    assert_eq!(browser.find_all(Locator::Css("#estimates svg circle.estimate")).await.unwrap().len(), estimated);
    assert!(browser.find_all(Locator::Css("#estimates svg rect.documented")).await.unwrap().len() >= 10);
    assert!(text_of(&browser, "#estimates p.note").await.contains("closed population"));
    shot(&browser, "13-estimates").await;
    browser.close().await.unwrap();
}
