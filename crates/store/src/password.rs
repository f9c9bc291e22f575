//! What a new password must be: the one rule, for every way an account gets one.

use crate::StoreError;

/// The fewest characters a new password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The most bytes a password may have (it is hashed on every login).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// The longest account name (the web login refuses longer ones unread).
pub const MAX_ACCOUNT_NAME_CHARS: usize = 64;

/// Refuses a password too short (under [`MIN_PASSWORD_CHARS`] characters),
/// too long, or one character repeated; says why.
pub fn check_password_strength(password: &str) -> Result<(), StoreError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(StoreError::Refused(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters, this one has {chars}: a few words together make a good one"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(StoreError::Refused(format!("a password may have at most {MAX_PASSWORD_BYTES} bytes, this one has {}", password.len())));
    }
    let mut distinct = password.chars();
    let first = distinct.next();
    if distinct.all(|c| Some(c) == first) {
        return Err(StoreError::Refused("a password of one character repeated is no password".into()));
    }
    Ok(())
}

/// The rule for an account's new password: [`check_password_strength`], and
/// not the account's name (nor, for a name of four letters or more, built on it).
pub fn check_account_password(user: &str, password: &str) -> Result<(), StoreError> {
    check_password_strength(password)?;
    let (lower, name) = (password.to_lowercase(), user.to_lowercase());
    if lower == name || (name.chars().count() >= 4 && lower.contains(&name)) {
        return Err(StoreError::Refused(format!("the password for {user} contains the account's name; choose another")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_repeated_and_huge_passwords_are_refused() {
        for weak in ["", "a", "hunter2", "elevenchars", "aaaaaaaaaaaaaaaaaaaa"] {
            assert!(check_password_strength(weak).is_err(), "{weak:?}");
        }
        assert!(check_password_strength(&"ab".repeat(600)).is_err());
        assert!(check_account_password("natalia", "natalia-password").is_err());
        assert!(check_account_password("natalia", "a long passphrase").is_ok());
        for good in ["correct horse", "twelve chars", "пароль-из-слов"] {
            assert!(check_password_strength(good).is_ok(), "{good:?}");
        }
    }
}
