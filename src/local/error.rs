//! What can go wrong running a function locally, sorted by who has to fix it.
//!
//! A function that fails (an exception, a timeout, too much memory) is not an error here:
//! it is a [`Reply`](super::Reply) with `function_error` set, exactly as the service answers.

use std::fmt;

/// Why a local run could not produce an answer.
#[derive(Debug)]
pub enum LocalError {
    /// Found wrong before the function could run: the directory, `function.toml`, a missing
    /// interpreter, port 8000 in use. The user fixes it; the CLI exits 2.
    Setup(anyhow::Error),
    /// This machine failed during a run: a spawn, a pipe or a socket that broke.
    Machine(anyhow::Error),
    /// Every instance is busy and the wait queue is full (a server answers 429).
    Busy { queue: usize },
}

impl LocalError {
    pub fn setup(message: impl fmt::Display) -> LocalError {
        LocalError::Setup(anyhow::anyhow!("{message}"))
    }

    pub fn machine(message: impl fmt::Display) -> LocalError {
        LocalError::Machine(anyhow::anyhow!("{message}"))
    }

    /// The hint to show under a setup error, when there is an obvious one.
    pub fn hint(&self) -> Option<String> {
        let LocalError::Setup(e) = self else {
            return None;
        };
        e.chain()
            .find_map(|cause| cause.downcast_ref::<Hint>().map(|h| h.0.clone()))
    }
}

impl fmt::Display for LocalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The context chain on one line ("a: b: c"), as anyhow's `{:#}` shows it, but
            // without the hint, which is shown on its own.
            LocalError::Setup(e) | LocalError::Machine(e) => {
                let mut first = true;
                for cause in e.chain().filter(|c| !c.is::<Hint>()) {
                    if !first {
                        f.write_str(": ")?;
                    }
                    first = false;
                    write!(f, "{cause}")?;
                }
                Ok(())
            }
            LocalError::Busy { queue } => write!(
                f,
                "every local instance is busy and {queue} calls are already waiting"
            ),
        }
    }
}

impl std::error::Error for LocalError {}

/// A hint attached as the innermost cause of a setup error, found again by
/// [`LocalError::hint`].
#[derive(Debug)]
pub struct Hint(pub String);

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Hint {}

/// A setup error with a message and a hint.
pub fn setup_with_hint(message: impl fmt::Display, hint: impl Into<String>) -> LocalError {
    LocalError::Setup(anyhow::Error::new(Hint(hint.into())).context(message.to_string()))
}

/// `result.setup()?` / `result.machine()?`: classify an `anyhow` failure.
pub trait Classify<T> {
    fn setup(self) -> Result<T, LocalError>;
    fn machine(self) -> Result<T, LocalError>;
}

impl<T, E: Into<anyhow::Error>> Classify<T> for Result<T, E> {
    fn setup(self) -> Result<T, LocalError> {
        self.map_err(|e| LocalError::Setup(e.into()))
    }

    fn machine(self) -> Result<T, LocalError> {
        self.map_err(|e| LocalError::Machine(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_is_found_and_the_message_reads_as_a_chain() {
        let e = setup_with_hint("python3 not found", "install Python 3");
        assert_eq!(e.hint().as_deref(), Some("install Python 3"));
        assert_eq!(e.to_string(), "python3 not found");
        assert!(LocalError::machine("x").hint().is_none());
    }
}
