//! `kmsi plan|apply --format json`: the documents `signin-pages/kmsi-plan/v1` and
//! `signin-pages/kmsi-apply/v1`.
