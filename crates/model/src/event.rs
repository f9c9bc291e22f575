use crate::entity::named_enum;

named_enum!(
    /// What was done to someone. The wire names are those of the export contract.
    EventType, "event type" {
        Arrest => "arrest",
        Abduction => "abduction",
        Disappearance => "disappearance",
        Deportation => "deportation",
        Extradition => "extradition",
        Rendition => "rendition",
        Torture => "torture",
        Charge => "charge",
        Trial => "trial",
        Sentence => "sentence",
        Transfer => "transfer",
        Release => "release",
        Protest => "protest",
        Search => "search",
        Harassment => "harassment",
        Death => "death",
        Ban => "ban",
    }
);

impl EventType {
    /// Event types that move a person from one country to another.
    pub fn crosses_border(self) -> bool {
        matches!(self, EventType::Deportation | EventType::Extradition | EventType::Rendition)
    }
}

impl crate::PersonStatus {
    /// What an event of this type says of its victim's situation afterwards.
    pub fn after(event: EventType) -> Option<crate::PersonStatus> {
        use crate::PersonStatus::*;
        Some(match event {
            EventType::Arrest | EventType::Charge | EventType::Trial => Detained,
            EventType::Abduction | EventType::Disappearance => Disappeared,
            EventType::Deportation | EventType::Extradition | EventType::Rendition => Deported,
            EventType::Sentence | EventType::Transfer => Imprisoned,
            EventType::Release => AtLiberty,
            EventType::Death => Dead,
            _ => return None,
        })
    }

    /// The situation after `event`, for a person whose situation was `self`
    /// (None: nothing known yet). Events are folded in the order they happened.
    /// Death is final; a charge, trial or new arrest of someone serving a
    /// sentence leaves him imprisoned (only a release or a move ends that).
    pub fn then(current: Option<Self>, event: EventType) -> Option<Self> {
        use crate::PersonStatus::*;
        let next = Self::after(event);
        match (current, next) {
            (Some(Dead), _) => Some(Dead),
            (Some(Imprisoned), Some(Detained)) => Some(Imprisoned),
            (cur, None) => cur,
            (_, next) => next,
        }
    }

    /// The latest situation after a person's events, given in the order they happened.
    pub fn latest(events: impl IntoIterator<Item = EventType>) -> Option<Self> {
        events.into_iter().fold(None, Self::then)
    }
}

#[cfg(test)]
mod status_tests {
    use super::EventType::*;
    use crate::PersonStatus::{self, *};

    #[test]
    fn the_latest_status_follows_the_events_in_the_order_they_happened() {
        assert_eq!(PersonStatus::latest([Arrest, Charge, Trial, Sentence]), Some(Imprisoned));
        assert_eq!(PersonStatus::latest([Arrest, Sentence, Release]), Some(AtLiberty));
        assert_eq!(PersonStatus::latest([Arrest, Release, Arrest]), Some(Detained));
        assert_eq!(PersonStatus::latest([Arrest, Extradition]), Some(Deported));
        assert_eq!(PersonStatus::latest([Protest, Search]), None);
    }

    #[test]
    fn death_is_final() {
        assert_eq!(PersonStatus::latest([Arrest, Torture, Death, Arrest]), Some(Dead));
        assert_eq!(PersonStatus::latest([Death, Release]), Some(Dead));
    }

    #[test]
    fn a_new_charge_against_a_prisoner_leaves_him_imprisoned() {
        assert_eq!(PersonStatus::latest([Sentence, Charge, Trial]), Some(Imprisoned));
        assert_eq!(PersonStatus::latest([Sentence, Transfer, Arrest]), Some(Imprisoned));
        assert_eq!(PersonStatus::latest([Sentence, Release, Charge]), Some(Detained));
    }
}

named_enum!(
    /// An analyst's verdict on a machine-extracted fact.
    Review, "review state" {
        Machine => "machine",
        Confirmed => "confirmed",
        Rejected => "rejected",
    }
);
