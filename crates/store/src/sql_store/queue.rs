//! (queue)
