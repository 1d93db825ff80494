//! What the network says is untrusted text: bound it and show control characters escaped
//! before it reaches a terminal, so that no answer can forge a line or move the cursor.
//!
//! A leaf, as fd's `sanitize.rs` is: pure functions of their input.

/// How many characters of one piece of service text are shown on stderr.
pub const SHOWN: usize = 200;

/// `text` as one bounded line: control characters and escape sequences escaped (`\n`,
/// `\r`, `\t`, `\x1b`, `\u{..}`), cut to `max` characters with `…`.
pub fn one_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    for (shown, c) in text.chars().enumerate() {
        if shown >= max {
            out.push('…');
            return out;
        }
        push_escaped(&mut out, c, false);
    }
    out
}

/// [`one_line`] with the usual bound.
pub fn shown(text: &str) -> String {
    one_line(text, SHOWN)
}

/// A function's log for a terminal: kept whole and line by line, but every control
/// character other than the line breaks and tabs escaped, so that no escape sequence
/// reaches the terminal.
pub fn log_for_terminal(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    for c in log.chars() {
        push_escaped(&mut out, c, true);
    }
    out
}

fn push_escaped(out: &mut String, c: char, keep_lines: bool) {
    match c {
        '\n' if keep_lines => out.push('\n'),
        '\t' if keep_lines => out.push('\t'),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{1b}' => out.push_str("\\x1b"),
        c if c.is_control() || is_invisible_format(c) => {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
        c => out.push(c),
    }
}

/// Characters that reorder or hide text on a terminal (bidirectional overrides, zero-width
/// joiners at the edges of a line of the attacker's choosing).
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_lines_joined() {
        assert_eq!(
            shown("boom\nok · HTTP 200 · request forged"),
            "boom\\nok · HTTP 200 · request forged"
        );
        assert_eq!(shown("\u{1b}[31mred\u{1b}[0m"), "\\x1b[31mred\\x1b[0m");
        assert_eq!(shown("a\rb\tc\u{7}d"), "a\\rb\\tc\\u{7}d");
        assert_eq!(shown("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(shown("plain text, ünïcode"), "plain text, ünïcode");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let long = "x".repeat(5000);
        let cut = shown(&long);
        assert_eq!(cut.chars().count(), SHOWN + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(one_line("abc", 3), "abc");
        assert_eq!(one_line("abcd", 3), "abc…");
    }

    #[test]
    fn a_log_keeps_its_lines_but_no_escape_sequence() {
        assert_eq!(
            log_for_terminal("line 1\n\u{1b}[2Jline\t2\r\n"),
            "line 1\n\\x1b[2Jline\t2\\r\n"
        );
    }
}
