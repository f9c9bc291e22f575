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
}

named_enum!(
    /// An analyst's verdict on a machine-extracted fact.
    Review, "review state" {
        Machine => "machine",
        Confirmed => "confirmed",
        Rejected => "rejected",
    }
);
