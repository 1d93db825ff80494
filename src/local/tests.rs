//! Tests that start real `python3`, `node` and shell processes on function directories
//! written into temporary directories.
