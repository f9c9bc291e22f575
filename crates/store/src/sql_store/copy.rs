//! (copy)
