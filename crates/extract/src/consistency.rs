//! Facts that contradict one another are not made: no one is victim and
//! perpetrator of one event, and what only the state can do (arrest, charge,
//! try, sentence, deport, ban …) is not done by a rights group, a newsroom, a
//! company or a banned movement, whatever the sentence's grammar suggests.

use crate::entities::Entities;
use crate::events::RawEvent;
use chronicle_model::{EntityRef, EventType, OrgCategory};

/// Events only a state's bodies (or their officers) carry out.
fn by_the_state(kind: EventType) -> bool {
    use EventType::*;
    matches!(kind, Arrest | Deportation | Extradition | Rendition | Charge | Trial | Sentence | Transfer | Release | Search | Ban)
}

/// Organisations that hold no power of the state.
fn without_state_power(category: Option<OrgCategory>) -> bool {
    matches!(category, Some(OrgCategory::Ngo | OrgCategory::Media | OrgCategory::BannedOrganization | OrgCategory::Company | OrgCategory::Other))
}

pub fn drop_contradictions(events: &mut [RawEvent], ents: &Entities) {
    for e in events.iter_mut() {
        let (victims, kind) = (&e.victims, e.kind);
        e.perpetrators.retain(|p| {
            let own_victim = victims.contains(p);
            let powerless = matches!(*p, EntityRef::Org(o) if by_the_state(kind) && without_state_power(ents.orgs[o].category));
            !own_victim && !powerless
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::text::{sentences, tokenize};

    fn event(kind: EventType, victims: Vec<EntityRef>, perpetrators: Vec<EntityRef>) -> RawEvent {
        RawEvent { kind, victims, perpetrators, date: None, place: None, country: None, to_country: None, term_years: None, regime: None, charges: Vec::new(), confidence: 0.8, sources: Vec::new(), sentence: 0, paragraph: 0 }
    }

    #[test]
    fn the_state_arrests_and_charges_and_no_one_is_his_own_perpetrator() {
        let text = "Farhod Umarov spoke to Human Rights Watch about the FSB and the banned group Nur Jamaati.";
        let tokens = tokenize(text);
        let ents = crate::entities::recognise(&tokens, &sentences(&tokens), Lexicon::get());
        let org = |name: &str| EntityRef::Org(ents.orgs.iter().position(|o| o.name == name || o.mentions.iter().any(|&(a, b)| crate::entities::text_of(&tokens, a, b) == name)).unwrap_or_else(|| panic!("no {name}: {:?}", ents.orgs)));
        let (umarov, hrw, fsb, banned) = (EntityRef::Person(0), org("Human Rights Watch"), org("FSB"), org("Nur Jamaati"));
        let mut events = vec![
            event(EventType::Charge, vec![umarov], vec![umarov, fsb]),
            event(EventType::Arrest, vec![umarov], vec![banned, hrw, fsb]),
            // Who may abduct or torture is not limited: an armed group may.
            event(EventType::Abduction, vec![umarov], vec![banned]),
        ];
        drop_contradictions(&mut events, &ents);
        assert_eq!(events[0].perpetrators, [fsb]);
        assert_eq!(events[1].perpetrators, [fsb]);
        assert_eq!(events[2].perpetrators, [banned]);
    }
}
