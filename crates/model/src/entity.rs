use std::fmt;
use std::str::FromStr;

/// A name that is not one of an enumeration's values.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown {what}: {value:?}")]
pub struct UnknownName {
    pub what: &'static str,
    pub value: String,
}

/// Generates a closed enumeration with its wire names.
macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $name {
            type Err = $crate::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$variant),)+
                    _ => Err($crate::UnknownName { what: $what, value: s.to_string() }),
                }
            }
        }
    };
}
pub(crate) use named_enum;

named_enum!(
    /// What kind of body an organisation is.
    OrgCategory, "organisation category" {
        SecurityService => "security_service",
        Police => "police",
        Court => "court",
        Prosecutor => "prosecutor",
        Government => "government",
        Ngo => "ngo",
        Media => "media",
        BannedOrganization => "banned_organization",
        Intergovernmental => "intergovernmental",
        Company => "company",
        Other => "other",
    }
);

named_enum!(
    /// The latest known situation of a person.
    PersonStatus, "person status" {
        AtLiberty => "at_liberty",
        Detained => "detained",
        Imprisoned => "imprisoned",
        Disappeared => "disappeared",
        Deported => "deported",
        Dead => "dead",
        Unknown => "unknown",
    }
);

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not an ISO 3166-1 alpha-2 code: {0:?}")]
pub struct CountryError(String);

impl Country {
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII upper-case letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl FromStr for Country {
    type Err = CountryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
            Ok(Country([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
        } else {
            Err(CountryError(s.to_string()))
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerations_round_trip_their_wire_names() {
        for c in OrgCategory::ALL {
            assert_eq!(c.as_str().parse::<OrgCategory>().unwrap(), *c);
        }
        for s in PersonStatus::ALL {
            assert_eq!(s.as_str().parse::<PersonStatus>().unwrap(), *s);
        }
        assert!("spy_agency".parse::<OrgCategory>().is_err());
    }

    #[test]
    fn countries_are_two_letters() {
        assert_eq!("tj".parse::<Country>().unwrap().as_str(), "TJ");
        assert!("TJK".parse::<Country>().is_err());
        assert!("T1".parse::<Country>().is_err());
    }
}
