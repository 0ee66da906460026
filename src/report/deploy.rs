//! `deploy --format json`: the document `signin-pages/deploy/v1`.
