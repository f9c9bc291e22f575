//! Data-driven extraction tests: each file under `tests/fixtures/` is a short
//! passage written for Chronicle, with the records it must (and must not) yield.
//!
//! Format: `published: YYYY-MM-DD` (optional), `text:` then the passage, then
//! `expect:` and one expectation a line:
//! - `person NAME [= MENTION, MENTION…]`: a person so named (or so mentioned), with these mentions
//! - `no-person TEXT`: no person is mentioned as TEXT
//! - `persons N`: exactly N persons
//! - `org NAME [= MENTION…]` / `no-org TEXT`, with `| category=C | country=CC`
//! - `event TYPE | victim=NAME | perpetrator=NAME | date=D | place=P | country=CC | to=CC | term=N | regime=R | charge=C`
//! - `no-event TYPE [| victim=NAME]`, `events N`
//! - `nominative MENTION = NAME`: the person or organisation mentioned as MENTION is named NAME
//! - `place NAME [| country=CC]`: a place so named (nominative), in that country
//! - `age NAME = N`, `birth_year NAME = YYYY`, `nationality NAME = CC`, `occupation NAME = TEXT`, `affiliation NAME = ORG`
//! - `relation NAME = WORD`: the person is named as someone's WORD (brother, wife…);
//!   `no-relation NAME = WORD`: no kinship at all, and WORD not taken for an occupation
//! - event attributes also `confidence=>0.7` / `confidence=<0.5` and `quote=TEXT`
//! Lines starting with `#` are comments (the trap the fixture covers).

use chronicle_model::{EntityRef, Extraction, PartialDate};
use std::path::Path;

fn names_of(ex: &Extraction, r: &EntityRef) -> Vec<String> {
    match *r {
        EntityRef::Person(i) => std::iter::once(ex.persons[i].name.clone()).chain(ex.persons[i].mentions.iter().map(|m| m.text.clone())).collect(),
        EntityRef::Org(i) => std::iter::once(ex.orgs[i].name.clone()).chain(ex.orgs[i].mentions.iter().map(|m| m.text.clone())).collect(),
    }
}

fn split_spec(rest: &str) -> (String, Vec<(String, String)>) {
    let mut parts = rest.split('|').map(str::trim);
    let head = parts.next().unwrap_or("").to_string();
    let attrs = parts.filter_map(|p| p.split_once('=').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    (head, attrs)
}

fn check(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{name}.txt"));
    if let Err(e) = check_file(&path, chronicle_extract::extract_text) {
        panic!("{e}");
    }
}

/// Russian fixtures, every file under `tests/fixtures/ru/`: all are run, and
/// every one that fails is named with what it expected and what it got.
#[test]
fn russian_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ru");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    files.sort();
    assert!(files.len() >= 40, "at least 40 Russian fixtures, found {}", files.len());
    let failures: Vec<String> = files.iter().filter_map(|f| check_file(f, chronicle_extract::ru::extract_text).err()).collect();
    assert!(failures.is_empty(), "{} of {} Russian fixtures fail:\n\n{}", failures.len(), files.len(), failures.join("\n\n"));
}

fn check_file(path: &Path, extract: fn(&str, Option<PartialDate>) -> Extraction) -> Result<(), String> {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let name = name.as_str();
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (head, rest) = src.split_once("\ntext:\n").unwrap_or_else(|| panic!("{name}: no 'text:' line"));
    let (text, expect) = rest.split_once("\nexpect:\n").unwrap_or_else(|| panic!("{name}: no 'expect:' line"));
    let published: Option<PartialDate> = head.lines().find_map(|l| l.strip_prefix("published:")).map(|d| d.trim().parse().unwrap());
    let from_pdf = head.lines().any(|l| l.trim() == "from: pdf");
    let text = chronicle_ingest::clean_text(text, from_pdf);
    let ex = extract(&text, published);
    let mut failures = Vec::new();
    let person_named = |n: &str| ex.persons.iter().position(|p| p.name == n || p.mentions.iter().any(|m| m.text == n));
    let org_named = |n: &str| ex.orgs.iter().position(|o| o.name == n || o.mentions.iter().any(|m| m.text == n));
    for line in expect.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
        let ok = match verb {
            "person" | "org" => {
                let (spec, attrs) = split_spec(rest);
                let (n, mentions) = spec.split_once('=').map(|(a, b)| (a.trim(), b.split(',').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>())).unwrap_or((spec.trim(), Vec::new()));
                if verb == "person" {
                    person_named(n).is_some_and(|i| mentions.iter().all(|m| ex.persons[i].mentions.iter().any(|x| x.text == *m)))
                } else {
                    org_named(n).is_some_and(|i| {
                        let o = &ex.orgs[i];
                        mentions.iter().all(|m| o.mentions.iter().any(|x| x.text == *m))
                            && attrs.iter().all(|(k, v)| match k.as_str() {
                                "category" => o.category.map(|c| c.as_str()) == Some(v.as_str()),
                                "country" => o.country.map(|c| c.to_string()).as_deref() == Some(v.as_str()),
                                _ => panic!("{name}: unknown org attribute {k}"),
                            })
                    })
                }
            }
            "no-person" => !ex.persons.iter().any(|p| p.mentions.iter().any(|m| m.text == rest)),
            "no-org" => !ex.orgs.iter().any(|o| o.mentions.iter().any(|m| m.text == rest)),
            "persons" => ex.persons.len() == rest.parse::<usize>().unwrap(),
            "events" => ex.events.len() == rest.parse::<usize>().unwrap(),
            "affiliation" => {
                let (n, v) = rest.split_once('=').map(|(a, b)| (a.trim(), b.trim())).unwrap();
                person_named(n).is_some_and(|i| ex.persons[i].affiliations.iter().any(|&o| ex.orgs[o].name == v || ex.orgs[o].mentions.iter().any(|m| m.text == v)))
            }
            "nominative" => {
                let (m, v) = rest.split_once('=').map(|(a, b)| (a.trim(), b.trim())).unwrap();
                ex.persons.iter().any(|p| p.name == v && p.mentions.iter().any(|x| x.text == m))
                    || ex.orgs.iter().any(|o| o.name == v && o.mentions.iter().any(|x| x.text == m))
            }
            "place" => {
                let (n, v) = rest.split_once('|').map(|(a, b)| (a.trim(), Some(b.trim()))).unwrap_or((rest.trim(), None));
                ex.places.iter().any(|p| p.name == n && v.is_none_or(|v| v.strip_prefix("country=").is_some_and(|c| p.country.map(|x| x.to_string()).as_deref() == Some(c))))
            }
            "age" | "birth_year" | "nationality" | "occupation" | "relation" | "no-relation" => {
                let (n, v) = rest.split_once('=').map(|(a, b)| (a.trim(), b.trim())).unwrap();
                person_named(n).is_some_and(|i| {
                    let p = &ex.persons[i];
                    match verb {
                        "age" => p.age == v.parse().ok(),
                        "birth_year" => p.birth_year == v.parse().ok(),
                        "nationality" => p.nationality.iter().any(|c| c.as_str() == v),
                        "relation" => p.relations.iter().any(|r| r == v),
                        "no-relation" => p.relations.is_empty() && !p.occupation.iter().any(|o| o.contains(v)),
                        _ => p.occupation.iter().any(|o| o.contains(v)),
                    }
                })
            }
            "event" | "no-event" => {
                let (kind, attrs) = split_spec(rest);
                let found = ex.events.iter().any(|e| {
                    e.kind.as_str() == kind
                        && attrs.iter().all(|(k, v)| match k.as_str() {
                            "victim" => e.victims.iter().any(|r| names_of(&ex, r).iter().any(|n| n == v)),
                            "perpetrator" => e.perpetrators.iter().any(|r| names_of(&ex, r).iter().any(|n| n == v)),
                            "date" => e.date.map(|d| d.to_string()).as_deref() == Some(v.as_str()) || (v == "none" && e.date.is_none()),
                            "place" => e.place.as_deref() == Some(v.as_str()),
                            "country" => e.country.map(|c| c.to_string()).as_deref() == Some(v.as_str()),
                            "to" => e.to_country.map(|c| c.to_string()).as_deref() == Some(v.as_str()),
                            "term" => e.term_years.is_some_and(|t| (t - v.parse::<f64>().unwrap()).abs() < 0.01),
                            "regime" => e.regime.as_deref() == Some(v.as_str()),
                            "charge" => e.charges.iter().any(|c| c == v),
                            "victims" => e.victims.len() == v.parse::<usize>().unwrap(),
                            "confidence" => {
                                let (op, n) = v.split_at(1);
                                let n: f32 = n.parse().unwrap();
                                if op == ">" { e.confidence > n } else { e.confidence < n }
                            }
                            "quote" => e.sources.iter().any(|s| s.quote.contains(v.as_str())),
                            _ => panic!("{name}: unknown event attribute {k}"),
                        })
                });
                if verb == "event" { found } else { !found }
            }
            other => panic!("{name}: unknown expectation {other:?}"),
        };
        if !ok {
            failures.push(line.to_string());
        }
    }
    if !failures.is_empty() {
        let mut got = String::new();
        for p in &ex.persons {
            got.push_str(&format!("  person {} {:?} age={:?} nat={:?} occ={:?}\n", p.name, p.mentions.iter().map(|m| &m.text).collect::<Vec<_>>(), p.age, p.nationality.iter().map(|c| c.to_string()).collect::<Vec<_>>(), p.occupation));
        }
        for o in &ex.orgs {
            got.push_str(&format!("  org {} {:?} {:?} {:?}\n", o.name, o.mentions.iter().map(|m| &m.text).collect::<Vec<_>>(), o.category, o.country.map(|c| c.to_string())));
        }
        for e in &ex.events {
            let v: Vec<String> = e.victims.iter().map(|r| names_of(&ex, r)[0].clone()).collect();
            let p: Vec<String> = e.perpetrators.iter().map(|r| names_of(&ex, r)[0].clone()).collect();
            got.push_str(&format!(
                "  event {} victims={v:?} perps={p:?} date={:?} place={:?} country={:?} to={:?} term={:?} regime={:?} charges={:?}\n",
                e.kind, e.date.map(|d| d.to_string()), e.place, e.country.map(|c| c.to_string()), e.to_country.map(|c| c.to_string()), e.term_years, e.regime, e.charges
            ));
        }
        return Err(format!("{name}: unmet expectations:\n  {}\nextracted:\n{got}", failures.join("\n  ")));
    }
    Ok(())
}

macro_rules! fixtures {
    ($($name:ident),+ $(,)?) => {
        $(#[test] fn $name() { check(stringify!($name)); })+

        /// Every English fixture file is one of the tests above: a file left
        /// out of the list would otherwise never run.
        #[test]
        fn every_english_fixture_file_is_run() {
            let listed: std::collections::BTreeSet<&str> = [$(stringify!($name)),+].into_iter().collect();
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
            let files: std::collections::BTreeSet<String> = std::fs::read_dir(&dir).unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
                .collect();
            let unlisted: Vec<&String> = files.iter().filter(|f| !listed.contains(f.as_str())).collect();
            assert!(unlisted.is_empty(), "fixture files not in the fixtures! list: {unlisted:?}");
        }
    };
}

fixtures!(
    capital_label,
    background_year,
    missions_and_special_police,
    seizing_a_thing,
    both_men,
    told_after_a_return_but_before_it,
    timeline_dates_and_end_dates,
    sentences_with_terms_each,
    the_applicant_of_a_case,
    body_names_that_run_on,
    relatives_sharing_a_surname,
    state_body_named_with_its_place,
    case_title_names_the_respondent_state,
    held_in_detention_is_no_arrest,
    charge_by_the_seeking_state,
    dateline_dates_the_report,
    places_in_any_romanisation,
    title_country_over_the_majority,
    place_inside_a_name_with_its_acronym,
    surname_of_a_relative,
    court_in_the_sentence,
    events_after_a_return,
    no_contradicting_perpetrators,
    return_goes_home,
    place_described_by_its_country,
    acronym_and_quoted_names,
    numbered_organisation_name,
    lowercase_state_bodies,
    list_of_organisations,
    page_labels_and_cut_lines,
    date_of_another_clause,
    purpose_is_no_event,
    noun_after_determiner,
    presupposed_after_since,
    court_decision_not_at_arrest_time,
    telegraphic_entry,
    sentences_handed_down,
    coordinated_with_adverb,
    ruling_victim_not_the_speaker,
    negation_scope_ends_at_new_clause,
    court_agent_country,
    abduction_chain,
    entry_ban,
    pronoun_without_antecedent,
    charge_does_not_place,
    date_before_and,
    shared_surname_last_named,
    dotted_date,
    coordinated_possessive_subject,
    respectively,
    definite_role_reference,
    the_victim_is_the_main_person,
    fronted_phrase_not_subject,
    charge_content_is_no_event,
    narrative_time_of_same_person,
    court_ruling_is_a_trial,
    court_finding_of_guilt,
    wanted_is_a_charge,
    expelled_from_university,
    likely_or_left_detention,
    slash_label_is_no_event,
    victim_list_with_fillers,
    plural_they_and_their,
    subject_before_apposition,
    dash_list_of_victims,
    place_in_a_name,
    list_of_names,
    damaged_given_name,
    misspelled_surname_later,
    given_name_later,
    surname_later,
    pronoun_victim,
    role_before_name,
    pdf_broken_name,
    byline_and_photo_credit,
    nationality_is_not_a_name,
    organisation_is_not_a_person,
    headline_fragment_is_not_a_name,
    age_after_name,
    age_before_name,
    nationality_and_occupation,
    acronym_and_expansion,
    described_security_service,
    court_and_prosecutor,
    media_and_ngo,
    banned_group,
    passive_arrest,
    active_arrest_by_police,
    noun_trigger_possessive,
    noun_trigger_of,
    two_events_one_sentence,
    victim_not_the_speaker,
    request_is_not_a_sentence,
    future_is_not_an_event,
    generic_statement,
    call_for_release,
    related_headline,
    relative_weekday,
    relative_season_and_ago,
    narrative_date,
    term_in_months,
    term_years_and_months,
    regime_and_charges,
    deportation_destination,
    extradition_to_country,
    rendition_handed_over,
    release_after_return,
    death_in_custody,
    search_and_harassment,
    protest_by_group,
    ban_of_organisation,
    disappearance_not_heard_from,
    negated_event,
    torture_perpetrator,
    affiliation_and_confidence,
    relatives_of_the_victim,
    month_may_is_not_a_modal,
    named_members_of_a_group,
    origin_apposition_and_noun_agent,
    occupation_after_a_preposition,
    court_of_a_country,
    possessive_before_apposition,
    term_in_words_and_awaiting,
    state_bodies_named_by_pattern,
    one_name_per_organisation,
    initials_and_speakers,
    country_without_a_place,
    workplace_is_an_organisation,
);
