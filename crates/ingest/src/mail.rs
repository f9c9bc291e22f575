//! E-mail messages (.eml, RFC 5322 with MIME): the subject is the title, the
//! date the publication date, the sender the publisher; the text parts (or
//! the HTML ones, as text) are the body; every attachment is handed back to
//! be read as a report of its own, linked to the message.

use crate::IngestError;
use chronicle_model::PartialDate;
use mail_parser::{MessageParser, MimeHeaders};

/// Attachments taken from one message, at most; the rest are named in a warning.
pub const MAX_ATTACHMENTS: usize = 50;

/// A file that came attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its file name as the message gives it (a made-up one when it gives none).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a message says.
#[derive(Debug, Default)]
pub(crate) struct Mail {
    pub text: String,
    pub subject: Option<String>,
    pub date: Option<PartialDate>,
    pub sender: Option<String>,
    pub attachments: Vec<Attachment>,
    pub warnings: Vec<String>,
}

/// Reads a message.
pub(crate) fn read(bytes: &[u8]) -> Result<Mail, IngestError> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| IngestError::Unreadable { what: "e-mail message", why: "no message headers".into() })?;
    let bodies: Vec<String> = (0..message.text_body.len().max(1)).filter_map(|i| message.body_text(i)).map(|t| t.into_owned()).collect();
    let mut mail = Mail {
        text: bodies.join("\n\n"),
        subject: message.subject().map(str::to_string),
        date: message.date().and_then(|d| PartialDate::day(d.year as i32, d.month, d.day)),
        sender: message.from().and_then(|a| a.first()).and_then(|a| a.name().or(a.address())).map(str::to_string),
        ..Mail::default()
    };
    for (i, part) in message.attachments().enumerate() {
        let name = part.attachment_name().map(str::to_string).unwrap_or_else(|| format!("attachment-{}", i + 1));
        if mail.attachments.len() == MAX_ATTACHMENTS {
            mail.warnings.push(format!("attachment {name:?} not read: over {MAX_ATTACHMENTS} attachments"));
            continue;
        }
        mail.attachments.push(Attachment { name, bytes: part.contents().to_vec() });
    }
    Ok(mail)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "From: Field Monitor <monitor@example.org>\r
To: desk@example.org\r
Subject: Detention in Kazan\r
Date: Tue, 14 May 2024 09:30:00 +0300\r
MIME-Version: 1.0\r
Content-Type: multipart/mixed; boundary=\"b1\"\r
\r
--b1\r
Content-Type: text/plain; charset=utf-8\r
\r
Farrukh Aliev was detained yesterday.\r
--b1\r
Content-Type: text/plain; name=\"note.txt\"\r
Content-Disposition: attachment; filename=\"note.txt\"\r
Content-Transfer-Encoding: base64\r
\r
SGUgd2FzIHRha2VuIHRvIGEgcG9saWNlIHN0YXRpb24u\r
--b1--\r
";

    #[test]
    fn headers_body_and_attachments() {
        let mail = read(MESSAGE.as_bytes()).unwrap();
        assert_eq!(mail.subject.as_deref(), Some("Detention in Kazan"));
        assert_eq!(mail.date.map(|d| d.to_string()).as_deref(), Some("2024-05-14"));
        assert_eq!(mail.sender.as_deref(), Some("Field Monitor"));
        assert_eq!(mail.text.trim(), "Farrukh Aliev was detained yesterday.");
        assert_eq!(mail.attachments, vec![Attachment { name: "note.txt".into(), bytes: b"He was taken to a police station.".to_vec() }]);
    }
}
