//! What reaches the terminal. Titles, file names, quotes and error messages
//! come from reports that anyone may have written; a terminal obeys the
//! escape sequences in them (clearing the screen, rewriting what was shown,
//! setting the window title, on some terminals worse). Everything the CLI
//! prints for people goes through [`clean`]: escape sequences, C0 controls
//! but line feed and tab, DEL and C1 controls are dropped.

use std::borrow::Cow;
use std::io::{self, Write};
use std::iter::Peekable;

/// A character a terminal may take as a command.
fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `s` without escape sequences or control characters (line feeds and tabs kept).
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI, and the C1 controls that open a string (DCS, SOS, OSC, PM, APC).
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The rest of a sequence after ESC.
fn skip_escape(chars: &mut Peekable<impl Iterator<Item = char>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            // Intermediate bytes, then a final one.
            while chars.next_if(|c| ('\u{20}'..='\u{2f}').contains(c)).is_some() {}
            chars.next_if(|c| ('\u{30}'..='\u{7e}').contains(c));
        }
        Some(c) if ('\u{30}'..='\u{7e}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

/// Parameters and intermediates of a control sequence, and its final character.
fn skip_csi(chars: &mut Peekable<impl Iterator<Item = char>>) {
    while chars.next_if(|c| ('\u{20}'..='\u{3f}').contains(c)).is_some() {}
    chars.next_if(|c| ('\u{40}'..='\u{7e}').contains(c));
}

/// A control string (a window title, a device command), to its terminator
/// (BEL, ST or ESC \); never past the end of the line.
fn skip_string(chars: &mut Peekable<impl Iterator<Item = char>>) {
    while let Some(c) = chars.next_if(|c| *c != '\n') {
        match c {
            '\u{07}' | '\u{9c}' => return,
            '\u{1b}' => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

/// Prints one line on standard error, cleaned.
pub fn say(line: &str) {
    eprintln!("{}", clean(line));
}

/// A writer that cleans what passes through it, a line at a time (so that a
/// sequence written in pieces is still seen whole).
pub struct Clean<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Clean<W> {
    pub fn new(inner: W) -> Self {
        Clean { inner, pending: Vec::new() }
    }

    /// Writes out the first `n` pending bytes, cleaned.
    fn emit(&mut self, n: usize) -> io::Result<()> {
        let text: Vec<u8> = self.pending.drain(..n).collect();
        self.inner.write_all(clean(&String::from_utf8_lossy(&text)).as_bytes())
    }
}

impl<W: Write> Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.emit(end + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // A character cut in two by the flush waits for its other half.
        let whole = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        self.emit(whole)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Clean<W> {
    fn drop(&mut self) {
        let n = self.pending.len();
        let _ = self.emit(n);
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn escape_sequences_and_controls_are_dropped_and_text_kept() {
        let hostile = "A\u{1b}[2J\u{1b}[1;31mB\u{1b}]0;owned\u{7}C\u{1b}]8;;http://x\u{1b}\\D\u{9b}31mE\u{1b}(0F\r\u{8}\u{7f}\u{85}G\tH\nI";
        assert_eq!(clean(hostile), "ABCDEFG\tH\nI");
        assert_eq!(clean("Зафар Нурматов — «приговор»"), "Зафар Нурматов — «приговор»");
        assert_eq!(clean("an unterminated \u{1b}]0;title\nnext line"), "an unterminated \nnext line");
        assert_eq!(clean("trailing \u{1b}"), "trailing ");
    }
}
